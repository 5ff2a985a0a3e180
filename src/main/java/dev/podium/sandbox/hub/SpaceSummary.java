package dev.podium.sandbox.hub;

import java.time.Instant;

/**
 * One Space of the namespace, from a listing.
 *
 * @param id {@code namespace/name}
 * @param stage the runtime stage; {@code null} when the listing carried none
 */
public record SpaceSummary(String id, String name, Instant createdAt, String stage) {
}
