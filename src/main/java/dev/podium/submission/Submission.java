package dev.podium.submission;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;

import dev.podium.competition.SubmissionKind;

import org.springframework.data.domain.Persistable;

/**
 * A participant's entry for a task, and at the same time its place in the evaluation
 * queue: inserting the row is the enqueue. Its status changes only through the transition
 * methods, each of which checks where the submission stands.
 */
@Entity
@Table(name = "submissions")
public class Submission implements Persistable<UUID> {

	@Id
	private UUID id;

	private UUID competitionId;

	private UUID taskId;

	private UUID participantId;

	/** Who the submission competes for: the team, or the participant who has none. */
	private UUID entrantId;

	@Enumerated(EnumType.STRING)
	private SubmissionKind kind;

	private String description;

	private String model;

	private String revision;

	private byte[] accessTokenSealed;

	private String fileName;

	private Long fileBytes;

	@Enumerated(EnumType.STRING)
	private SubmissionStatus status;

	private LocalDate quotaDay;

	private Instant submittedAt;

	private Instant startedAt;

	private Instant evaluatingAt;

	private Instant finishedAt;

	private Double publicScore;

	private Double privateScore;

	@Enumerated(EnumType.STRING)
	private FailureCategory failureCategory;

	private String failureMessage;

	private boolean selected;

	private String idempotencyKey;

	private String requestFingerprint;

	private String contentKey;

	private int attempts;

	private Instant notBefore;

	private UUID sandboxId;

	private UUID attemptId;

	private long fairRound;

	private Instant checkedAt;

	private Instant preflightLeaseUntil;

	private Instant preflightNotBefore;

	private String modelResolved;

	private String revisionSha;

	private Instant jobStartedAt;

	private Instant jobDeadlineAt;

	private Instant heldAt;

	private String heldReason;

	private String externalId;

	private Instant excludedAt;

	private String excludedReason;

	private String excludedBy;

	private boolean baseline;

	@Version
	private long version;

	/**
	 * Made here and not stored yet: saving it inserts, without first looking for a row
	 * with its id (the id is ours, so the repository cannot tell otherwise).
	 */
	@Transient
	private boolean fresh = true;

	protected Submission() {
	}

	@PostLoad
	@PostPersist
	void markStored() {
		this.fresh = false;
	}

	@Override
	public UUID getId() {
		return this.id;
	}

	@Override
	public boolean isNew() {
		return this.fresh;
	}

	private Submission(UUID competitionId, UUID taskId, UUID participantId, SubmissionKind kind, String description,
			LocalDate quotaDay, Instant submittedAt, String idempotencyKey, String requestFingerprint) {
		this.id = UUID.randomUUID();
		this.competitionId = competitionId;
		this.taskId = taskId;
		this.participantId = participantId;
		this.kind = kind;
		this.description = description;
		this.status = SubmissionStatus.QUEUED;
		this.quotaDay = quotaDay;
		this.submittedAt = submittedAt;
		this.idempotencyKey = idempotencyKey;
		this.requestFingerprint = requestFingerprint;
	}

	private static Submission of(Intake intake, SubmissionKind kind) {
		Submission submission = new Submission(intake.competitionId(), intake.taskId(), intake.participantId(), kind,
				intake.description(), intake.quotaDay(), intake.at(), intake.idempotencyKey(), intake.fingerprint());
		submission.entrantId = intake.entrantId();
		submission.fairRound = intake.fairRound();
		submission.contentKey = intake.contentKey();
		return submission;
	}

	/** A predictions file needs no pre-flight: it is ready for a sandbox at once. */
	static Submission ofFile(Intake intake, String fileName, long fileBytes) {
		Submission submission = of(intake, SubmissionKind.FILE);
		submission.fileName = fileName;
		submission.fileBytes = fileBytes;
		submission.checkedAt = intake.at();
		return submission;
	}

	/**
	 * @param sealer seals the participant's token for this submission alone (its id is
	 * the associated data), or {@code null} without a token
	 * @param pin the model as the provider resolved it at intake, or {@code null} when
	 * that was not possible then (pre-flight resolves it later)
	 */
	static Submission ofModel(Intake intake, String model, String revision,
			java.util.function.Function<UUID, byte[]> sealer, ModelPin pin) {
		Submission submission = of(intake, SubmissionKind.MODEL);
		submission.model = model;
		submission.revision = revision;
		submission.accessTokenSealed = (sealer != null) ? sealer.apply(submission.id) : null;
		if (pin != null) {
			submission.modelResolved = pin.model();
			submission.revisionSha = pin.revision();
			submission.checkedAt = intake.at();
		}
		return submission;
	}

