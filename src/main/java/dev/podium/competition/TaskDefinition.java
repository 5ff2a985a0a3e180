package dev.podium.competition;

import java.time.Duration;
import java.util.List;

/**
 * A task's rules, as an organizer defines them and as the API shows them.
 *
 * @param evaluationsPerSandbox the most jobs one sandbox serves before it is replaced
 * @param sandboxLifetime a sandbox's longest life; {@code null} for the default
 * @param idleTimeout how long an idle sandbox waits for work; {@code null} for the
 * default of its hardware (free hardware lingers, paid hardware goes soon)
 * @param secondaryMetrics metrics shown beside the primary one, breaking its ties in this
 * order
 * @param timeRules the task's own time rules, overriding its competition's where set
 */
public record TaskDefinition(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
		String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
		long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, Duration timeout,
		String localCommand, Duration sandboxLifetime, Duration idleTimeout, List<String> secondaryMetrics,
		TimeRules timeRules) {

	public TaskDefinition {
		secondaryMetrics = (secondaryMetrics != null) ? List.copyOf(secondaryMetrics) : List.of();
		timeRules = (timeRules != null) ? timeRules : TimeRules.NONE;
	}

	/** The rules without secondary metrics or time rules of their own. */
	public TaskDefinition(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
			String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
			long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, Duration timeout,
			String localCommand, Duration sandboxLifetime, Duration idleTimeout) {
		this(slug, title, submissionKind, evaluation, metric, higherIsBetter, dailySubmissionLimit, selectionLimit,
				idColumn, maxFileBytes, hardware, evaluationsPerSandbox, reuseScope, timeout, localCommand,
				sandboxLifetime, idleTimeout, List.of(), TimeRules.NONE);
	}

	/** The rules without sandbox lifetimes of their own. */
	public TaskDefinition(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
			String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
			long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, Duration timeout,
			String localCommand) {
		this(slug, title, submissionKind, evaluation, metric, higherIsBetter, dailySubmissionLimit, selectionLimit,
				idColumn, maxFileBytes, hardware, evaluationsPerSandbox, reuseScope, timeout, localCommand, null, null);
	}

}
