package dev.podium.sandbox;

import java.time.Instant;

/** Whether a MODEL submission can be evaluated, as its provider sees it. */
public sealed interface Preflight {

	/** It can: download {@code model} at {@code revision} (the pinned commit). */
	record Accepted(String model, String revision) implements Preflight {
	}

	/**
	 * It never can.
	 *
	 * @param submissionFault the submission's own fault (a missing or inaccessible model)
	 * rather than the task's
	 */
	record Refused(boolean submissionFault, String message) implements Preflight {
	}

	/**
	 * Could not be decided now (the Hub is unreachable); ask again at {@code retryAt}.
	 */
	record Unavailable(String reason, Instant retryAt) implements Preflight {
	}

}