	/**
	 * A submission brought over from elsewhere with the outcome it had there. One that
	 * had not finished there waits in Podium's queue to be evaluated here.
	 */
	static Submission imported(Intake intake, SubmissionHistory.Past past) {
		Submission submission = of(intake, past.kind());
		submission.externalId = past.externalId();
		submission.fileName = past.fileName();
		submission.fileBytes = (past.file() != null) ? (long) past.file().length : null;
		submission.model = past.model();
		submission.revision = past.revision();
		switch (past.outcome()) {
			case SCORED -> {
				submission.status = SubmissionStatus.SCORED;
				submission.publicScore = past.publicScore();
				submission.privateScore = past.privateScore();
				submission.finishedAt = past.submittedAt();
				submission.selected = past.selected();
				submission.checkedAt = past.submittedAt();
			}
			case FAILED -> {
				submission.status = SubmissionStatus.FAILED;
				// It counted toward its day's limit there: it does here.
				submission.failureCategory = FailureCategory.SUBMISSION;
				submission.failureMessage = Failure.truncate(past.failureMessage(), 2000);
				submission.finishedAt = past.submittedAt();
			}
			case WAITING -> {
				submission.status = SubmissionStatus.QUEUED;
				// A file needs no pre-flight; a model is resolved again before it runs.
				submission.checkedAt = (past.kind() == SubmissionKind.FILE) ? intake.at() : null;
			}
		}
		return submission;
	}

	/**
	 * An organizer's baseline, scored at once from its predictions: shown on the boards,
	 * never ranked, never in the queue.
	 */
	static Submission ofBaseline(UUID competitionId, UUID taskId, UUID organizerId, String name, String fileName,
			long fileBytes, Instant at, LocalDate day, ScoreCard scores) {
		Submission submission = new Submission(competitionId, taskId, organizerId, SubmissionKind.FILE, name, day, at,
				null, null);
		submission.entrantId = organizerId;
		submission.baseline = true;
		submission.fileName = fileName;
		submission.fileBytes = fileBytes;
		submission.checkedAt = at;
		submission.startEvaluating(null, null, at);
		submission.markScored(scores.publicScore(), scores.privateScore(), at);
		return submission;
	}

	/** What every new submission carries, whatever its kind. */
	record Intake(UUID competitionId, UUID taskId, UUID participantId, UUID entrantId, String description,
			LocalDate quotaDay, Instant at, String idempotencyKey, String fingerprint, long fairRound,
			String contentKey) {
	}

	/** A model as it will be downloaded: the resolved id at a pinned revision. */
	record ModelPin(String model, String revision) {
	}

	/** Withdraws a submission that has not started. */
	void cancel(Instant at) {
		require(SubmissionStatus.QUEUED, "cancel");
		this.status = SubmissionStatus.CANCELLED;
		this.finishedAt = at;
		eraseSecrets();
	}

	/**
	 * Ends a waiting submission that can never be evaluated (pre-flight found the model
	 * missing, its token unusable, the task misconfigured): it never reached a sandbox.
	 */
	void refuse(Failure failure, Instant at) {
		require(SubmissionStatus.QUEUED, "refuse");
		this.status = SubmissionStatus.FAILED;
		this.failureCategory = failure.category();
		this.failureMessage = failure.message();
		this.finishedAt = at;
		eraseSecrets();
	}

	/**
	 * Pre-flight passed: the model as the Hub resolved it (after renames) at the commit
	 * the revision pointed to, which is what the sandbox downloads.
	 */
	void markChecked(String resolvedModel, String revisionSha, Instant at) {
		require(SubmissionStatus.QUEUED, "check");
		this.modelResolved = resolvedModel;
		this.revisionSha = revisionSha;
		this.checkedAt = at;
		this.preflightLeaseUntil = null;
		this.preflightNotBefore = null;
	}

	/** Pre-flight could not decide now (the Hub is unreachable): ask again later. */
	void deferCheck(Instant notBefore) {
		require(SubmissionStatus.QUEUED, "defer the check of");
		this.preflightLeaseUntil = null;
		this.preflightNotBefore = notBefore;
	}

	/**
	 * Taken from the queue by an evaluation ({@code null} sandbox for an inline one).
	 * Each claim is a new attempt with a new id, which fences off every write of the
	 * attempts before it. (Sandbox jobs are claimed by one SQL statement that does the
	 * same; see {@link SubmissionQueue#claimNext}.)
	 */
	void startEvaluating(UUID sandboxId, UUID attemptId, Instant at) {
		require(SubmissionStatus.QUEUED, "start evaluating");
		this.status = SubmissionStatus.EVALUATING;
		this.startedAt = at;
		this.evaluatingAt = at;
		this.sandboxId = sandboxId;
		this.attemptId = attemptId;
		this.attempts++;
		this.notBefore = null;
		this.jobStartedAt = null;
		this.jobDeadlineAt = null;
	}

