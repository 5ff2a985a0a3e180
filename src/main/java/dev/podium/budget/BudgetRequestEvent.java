package dev.podium.budget;

import java.time.Instant;

/**
 * One step of a budget request, for the audit.
 *
 * @param action REQUESTED, APPROVED, REFUSED, ENDED or SUPERSEDED
 */
public record BudgetRequestEvent(Instant at, String actor, String action, String detail) {
}
