package dev.podium.submission.web;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.podium.competition.SubmissionKind;
import dev.podium.submission.Failure;
import dev.podium.submission.SubmissionStatus;

/**
 * A submission as its participant and the organizers see it; absent fields are omitted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SubmissionResponse(String id, String competition, String task, String participant, SubmissionKind kind,
		SubmissionStatus status, Instant submittedAt,
		@Schema(description = "While QUEUED: its place among its task's waiting submissions, 1 = next, in the order "
				+ "work starts (the fair order). A snapshot: earlier rounds, and its own round up to a mark "
				+ "every 64 submissions, are counted once per scheduling round "
				+ "(podium.evaluation.queue-snapshot-interval), so it may be too high by those that "
				+ "started or left since, but never shows the order otherwise than work starts") Integer queuePosition,
		String waitingFor,
		@Schema(description = "While QUEUED: an estimate from the same snapshot, the sandboxes serving its scope "
				+ "(read at most once a second and after each scheduling round), "
				+ "the planner's last decisions and recent build and job times; absent when none is possible "
				+ "(an operator must act, creations paused)") Instant estimatedStartAt,
		String description, String model, String revision, String fileName, Instant startedAt, Instant finishedAt,
		Double publicScore, Double privateScore, Failure failure, Boolean selected, Map<String, MetricScores> metrics,
		Exclusion exclusion) {

	/**
	 * Taken off the boards by an organizer.
	 *
	 * @param scope {@code SUBMISSION} (this one) or {@code PARTICIPANT} (all of theirs)
	 */
	record Exclusion(String scope, String reason, Instant since) {
	}

	/** A secondary metric's scores (the private one once it is shown). */
	record MetricScores(Double publicScore, Double privateScore) {
	}

}