	/**
	 * The sandbox has downloaded what the job needs and starts running it: its time limit
	 * counts from now.
	 */
	void markJobStarted(Instant at, Instant deadline) {
		require(SubmissionStatus.EVALUATING, "start the job of");
		if (this.jobStartedAt != null) {
			throw new IllegalStateException(
					"Cannot start the job of submission %s twice. Current status: %s".formatted(this.id, this.status));
		}
		this.jobStartedAt = at;
		this.jobDeadlineAt = deadline;
	}

	/** Records its scores; the end of a successful evaluation. */
	void markScored(Double publicScore, Double privateScore, Instant at) {
		require(SubmissionStatus.EVALUATING, "score");
		this.status = SubmissionStatus.SCORED;
		this.publicScore = publicScore;
		this.privateScore = privateScore;
		this.finishedAt = at;
		eraseSecrets();
	}

	/**
	 * Ends an evaluation as failed; a PLATFORM failure ends here once retries are spent.
	 */
	void markFailed(Failure failure, Instant at) {
		require(SubmissionStatus.EVALUATING, "fail");
		this.status = SubmissionStatus.FAILED;
		this.failureCategory = failure.category();
		this.failureMessage = failure.message();
		this.finishedAt = at;
		eraseSecrets();
	}

	/**
	 * Puts an evaluating submission back in the queue after a platform failure, to be
	 * retried no earlier than {@code notBefore}; its round in the fair order is kept.
	 */
	void requeue(Instant notBefore) {
		require(SubmissionStatus.EVALUATING, "requeue");
		this.status = SubmissionStatus.QUEUED;
		this.startedAt = null;
		this.evaluatingAt = null;
		this.sandboxId = null;
		this.attemptId = null;
		this.jobStartedAt = null;
		this.jobDeadlineAt = null;
		this.notBefore = notBefore;
	}

	/**
	 * Undoes a claim whose job never reached its sandbox: back to the queue, the attempt
	 * not counted.
	 */
	void unclaim() {
		requeue(null);
		this.attempts--;
	}

	/**
	 * A sandbox made for it failed before it could take any job: an attempt of the
	 * platform's, counted as one so that retries end; not before {@code notBefore} again.
	 */
	void countFailedStart(Instant notBefore) {
		require(SubmissionStatus.QUEUED, "count a failed start of");
		this.attempts++;
		this.notBefore = notBefore;
	}

	/** Waits for an operator before it may be evaluated again. */
	void hold(String reason, Instant at) {
		require(SubmissionStatus.QUEUED, "hold");
		this.heldAt = at;
		this.heldReason = reason;
	}

	/** An operator let it go back to the queue. */
	void releaseHold() {
		require(SubmissionStatus.QUEUED, "release");
		if (this.heldAt == null) {
			throw new IllegalStateException(
					"Cannot release submission %s: it is not held. Current status: %s".formatted(this.id, this.status));
		}
		this.heldAt = null;
		this.heldReason = null;
	}

	/**
	 * An organizer has a finished submission evaluated again: back to the queue at the
	 * given round, its scores and failure gone until the new evaluation ends.
	 */
	void rerun(long round, Instant at) {
		if (this.status != SubmissionStatus.SCORED && this.status != SubmissionStatus.FAILED) {
			throw new IllegalStateException(
					"Only finished submissions can be re-run. Current status: %s".formatted(this.status));
		}
		this.status = SubmissionStatus.QUEUED;
		this.publicScore = null;
		this.privateScore = null;
		this.failureCategory = null;
		this.failureMessage = null;
		this.selected = false;
		this.finishedAt = null;
		this.startedAt = null;
		this.evaluatingAt = null;
		this.notBefore = null;
		this.sandboxId = null;
		this.attemptId = null;
		this.fairRound = round;
		// a new series of attempts: the retry policy counts from zero again
		this.attempts = 0;
		if (this.checkedAt == null) {
			this.checkedAt = at;
		}
	}

	/** An organizer takes it off the boards (a duplicate, a leak), saying why. */
	void exclude(String reason, String by, Instant at) {
		if (this.excludedAt != null) {
			throw new IllegalStateException(
					"Submission %s is excluded already. Current status: %s".formatted(this.id, this.status));
		}
		this.excludedAt = at;
		this.excludedReason = reason;
		this.excludedBy = by;
	}

