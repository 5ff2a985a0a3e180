package dev.podium.competition;

import java.time.Duration;

/**
 * A task's rules, as an organizer defines them and as the API shows them.
 *
 * @param evaluationsPerSandbox the most jobs one sandbox serves before it is replaced
 * @param sandboxLifetime a sandbox's longest life; {@code null} for the default
 * @param idleTimeout how long an idle sandbox waits for work; {@code null} for the
 * default of its hardware (free hardware lingers, paid hardware goes soon)
 */
public record TaskDefinition(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
		String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
		long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, Duration timeout,
		String localCommand, Duration sandboxLifetime, Duration idleTimeout) {

	/** The rules without sandbox lifetimes of their own. */
	public TaskDefinition(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
			String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
			long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, Duration timeout,
			String localCommand) {
		this(slug, title, submissionKind, evaluation, metric, higherIsBetter, dailySubmissionLimit, selectionLimit,
				idColumn, maxFileBytes, hardware, evaluationsPerSandbox, reuseScope, timeout, localCommand, null, null);
	}

}
