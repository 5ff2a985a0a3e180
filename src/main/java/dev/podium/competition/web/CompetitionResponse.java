package dev.podium.competition.web;

import java.time.Instant;
import java.util.List;

import dev.podium.competition.Competition;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.PrivateBoardRule;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.SubmissionKind;
import dev.podium.competition.Task;
import dev.podium.competition.TimeRules;

/**
 * A competition; the time rules as they apply ({@code privateRevealAt} and
 * {@code selectionDeadline} default to the end), a task's own ones beside its
 * competition's.
 */
record CompetitionResponse(String slug, String title, Instant startsAt, Instant endsAt, String timezone,
		List<TaskResponse> tasks, PrivateBoardRule privateBoardRule, Instant leaderboardFreezesAt,
		Instant privateRevealAt, Instant selectionDeadline, boolean allowLateSubmissions) {

	static CompetitionResponse of(Competition competition, boolean staff) {
		TimeRules rules = competition.effectiveTimeRules();
		return new CompetitionResponse(competition.slug(), competition.title(), competition.startsAt(),
				competition.endsAt(), competition.zone().getId(),
				competition.tasks().stream().map((task) -> TaskResponse.of(task, staff)).toList(),
				competition.privateBoardRule(), rules.leaderboardFreezesAt(), rules.privateRevealAt(),
				rules.selectionDeadline(), competition.allowsLateSubmissions());
	}

	/** {@code localCommand} is organizer configuration: participants do not see it. */
	record TaskResponse(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
			String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
			long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, long timeoutSeconds,
			String localCommand, Long sandboxLifetimeSeconds, Long idleTimeoutSeconds, List<String> secondaryMetrics,
			Instant leaderboardFreezesAt, Instant privateRevealAt, Instant selectionDeadline) {

		static TaskResponse of(Task task, boolean staff) {
			return new TaskResponse(task.slug(), task.title(), task.submissionKind(), task.evaluation(), task.metric(),
					task.higherIsBetter(), task.dailySubmissionLimit(), task.selectionLimit(), task.idColumn(),
					task.maxFileBytes(), task.hardware(), task.evaluationsPerSandbox(), task.reuseScope(),
					task.timeout().toSeconds(), staff ? task.localCommand() : null,
					(task.sandboxLifetime() != null) ? task.sandboxLifetime().toSeconds() : null,
					(task.idleTimeout() != null) ? task.idleTimeout().toSeconds() : null, task.secondaryMetrics(),
					task.effectiveTimeRules().leaderboardFreezesAt(), task.effectiveTimeRules().privateRevealAt(),
					task.effectiveTimeRules().selectionDeadline());
		}

	}

}
