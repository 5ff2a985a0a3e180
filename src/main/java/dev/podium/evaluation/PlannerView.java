package dev.podium.evaluation;

import java.time.Instant;
import java.util.Map;

/**
 * What the planner decided in its last round, per scope it could not serve at once: for
 * the waiting estimates and the dashboard's "next planned creation".
 *
 * @param budgetDeferredUntil when the budget may allow a creation again ({@code null}
 * with {@code deferred}: when an operator changes it)
 */
record PlannerView(Instant at, Map<SandboxScope, Plan> plans, Instant budgetDeferredUntil, boolean deferred) {

	static final PlannerView EMPTY = new PlannerView(null, Map.of(), null, false);

	/** The next creation the planner has planned, if any. */
	Instant nextPlannedCreation() {
		return this.plans.values()
			.stream()
			.filter((plan) -> plan.reason() == Reason.PLANNED)
			.map(Plan::at)
			.min(Instant::compareTo)
			.orElse(null);
	}

	enum Reason {

		/** A creation is planned for {@link Plan#at()}. */
		PLANNED,

		/** The creation budget is spent, blocked or paused. */
		BUDGET,

		/** The sandbox cap is reached. */
		CAPACITY,

		/** The provider refused the task's sandboxes for good: an operator must act. */
		BLOCKED,

		/** The provider is down: creations wait for it. */
		PROVIDER_DOWN

	}

	record Plan(Reason reason, Instant at) {

		static Plan planned(Instant at) {
			return new Plan(Reason.PLANNED, at);
		}

		static Plan budget() {
			return new Plan(Reason.BUDGET, null);
		}

		static Plan capacity() {
			return new Plan(Reason.CAPACITY, null);
		}

		static Plan blocked() {
			return new Plan(Reason.BLOCKED, null);
		}

		static Plan providerDown() {
			return new Plan(Reason.PROVIDER_DOWN, null);
		}

	}

}
