package dev.podium.submission;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

import dev.podium.competition.SubmissionKind;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes the submissions a challenge had before it moved to Podium, with the outcomes,
 * scores, selections and dates they had, so that leaderboards, daily limits and
 * selections continue where they were. Only within the caller's transaction: an import
 * writes its whole history or none of it.
 */
@Service
public class SubmissionHistory {

	private final SubmissionRepository submissions;

	private final SubmissionFileRepository files;

	private final SubmissionQueue queue;

	private final SubmissionLifecycle lifecycle;

	private final ApplicationEventPublisher events;

	SubmissionHistory(SubmissionRepository submissions, SubmissionFileRepository files, SubmissionQueue queue,
			SubmissionLifecycle lifecycle, ApplicationEventPublisher events) {
		this.submissions = submissions;
		this.files = files;
		this.queue = queue;
		this.lifecycle = lifecycle;
		this.events = events;
	}

	/** Where a past submission had got to. */
	public enum Outcome {

		/** Evaluated, with its scores. */
		SCORED,

		/** Failed there; it counted toward its day's limit, as it does here. */
		FAILED,

		/** Not finished there: Podium evaluates it. */
		WAITING

	}

	/**
	 * A submission as it was elsewhere.
	 *
	 * @param externalId its id there, unique within the task
	 * @param file a FILE submission's content; {@code null} when it is lost (a scored one
	 * keeps its scores; a waiting one cannot be evaluated without it)
	 */
	public record Past(UUID competitionId, UUID taskId, UUID participantId, UUID entrantId, String externalId,
			SubmissionKind kind, Instant submittedAt, String description, Outcome outcome, Double publicScore,
			Double privateScore, boolean selected, String failureMessage, String fileName, byte[] file, String model,
			String revision) {

		@Override
		public String toString() {
			return "Past[" + this.externalId + ", " + this.outcome + "]";
		}

	}

	/**
	 * @param zone the competition's zone, whose days the daily limit counts
	 * @return the new submission's id
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public UUID record(Past past, ZoneId zone) {
		LocalDate day = DailyQuota.dayOf(past.submittedAt(), zone);
		long round = (past.outcome() == Outcome.WAITING) ? this.queue.assignRound(past.taskId(), past.entrantId()) : 0;
		Submission.Intake intake = new Submission.Intake(past.competitionId(), past.taskId(), past.participantId(),
				past.entrantId(), blankToNull(past.description()), day, past.submittedAt(), null, "imported", round,
				null);
		Submission submission = this.submissions.saveAndFlush(Submission.imported(intake, past));
		if (past.file() != null) {
			this.files.save(new SubmissionFile(submission.id(), past.file()));
		}
		this.lifecycle.history(submission.id(), submission.taskId(), submission.participantId(), submission.status(), 0,
				"imported " + past.externalId() + " as " + past.outcome());
		if (past.outcome() == Outcome.WAITING) {
			this.events.publishEvent(new SubmissionQueued(submission.id(), past.taskId(), past.participantId()));
		}
		return submission.id();
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
