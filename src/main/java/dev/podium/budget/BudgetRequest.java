package dev.podium.budget;

import java.time.Instant;
import java.util.UUID;

/**
 * An organizer's request for a larger creation budget, and what became of it.
 *
 * @param limit the limit asked for
 * @param until when a temporary raise ends; {@code null} for a lasting one
 * @param revertTo the limit that an approved temporary raise restores at {@code until}
 * @param version fences every change: a write names the version it read
 */
public record BudgetRequest(UUID id, BudgetRequestStatus status, String requestedBy, UUID requestedById,
		Instant requestedAt, int limit, String reason, Instant until, String decidedBy, Instant decidedAt,
		String decisionReason, Integer revertTo, Instant endedAt, long version) {

	static BudgetRequest open(UUID requestedById, String requestedBy, int limit, String reason, Instant until,
			Instant now) {
		return new BudgetRequest(UUID.randomUUID(), BudgetRequestStatus.OPEN, requestedBy, requestedById, now, limit,
				reason, until, null, null, null, null, null, 0);
	}

	public boolean isTemporary() {
		return this.until != null;
	}

	BudgetRequest approve(String operator, String reason, int revertTo, Instant now) {
		require(BudgetRequestStatus.OPEN, "approve");
		return new BudgetRequest(this.id, BudgetRequestStatus.APPROVED, this.requestedBy, this.requestedById,
				this.requestedAt, this.limit, this.reason, this.until, operator, now, reason,
				isTemporary() ? revertTo : null, null, this.version + 1);
	}

	BudgetRequest refuse(String operator, String reason, Instant now) {
		require(BudgetRequestStatus.OPEN, "refuse");
		return new BudgetRequest(this.id, BudgetRequestStatus.REFUSED, this.requestedBy, this.requestedById,
				this.requestedAt, this.limit, this.reason, this.until, operator, now, reason, null, null,
				this.version + 1);
	}

	/** The temporary raise is over, whether or not the limit went back. */
	BudgetRequest end(Instant now) {
		require(BudgetRequestStatus.APPROVED, "end");
		if (!isTemporary()) {
			throw new IllegalStateException("Cannot end budget request %s: its raise has no end. Current status: %s"
				.formatted(this.id, this.status));
		}
		return new BudgetRequest(this.id, BudgetRequestStatus.ENDED, this.requestedBy, this.requestedById,
				this.requestedAt, this.limit, this.reason, this.until, this.decidedBy, this.decidedAt,
				this.decisionReason, this.revertTo, now, this.version + 1);
	}

	private void require(BudgetRequestStatus expected, String transition) {
		if (this.status != expected) {
			throw new IllegalStateException(
					"Cannot %s budget request %s. Current status: %s".formatted(transition, this.id, this.status));
		}
	}

}
