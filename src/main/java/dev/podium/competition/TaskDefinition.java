package dev.podium.competition;

import java.time.Duration;

/** A task's rules, as an organizer defines them and as the API shows them. */
public record TaskDefinition(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
		String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
		long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, Duration timeout,
		String localCommand) {
}
