package dev.podium.sandbox.hub;

import java.time.Instant;

/**
 * One Space of the namespace, from a listing with {@code expand=runtime} and
 * {@code expand=createdAt}.
 *
 * @param id {@code namespace/name}
 * @param createdAt {@code null} when the listing carried none
 * @param runtime {@code null} when the listing carried none
 */
public record SpaceSummary(String id, String name, Instant createdAt, SpaceRuntime runtime) {
}
