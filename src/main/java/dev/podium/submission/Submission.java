package dev.podium.submission;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.podium.competition.SubmissionKind;

/**
 * A participant's entry for a task, and at the same time its place in the evaluation
 * queue: inserting the row is the enqueue. Its status changes only through the transition
 * methods, each of which checks where the submission stands.
 */
@Entity
@Table(name = "submissions")
public class Submission {

	@Id
	private UUID id;

	private UUID competitionId;

	private UUID taskId;

	private UUID participantId;

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

	private int attempts;

	private Instant notBefore;

	private UUID sandboxId;

	private UUID attemptId;

	@Version
	private long version;

	protected Submission() {
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

	static Submission ofFile(Intake intake, String fileName, long fileBytes) {
		Submission submission = new Submission(intake.competitionId(), intake.taskId(), intake.participantId(),
				SubmissionKind.FILE, intake.description(), intake.quotaDay(), intake.at(), intake.idempotencyKey(),
				intake.fingerprint());
		submission.fileName = fileName;
		submission.fileBytes = fileBytes;
		return submission;
	}

	static Submission ofModel(Intake intake, String model, String revision, byte[] accessTokenSealed) {
		Submission submission = new Submission(intake.competitionId(), intake.taskId(), intake.participantId(),
				SubmissionKind.MODEL, intake.description(), intake.quotaDay(), intake.at(), intake.idempotencyKey(),
				intake.fingerprint());
		submission.model = model;
		submission.revision = revision;
		submission.accessTokenSealed = accessTokenSealed;
		return submission;
	}

	/** What every new submission carries, whatever its kind. */
	record Intake(UUID competitionId, UUID taskId, UUID participantId, String description, LocalDate quotaDay,
			Instant at, String idempotencyKey, String fingerprint) {
	}

	/** Withdraws a submission that has not started. */
	public void cancel(Instant at) {
		require(SubmissionStatus.QUEUED, "cancel");
		this.status = SubmissionStatus.CANCELLED;
		this.finishedAt = at;
	}

	/**
	 * The scheduler took it from the queue for a sandbox ({@code null} for an inline
	 * evaluation). Each claim is a new attempt with a new id, which fences off writes of
	 * the attempts before it.
	 */
	public void startProvisioning(UUID sandboxId, Instant at) {
		require(SubmissionStatus.QUEUED, "start provisioning");
		this.status = SubmissionStatus.PROVISIONING;
		this.startedAt = at;
		this.sandboxId = sandboxId;
		this.attemptId = UUID.randomUUID();
		this.attempts++;
		this.notBefore = null;
	}

	/** Its sandbox is ready and evaluating it. */
	public void startEvaluating(Instant at) {
		require(SubmissionStatus.PROVISIONING, "start evaluating");
		this.status = SubmissionStatus.EVALUATING;
		this.evaluatingAt = at;
	}

	/** Records its scores; the end of a successful evaluation. */
	public void markScored(Double publicScore, Double privateScore, Instant at) {
		require(SubmissionStatus.EVALUATING, "score");
		this.status = SubmissionStatus.SCORED;
		this.publicScore = publicScore;
		this.privateScore = privateScore;
		this.finishedAt = at;
	}

	/** Ends it as failed; a PLATFORM failure ends here only once retries are spent. */
	public void markFailed(Failure failure, Instant at) {
		if (this.status.isFinal()) {
			throw new IllegalStateException(
					"Cannot fail submission %s. Current status: %s".formatted(this.id, this.status));
		}
		this.status = SubmissionStatus.FAILED;
		this.failureCategory = failure.category();
		this.failureMessage = failure.message();
		this.finishedAt = at;
	}

	/**
	 * Puts a started submission back in the queue after a platform failure, to be retried
	 * no earlier than {@code notBefore}.
	 */
	public void requeue(Instant notBefore) {
		if (this.status != SubmissionStatus.PROVISIONING && this.status != SubmissionStatus.EVALUATING) {
			throw new IllegalStateException(
					"Cannot requeue submission %s. Current status: %s".formatted(this.id, this.status));
		}
		this.status = SubmissionStatus.QUEUED;
		this.startedAt = null;
		this.evaluatingAt = null;
		this.sandboxId = null;
		this.attemptId = null;
		this.notBefore = notBefore;
	}

	/**
	 * Undoes a claim that never became an attempt (its sandbox could not be created
	 * within the budget): back to the queue, the attempt not counted.
	 */
	public void release() {
		require(SubmissionStatus.PROVISIONING, "release");
		requeue(null);
		this.attempts--;
	}

	/** Marks it for (or removes it from) the private leaderboard. */
	public void select(boolean selected) {
		if (selected && this.status != SubmissionStatus.SCORED) {
			throw new IllegalStateException(
					"Only scored submissions can be selected. Current status: %s".formatted(this.status));
		}
		this.selected = selected;
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

	public UUID competitionId() {
		return this.competitionId;
	}

	public UUID taskId() {
		return this.taskId;
	}

	public UUID participantId() {
		return this.participantId;
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

	String requestFingerprint() {
		return this.requestFingerprint;
	}

}
