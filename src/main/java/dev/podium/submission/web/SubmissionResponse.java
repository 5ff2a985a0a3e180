package dev.podium.submission.web;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.podium.competition.SubmissionKind;
import dev.podium.submission.Failure;
import dev.podium.submission.SubmissionStatus;

/**
 * A submission as its participant and the organizers see it; absent fields are omitted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SubmissionResponse(String id, String competition, String task, String participant, SubmissionKind kind,
		SubmissionStatus status, Instant submittedAt, Integer queuePosition, String waitingFor,
		Instant estimatedStartAt, String description, String model, String revision, String fileName, Instant startedAt,
		Instant finishedAt, Double publicScore, Double privateScore, Failure failure, Boolean selected,
		Map<String, MetricScores> metrics, Exclusion exclusion) {

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
