package dev.podium.competition.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.podium.competition.BoardRules;
import dev.podium.competition.CompetitionDefinition;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.PrivateBoardRule;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.SubmissionKind;
import dev.podium.competition.TaskDefinition;
import dev.podium.competition.TimeRules;
import dev.podium.problem.InvalidRequestException;

/**
 * A competition definition as posted by an organizer; omitted task rules take defaults.
 */
record CompetitionRequest(@NotNull @Pattern(regexp = SLUG, message = SLUG_MESSAGE) String slug,
		@NotBlank @Size(max = 200) String title, @NotNull Instant startsAt, @NotNull Instant endsAt,
		@Size(max = 64) String timezone, @NotEmpty @Size(max = 20) List<@Valid @NotNull TaskRequest> tasks,
		PrivateBoardRule privateBoardRule, Instant leaderboardFreezesAt, Instant privateRevealAt,
		Instant selectionDeadline, Boolean allowLateSubmissions) {

	static final String SLUG = "[a-z0-9][a-z0-9-]{0,62}";

	static final String SLUG_MESSAGE = "must be 1-63 lowercase letters, digits or hyphens, starting with a letter or digit";

	CompetitionDefinition toDefinition() {
		ZoneId zone;
		try {
			zone = (this.timezone == null) ? ZoneId.of("UTC") : ZoneId.of(this.timezone);
		}
		catch (RuntimeException ex) {
			throw new InvalidRequestException("timezone", "unknown time zone '" + this.timezone + "'");
		}
		return new CompetitionDefinition(this.slug, this.title, this.startsAt, this.endsAt, zone,
				this.tasks.stream().map(TaskRequest::toDefinition).toList(),
				new BoardRules(this.privateBoardRule,
						new TimeRules(this.leaderboardFreezesAt, this.privateRevealAt, this.selectionDeadline),
						Boolean.TRUE.equals(this.allowLateSubmissions)));
	}

	record TaskRequest(@NotNull @Pattern(regexp = SLUG, message = SLUG_MESSAGE) String slug,
			@NotBlank @Size(max = 200) String title, @NotNull SubmissionKind submissionKind, EvaluationMode evaluation,
			@NotBlank @Size(max = 64) String metric, Boolean higherIsBetter,
			@Min(1) @Max(1000) Integer dailySubmissionLimit, @Min(1) @Max(100) Integer selectionLimit,
			@Size(min = 1, max = 64) String idColumn, @Min(1) @Max(104_857_600) Long maxFileBytes,
			@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}",
					message = "must be a Hub hardware flavor such as cpu-basic") String hardware,
			@Min(1) @Max(10_000) Integer evaluationsPerSandbox, ReuseScope reuseScope,
			@Min(10) @Max(86_400) Integer timeoutSeconds, @Size(max = 2000) String localCommand,
			@Min(60) @Max(172_800) Integer sandboxLifetimeSeconds, @Min(0) @Max(172_800) Integer idleTimeoutSeconds,
			@Size(max = 10) List<@NotBlank @Size(max = 64) String> secondaryMetrics, Instant leaderboardFreezesAt,
			Instant privateRevealAt, Instant selectionDeadline) {

		TaskDefinition toDefinition() {
			return new TaskDefinition(this.slug, this.title, this.submissionKind,
					or(this.evaluation, EvaluationMode.SANDBOX), this.metric,
					or(this.higherIsBetter, higherIsBetterByName(this.metric)), or(this.dailySubmissionLimit, 5),
					or(this.selectionLimit, 2), or(this.idColumn, "id"), or(this.maxFileBytes, 10L * 1024 * 1024),
					or(this.hardware, "cpu-basic"),
					or(this.evaluationsPerSandbox, (this.evaluation == EvaluationMode.INLINE) ? 1 : 25),
					or(this.reuseScope, ReuseScope.PARTICIPANT), Duration.ofSeconds(or(this.timeoutSeconds, 1800)),
					this.localCommand, seconds(this.sandboxLifetimeSeconds), seconds(this.idleTimeoutSeconds),
					or(this.secondaryMetrics, List.of()),
					new TimeRules(this.leaderboardFreezesAt, this.privateRevealAt, this.selectionDeadline));
		}

		/**
		 * scikit-learn's naming convention: {@code *_score} grows with quality,
		 * {@code *_error} and {@code *_loss} shrink.
		 */
		static boolean higherIsBetterByName(String metric) {
			return !(metric.endsWith("_error") || metric.endsWith("_loss"));
		}

		private static Duration seconds(Integer seconds) {
			return (seconds != null) ? Duration.ofSeconds(seconds) : null;
		}

		private static <T> T or(T value, T fallback) {
			return (value != null) ? value : fallback;
		}

	}

}
