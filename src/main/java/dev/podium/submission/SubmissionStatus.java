package dev.podium.submission;

/**
 * Where a submission is in its life: QUEUED, then EVALUATING (claimed by a sandbox, or
 * scored inline), then one of the final states.
 */
public enum SubmissionStatus {

	/** Waiting in the queue. */
	QUEUED,

	/**
	 * Claimed by an evaluation: a sandbox's current job (or an inline scoring), under an
	 * attempt id that fences every write of earlier attempts.
	 */
	EVALUATING,

	/** Evaluated; its scores are recorded. */
	SCORED,

	/** Could not be evaluated; see its failure. */
	FAILED,

	/** Withdrawn by its participant before it started. */
	CANCELLED;

	public boolean isFinal() {
		return this == SCORED || this == FAILED || this == CANCELLED;
	}

}
