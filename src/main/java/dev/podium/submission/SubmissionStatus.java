package dev.podium.submission;

/** Where a submission is in its life. */
public enum SubmissionStatus {

	/** Waiting in the queue. */
	QUEUED,

	/** Claimed by the scheduler; its sandbox is being created or started. */
	PROVISIONING,

	/** Its sandbox is running the evaluation. */
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
