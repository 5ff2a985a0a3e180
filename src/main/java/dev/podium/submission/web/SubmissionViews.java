package dev.podium.submission.web;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.security.Accounts;
import dev.podium.security.PodiumUser;
import dev.podium.submission.Exclusions;
import dev.podium.submission.QueueForecast;
import dev.podium.submission.ScoreCard;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.Submissions;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Shapes submissions for the API: names instead of ids, and only the scores the viewer
 * may see. One read-only transaction for all it reads (names, places, estimates, scores).
 */
@Component
@Transactional(readOnly = true)
class SubmissionViews {

	private final Competitions competitions;

	private final Accounts accounts;

	private final SubmissionQueue queue;

	private final QueueForecast forecast;

	private final Submissions submissions;

	private final Exclusions exclusions;

	private final Clock clock;

	SubmissionViews(Competitions competitions, Accounts accounts, SubmissionQueue queue, QueueForecast forecast,
			Submissions submissions, Exclusions exclusions, Clock clock) {
		this.competitions = competitions;
		this.accounts = accounts;
		this.queue = queue;
		this.forecast = forecast;
		this.submissions = submissions;
		this.exclusions = exclusions;
		this.clock = clock;
	}

	/**
	 * Why the submission is off the boards, if it is: its own exclusion, or its
	 * participant's.
	 */
	private static SubmissionResponse.Exclusion exclusion(Submission submission,
			Exclusions.ParticipantExclusion participant) {
		if (submission.excludedAt() != null) {
			return new SubmissionResponse.Exclusion("SUBMISSION", submission.excludedReason(), submission.excludedAt());
		}
		return (participant != null)
				? new SubmissionResponse.Exclusion("PARTICIPANT", participant.reason(), participant.at()) : null;
	}

	SubmissionResponse of(Submission submission, PodiumUser viewer) {
		return list(List.of(submission), viewer).get(0);
	}

	List<SubmissionResponse> list(List<Submission> submissions, PodiumUser viewer) {
		Map<UUID, Integer> positions = this.queue.positions(submissions.stream().map(Submission::id).toList());
		Map<UUID, QueueForecast.Wait> waits = this.forecast.forecast(submissions);
		Map<UUID, Competition> competitionsById = new HashMap<>();
		Map<UUID, String> names = this.accounts.names(submissions.stream().map(Submission::participantId).toList());
		Map<UUID, Exclusions.ParticipantExclusion> excluded = this.exclusions
			.ofParticipants(submissions.stream().map(Submission::participantId).distinct().toList());
		Map<UUID, Map<String, ScoreCard.Split>> secondary = this.submissions
			.secondaryScores(submissions.stream().map(Submission::id).toList());
		return submissions.stream().map((submission) -> {
			// a page of submissions mostly shares one competition: look each up once
			Competition competition = competitionsById.computeIfAbsent(submission.competitionId(),
					(id) -> this.competitions.find(id).orElseThrow());
			Task task = competition.task(submission.taskId()).orElseThrow();
			boolean privateVisible = viewer.isStaff()
					|| !this.clock.instant().isBefore(task.effectiveTimeRules().privateRevealAt());
			Map<String, SubmissionResponse.MetricScores> metrics = null;
			if (secondary.containsKey(submission.id())) {
				metrics = new LinkedHashMap<>();
				for (Map.Entry<String, ScoreCard.Split> split : secondary.get(submission.id()).entrySet()) {
					metrics.put(split.getKey(), new SubmissionResponse.MetricScores(split.getValue().publicScore(),
							privateVisible ? split.getValue().privateScore() : null));
				}
			}
			return new SubmissionResponse(submission.id().toString(), competition.slug(), task.slug(),
					names.get(submission.participantId()), submission.kind(), submission.status(),
					submission.submittedAt(), positions.get(submission.id()),
					waits.containsKey(submission.id()) ? waits.get(submission.id()).waitingFor() : null,
					waits.containsKey(submission.id()) ? waits.get(submission.id()).estimatedStartAt() : null,
					submission.description(), submission.model(), submission.revision(), submission.fileName(),
					submission.startedAt(), submission.finishedAt(), submission.publicScore(),
					privateVisible ? submission.privateScore() : null, submission.failure().orElse(null),
					submission.selected() ? Boolean.TRUE : null, metrics,
					exclusion(submission, excluded.get(submission.participantId())));
		}).toList();
	}

}
