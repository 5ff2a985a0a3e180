package dev.podium.competition.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionTexts;
import dev.podium.competition.ModelRunner;
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
		Instant privateRevealAt, Instant selectionDeadline, boolean allowLateSubmissions,
		@JsonInclude(JsonInclude.Include.NON_NULL) Texts texts,
		@JsonInclude(JsonInclude.Include.NON_NULL) String importedFrom) {

	static CompetitionResponse of(Competition competition, boolean staff) {
		TimeRules rules = competition.effectiveTimeRules();
		CompetitionTexts texts = competition.texts();
		return new CompetitionResponse(competition.slug(), competition.title(), competition.startsAt(),
				competition.endsAt(), competition.zone().getId(),
				competition.tasks().stream().map((task) -> TaskResponse.of(task, staff)).toList(),
				competition.privateBoardRule(), rules.leaderboardFreezesAt(), rules.privateRevealAt(),
				rules.selectionDeadline(), competition.allowsLateSubmissions(),
				texts.isEmpty() ? null : Texts.of(texts), staff ? competition.importedFrom() : null);
	}

	/** The page's texts as Markdown source: a client renders them, escaping any HTML. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Texts(String description, String datasetDescription, String submissionDescription, String rules,
			String logoUrl) {

		static Texts of(CompetitionTexts texts) {
			return new Texts(texts.description(), texts.datasetDescription(), texts.submissionDescription(),
					texts.rules(), texts.logoUrl());
		}

	}

	/** {@code localCommand} is organizer configuration: participants do not see it. */
	record TaskResponse(String slug, String title, SubmissionKind submissionKind, EvaluationMode evaluation,
			String metric, boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn,
			long maxFileBytes, String hardware, int evaluationsPerSandbox, ReuseScope reuseScope, long timeoutSeconds,
			String localCommand, Long sandboxLifetimeSeconds, Long idleTimeoutSeconds, List<String> secondaryMetrics,
			Instant leaderboardFreezesAt, Instant privateRevealAt, Instant selectionDeadline, ModelRunner runner,
			@JsonInclude(JsonInclude.Include.NON_NULL) String dataset) {

		static TaskResponse of(Task task, boolean staff) {
			return new TaskResponse(task.slug(), task.title(), task.submissionKind(), task.evaluation(), task.metric(),
					task.higherIsBetter(), task.dailySubmissionLimit(), task.selectionLimit(), task.idColumn(),
					task.maxFileBytes(), task.hardware(), task.evaluationsPerSandbox(), task.reuseScope(),
					task.timeout().toSeconds(), staff ? task.localCommand() : null,
					(task.sandboxLifetime() != null) ? task.sandboxLifetime().toSeconds() : null,
					(task.idleTimeout() != null) ? task.idleTimeout().toSeconds() : null, task.secondaryMetrics(),
					task.effectiveTimeRules().leaderboardFreezesAt(), task.effectiveTimeRules().privateRevealAt(),
					task.effectiveTimeRules().selectionDeadline(),
					(task.submissionKind() == SubmissionKind.MODEL) ? task.runner() : null, task.dataset());
		}

	}

}
