package dev.podium.evaluation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.podium.budget.BudgetStatus;
import dev.podium.budget.CreationBudget;
import dev.podium.budget.Pacing;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Saves scarce creations for fuller sandboxes. Submissions arrive spread over the day: a
 * scheduler that creates a sandbox as soon as anything waits spends the whole budget on
 * one-submission sandboxes. When the creations left in the window are fewer than the
 * submissions expected before it resets, a sandbox that could take several submissions is
 * created only once it is full or its first submission has waited {@code max-hold}; when
 * creations are plentiful, it is created at once.
 */
@Component
class PacingPolicy {

	/** How far back arrivals are counted to estimate the demand to come. */
	static final Duration LOOKBACK = Duration.ofHours(1);

	private final CreationBudget budget;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	/** Held submissions and until when, for forecasts; decisions never depend on it. */
	private final Map<UUID, Instant> held = new ConcurrentHashMap<>();

	PacingPolicy(CreationBudget budget, JdbcTemplate jdbc, Clock clock) {
		this.budget = budget;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * The rule itself.
	 * @param batch how many submissions the sandbox would take now
	 * @param perSandbox how many it can take
	 * @param creationsLeft creations left in the window
	 * @param expectedDemand submissions expected before the window resets, waiting ones
	 * included
	 * @param waited how long the first of them has waited
	 */
	static boolean hold(Pacing pacing, int batch, int perSandbox, long creationsLeft, double expectedDemand,
			Duration waited, Duration maxHold) {
		if (pacing == Pacing.NONE || perSandbox <= 1 || batch >= perSandbox) {
			return false;
		}
		if (waited.compareTo(maxHold) >= 0) {
			return false;
		}
		return expectedDemand > creationsLeft;
	}

	/** The facts one scheduling round decides with, read once per round. */
	Round round(Instant now) {
		return new Round(now);
	}

	Instant heldUntil(UUID submissionId) {
		Instant until = this.held.get(submissionId);
		if (until != null && !until.isAfter(this.clock.instant())) {
			this.held.remove(submissionId);
			return null;
		}
		return until;
	}

	class Round {

		private final Instant now;

		private Double demand;

		private Long creationsLeft;

		Round(Instant now) {
			this.now = now;
		}

		/** Whether to hold this submission back to fill its sandbox. */
		boolean hold(UUID submissionId, Instant submittedAt, int batch, int perSandbox) {
			Pacing pacing = PacingPolicy.this.budget.settings().pacing();
			Duration maxHold = PacingPolicy.this.budget.settings().maxHold();
			if (pacing == Pacing.NONE || perSandbox <= 1 || batch >= perSandbox) {
				PacingPolicy.this.held.remove(submissionId);
				return false;
			}
			Duration waited = Duration.between(submittedAt, this.now);
			boolean hold = PacingPolicy.hold(pacing, batch, perSandbox, creationsLeft(), demand(), waited, maxHold);
			if (hold) {
				PacingPolicy.this.held.put(submissionId, submittedAt.plus(maxHold));
			}
			else {
				PacingPolicy.this.held.remove(submissionId);
			}
			return hold;
		}

		private long creationsLeft() {
			if (this.creationsLeft == null) {
				BudgetStatus status = PacingPolicy.this.budget.status();
				this.creationsLeft = (status.blockedUntil() != null) ? 0 : status.remaining();
			}
			return this.creationsLeft;
		}

		/**
		 * Waiting submissions plus arrivals at the last hour's rate until the window
		 * resets.
		 */
		private double demand() {
			if (this.demand == null) {
				Instant end = PacingPolicy.this.budget.window(this.now).end();
				Long recent = PacingPolicy.this.jdbc.queryForObject("""
						select count(*) from submissions s join tasks t on t.id = s.task_id
						where t.evaluation = 'SANDBOX' and s.submitted_at > ?
						""", Long.class, Timestamp.from(this.now.minus(LOOKBACK)));
				Long waiting = PacingPolicy.this.jdbc.queryForObject("""
						select count(*) from submissions s join tasks t on t.id = s.task_id
						where t.evaluation = 'SANDBOX' and s.status = 'QUEUED'
						""", Long.class);
				double hoursLeft = Math.max(0, Duration.between(this.now, end).toMinutes() / 60.0);
				this.demand = ((waiting != null) ? waiting : 0) + ((recent != null) ? recent : 0) * hoursLeft;
			}
			return this.demand;
		}

	}

}
