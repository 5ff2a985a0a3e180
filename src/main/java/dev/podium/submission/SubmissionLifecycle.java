package dev.podium.submission;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves submissions through their states for the evaluation pipeline. Each change goes
 * through the submission's guarded transition method, is written to its history and
 * logged with its ids, within the caller's transaction.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY)
public class SubmissionLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SubmissionLifecycle.class);

	private final SubmissionRepository repository;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	SubmissionLifecycle(SubmissionRepository repository, JdbcTemplate jdbc, Clock clock) {
		this.repository = repository;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Locks and loads a submission for a change. */
	public Optional<Submission> lock(UUID submissionId) {
		return this.repository.findForUpdate(submissionId);
	}

	/** Submissions of a sandbox that are not finished yet. */
	public List<Submission> unfinishedIn(UUID sandboxId) {
		return this.repository.findUnfinishedInSandbox(sandboxId);
	}

	/** Records the first entry of a new submission's history. */
	void created(Submission submission) {
		record(submission, "submitted");
	}

	Submission cancel(Submission submission) {
		submission.cancel(now());
		return record(submission, "cancelled by its participant");
	}

	public Submission startProvisioning(Submission submission, UUID sandboxId) {
		submission.startProvisioning(sandboxId, now());
		return record(submission, (sandboxId != null) ? "sandbox " + sandboxId : "inline");
	}

	public Submission startEvaluating(Submission submission) {
		submission.startEvaluating(now());
		return record(submission, null);
	}

	public Submission markScored(Submission submission, Double publicScore, Double privateScore) {
		submission.markScored(publicScore, privateScore, now());
		return record(submission, "public=" + publicScore);
	}

	public Submission markFailed(Submission submission, Failure failure) {
		submission.markFailed(failure, now());
		return record(submission, failure.category() + ": " + failure.message());
	}

	public Submission requeue(Submission submission, Instant notBefore, String reason) {
		submission.requeue(notBefore);
		return record(submission, "retry after " + notBefore + ": " + reason);
	}

	public Submission release(Submission submission, String reason) {
		submission.release();
		return record(submission, "released: " + reason);
	}

	private Submission record(Submission submission, String detail) {
		Submission saved = this.repository.saveAndFlush(submission);
		this.jdbc.update("insert into submission_transitions (submission_id, status, at, detail) values (?, ?, ?, ?)",
				saved.id(), saved.status().name(), Timestamp.from(now()), truncate(detail));
		log.info("submission={} task={} participant={} status={} attempt={}{}", saved.id(), saved.taskId(),
				saved.participantId(), saved.status(), saved.attempts(), (detail != null) ? " " + detail : "");
		return saved;
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static String truncate(String detail) {
		return (detail == null || detail.length() <= 2000) ? detail : detail.substring(0, 2000);
	}

}