	/** An organizer lifts its exclusion: it stands on the boards again. */
	void readmit() {
		if (this.excludedAt == null) {
			throw new IllegalStateException(
					"Submission %s is not excluded. Current status: %s".formatted(this.id, this.status));
		}
		this.excludedAt = null;
		this.excludedReason = null;
		this.excludedBy = null;
	}

	/** Marks it for (or removes it from) the private leaderboard. */
	void select(boolean selected) {
		if (selected && this.status != SubmissionStatus.SCORED) {
			throw new IllegalStateException(
					"Only scored submissions can be selected. Current status: %s".formatted(this.status));
		}
		this.selected = selected;
	}

	/**
	 * A participant's Hub token is needed only until the submission is final: then it is
	 * erased, never kept sealed forever.
	 */
	private void eraseSecrets() {
		this.accessTokenSealed = null;
	}

	private void require(SubmissionStatus expected, String transition) {
		if (this.status != expected) {
			throw new IllegalStateException(
					"Cannot %s submission %s. Current status: %s".formatted(transition, this.id, this.status));
		}
	}

	public UUID id() {
		return this.id;
	}

	/** Its id where it was imported from; {@code null} for one made here. */
	public String externalId() {
		return this.externalId;
	}

	/** When an organizer took it off the boards; {@code null} while it stands. */
	public Instant excludedAt() {
		return this.excludedAt;
	}

	public String excludedReason() {
		return this.excludedReason;
	}

	/** An organizer's entry, shown on the boards but never ranked. */
	public boolean baseline() {
		return this.baseline;
	}

	public UUID competitionId() {
		return this.competitionId;
	}

	public UUID taskId() {
		return this.taskId;
	}

	public UUID participantId() {
		return this.participantId;
	}

	/**
	 * The team the submission competes for, or its participant's own id without a team.
	 */
	public UUID entrantId() {
		return this.entrantId;
	}

	public SubmissionKind kind() {
		return this.kind;
	}

	public String description() {
		return this.description;
	}

	public String model() {
		return this.model;
	}

	public String revision() {
		return this.revision;
	}

	/** The participant's sealed Hub read token, for a private model. */
	public Optional<byte[]> accessTokenSealed() {
		return Optional.ofNullable(this.accessTokenSealed);
	}

	public String fileName() {
		return this.fileName;
	}

	public Long fileBytes() {
		return this.fileBytes;
	}

	public SubmissionStatus status() {
		return this.status;
	}

	public LocalDate quotaDay() {
		return this.quotaDay;
	}

	public Instant submittedAt() {
		return this.submittedAt;
	}

	public Instant startedAt() {
		return this.startedAt;
	}

	public Instant evaluatingAt() {
		return this.evaluatingAt;
	}

	public Instant finishedAt() {
		return this.finishedAt;
	}

	public Double publicScore() {
		return this.publicScore;
	}

	public Double privateScore() {
		return this.privateScore;
	}

	public Optional<Failure> failure() {
		return (this.failureCategory != null) ? Optional.of(new Failure(this.failureCategory, this.failureMessage))
				: Optional.empty();
	}

	public boolean selected() {
		return this.selected;
	}

	/** How many times it was taken from the queue. */
	public int attempts() {
		return this.attempts;
	}

	/** After a platform failure: when it may be retried. */
	public Instant notBefore() {
		return this.notBefore;
	}

	/** The sandbox evaluating it in its current attempt. */
	public UUID sandboxId() {
		return this.sandboxId;
	}

	public UUID attemptId() {
		return this.attemptId;
	}

	/** Its round in the fair order of its task's queue. */
	public long fairRound() {
		return this.fairRound;
	}

	/** When pre-flight passed; {@code null} while it has to be checked. */
	public Instant checkedAt() {
		return this.checkedAt;
	}

	/** The model id as the Hub resolved it (after renames), once checked. */
	public String modelResolved() {
		return this.modelResolved;
	}

	/** The commit the revision pointed to when the submission was checked. */
	public String revisionSha() {
		return this.revisionSha;
	}

	/** When its sandbox started running the job (after downloads). */
	public Instant jobStartedAt() {
		return this.jobStartedAt;
	}

	public Instant jobDeadlineAt() {
		return this.jobDeadlineAt;
	}

	/** Set while it waits for an operator. */
	public Instant heldAt() {
		return this.heldAt;
	}

	public String heldReason() {
		return this.heldReason;
	}

	String requestFingerprint() {
		return this.requestFingerprint;
	}

}
