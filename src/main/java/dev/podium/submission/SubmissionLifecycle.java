package dev.podium.submission;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes every status change of a submission: the change itself (through the entity's
 * guarded transition, or the one SQL claim), a line in its history, and a log line with
 * its ids, within the caller's transaction. Internal to the module: other modules command
 * submissions by id through {@link SubmissionQueue} and {@link Submissions}.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
class SubmissionLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SubmissionLifecycle.class);

	private final SubmissionRepository repository;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	SubmissionLifecycle(SubmissionRepository repository, JdbcTemplate jdbc, Clock clock,
			ApplicationEventPublisher events) {
		this.repository = repository;
		this.jdbc = jdbc;
		this.clock = clock;
		this.events = events;
	}

	void created(Submission submission) {
		record(submission, "submitted");
	}

	Submission cancel(Submission submission) {
		submission.cancel(now());
		return record(submission, "cancelled by its participant");
	}

	Submission refuse(Submission submission, Failure failure) {
		submission.refuse(failure, now());
		return finished(
				record(submission, "refused before evaluation: " + failure.category() + ": " + failure.message()));
	}

	Submission startEvaluating(Submission submission, UUID sandboxId, UUID attemptId) {
		submission.startEvaluating(sandboxId, attemptId, now());
		return record(submission, (sandboxId != null) ? "sandbox " + sandboxId : "inline");
	}

	Submission markScored(Submission submission, Double publicScore, Double privateScore) {
		submission.markScored(publicScore, privateScore, now());
		return finished(record(submission, "public=" + publicScore));
	}

	Submission markFailed(Submission submission, Failure failure) {
		submission.markFailed(failure, now());
		return finished(record(submission, failure.category() + ": " + failure.message()));
	}

	Submission requeue(Submission submission, Instant notBefore, String reason) {
		submission.requeue(notBefore);
		return record(submission,
				((notBefore != null) ? "retry after " + notBefore : "back in the queue") + ": " + reason);
	}

	Submission countFailedStart(Submission submission, Instant notBefore, String reason) {
		submission.countFailedStart(notBefore);
		return record(submission, "its sandbox failed before taking a job"
				+ ((notBefore != null) ? ", retry after " + notBefore : "") + ": " + reason);
	}

	Submission unclaim(Submission submission, String reason) {
		submission.unclaim();
		return record(submission, "handed back unseen: " + reason);
	}

	Submission hold(Submission submission, String reason) {
		submission.hold(reason, now());
		return record(submission, "held for an operator: " + reason);
	}

	Submission releaseHold(Submission submission, String by) {
		submission.releaseHold();
		return record(submission, "released by " + by);
	}

	Submission rerun(Submission submission, long round, String by) {
		submission.rerun(round, now());
		return record(submission, "re-run by " + by);
	}

	private Submission finished(Submission submission) {
		this.events.publishEvent(new SubmissionFinished(submission.id(), submission.taskId(), submission.entrantId(),
				submission.participantId(), submission.status()));
		return submission;
	}

	private Submission record(Submission submission, String detail) {
		Submission saved = this.repository.saveAndFlush(submission);
		history(saved.id(), saved.taskId(), saved.participantId(), saved.status(), saved.attempts(), detail);
		return saved;
	}

	/**
	 * The history line and log line of a change, for changes made in SQL (the claim of a
	 * job) as well as through the entity.
	 */
	void history(UUID submissionId, UUID taskId, UUID participantId, SubmissionStatus status, int attempts,
			String detail) {
		this.jdbc.update("insert into submission_transitions (submission_id, status, at, detail) values (?, ?, ?, ?)",
				submissionId, status.name(), Timestamp.from(now()), Failure.truncate(detail, 2000));
		log.info("submission={} task={} participant={} status={} attempt={}{}", submissionId, taskId, participantId,
				status, attempts, (detail != null) ? " " + detail : "");
	}

	private Instant now() {
		return this.clock.instant();
	}

}
