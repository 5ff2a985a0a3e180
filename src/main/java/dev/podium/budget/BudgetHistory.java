package dev.podium.budget;

import java.time.Instant;
import java.util.List;

/** Who changed the budget and how it was used. */
public record BudgetHistory(List<Change> changes, List<Usage> windows) {

	public record Change(String changedBy, Instant changedAt, int oldLimit, int newLimit, String reason) {
	}

	/** Creations charged in the window starting at {@code windowStart}. */
	public record Usage(Instant windowStart, long created) {
	}

}
