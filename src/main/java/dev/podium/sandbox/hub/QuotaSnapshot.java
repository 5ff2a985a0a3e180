package dev.podium.sandbox.hub;

import java.time.Instant;

/**
 * What the client knows of the Hub's {@code api} bucket.
 *
 * @param limit requests per window: announced by the Hub, else configured
 * @param remaining requests left in the current window, by the Hub's last word minus the
 * calls made since; {@code limit} when nothing is known
 * @param resetsAt when the current window ends; {@code null} when unknown
 * @param announced whether the numbers come from the Hub's headers
 */
public record QuotaSnapshot(int limit, int remaining, Instant resetsAt, boolean announced) {
}
