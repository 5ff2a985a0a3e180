package dev.podium.submission;

/**
 * Whose fault a failure was, which decides whether it is retried and whether it counts.
 */
public enum FailureCategory {

	/**
	 * The submission's own fault (bad file, model that does not load): final, counts
	 * toward the daily limit, and its message is shown to the participant.
	 */
	SUBMISSION,

	/**
	 * The platform's fault (sandbox not created, build failed, timeout): retried, and
	 * never counted against the participant.
	 */
	PLATFORM

}
