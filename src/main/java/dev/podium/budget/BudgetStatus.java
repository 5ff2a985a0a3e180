package dev.podium.budget;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The budget as operators see it.
 *
 * @param resetsAt when the next creation becomes possible by the window alone: the FIXED
 * window's end, or when the oldest ROLLING charge leaves the window
 * @param waiting submissions waiting for a sandbox
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BudgetStatus(String namespace, int limit, long used, long remaining, WindowMode windowMode,
		Duration window, Instant windowStart, Instant resetsAt, Instant blockedUntil, long waiting) {
}
