package dev.podium.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.podium.competition.ReuseScope;
import dev.podium.submission.Failure;

/**
 * One evaluation sandbox: the scope whose jobs it serves, where it is in its life, and
 * the lease of the instance that drives it. Its status changes only through the guarded
 * transitions below, each recorded in a short transaction fenced by the lease epoch (see
 * {@link SandboxRecorder}); the lease itself is written only by {@link SandboxLeases}.
 */
@Entity
@Table(name = "sandboxes")
class Sandbox {

	@Id
	private UUID id;

	private String name;

	private String provider;

	@Enumerated(EnumType.STRING)
	private ReuseScope scope;

	private UUID competitionId;

	private UUID taskId;

	private UUID participantId;

	private String hardware;

	@Enumerated(EnumType.STRING)
	private SandboxStatus status;

	private String tokenHash;

	@Column(updatable = false)
	private String leaseOwner;

	@Column(updatable = false)
	private Instant leaseExpiresAt;

	@Column(updatable = false)
	private long leaseEpoch;

	private Instant nextStepAt;

	private Instant createdAt;

	private Instant readyAt;

	private Instant destroyedAt;

	private String outcome;

	private int jobsServed;

	private int maxJobs;

	private Instant retireAt;

	private Integer idleTimeoutSeconds;

	private Instant idleSince;

	private int createAttempts;

	private Instant stateDeadlineAt;

	private Instant observedAt;

	private String observedStage;

	private UUID triggerSubmissionId;

	private String drainReason;

	@Version
	private long version;

	protected Sandbox() {
	}

	/**
	 * A sandbox the planner decided to create for a scope: recorded (and charged) before
	 * the provider is asked, leased to the instance that decided it.
	 */
	Sandbox(UUID id, String name, String provider, SandboxScope scope, String hardware, SandboxRules rules,
			UUID triggerSubmissionId, String owner, Instant leaseExpiresAt, Instant now, Duration createTimeout) {
		this.id = id;
		this.name = name;
		this.provider = provider;
		this.scope = scope.kind();
		this.competitionId = scope.competitionId();
		this.taskId = scope.taskId();
		this.participantId = scope.participantId();
		this.hardware = hardware;
		this.status = SandboxStatus.CREATING;
		this.tokenHash = "";
		this.leaseOwner = owner;
		this.leaseExpiresAt = leaseExpiresAt;
		this.leaseEpoch = 1;
		this.nextStepAt = now;
		this.createdAt = now;
		this.maxJobs = rules.maxJobs();
		this.retireAt = now.plus(rules.lifetime());
		this.idleTimeoutSeconds = (int) rules.idleTimeout().toSeconds();
		this.triggerSubmissionId = triggerSubmissionId;
		this.stateDeadlineAt = now.plus(createTimeout);
	}

	/** The provider confirmed the creation; the sandbox is building. */
	void markStarting(Instant now, Instant readyDeadline) {
		require(SandboxStatus.CREATING, "mark starting");
		this.status = SandboxStatus.STARTING;
		this.nextStepAt = now;
		this.stateDeadlineAt = readyDeadline;
	}

	/** Another try at a create whose outcome was unknown or that was throttled. */
	void retryCreateAt(Instant at) {
		require(SandboxStatus.CREATING, "retry the creation of");
		this.createAttempts++;
		this.nextStepAt = at;
	}

	/** The provider reports it running, or it asked for a job: it is serving. */
	void markRunning(Instant now) {
		require(SandboxStatus.STARTING, "mark running");
		this.status = SandboxStatus.RUNNING;
		this.readyAt = now;
		this.idleSince = now;
		this.stateDeadlineAt = this.retireAt;
	}

	/** It took its next job. */
	void jobClaimed(Instant now) {
		if (!this.status.serves()) {
			throw new IllegalStateException(
					"Cannot hand a job to sandbox %s. Current status: %s".formatted(this.id, this.status));
		}
		if (this.status == SandboxStatus.STARTING) {
			markRunning(now);
		}
		this.jobsServed++;
		this.idleSince = null;
	}

	/** Its job is over (recorded, stale or lost): idle until the next one. */
	void jobEnded(Instant now) {
		if (this.idleSince == null) {
			this.idleSince = now;
		}
	}

	/**
	 * It takes no new job: deleted once its current job is over, or at {@code deadline}
	 * whatever happens.
	 */
	void drain(String reason, Instant now, Instant deadline) {
		if (!this.status.serves()) {
			throw new IllegalStateException(
					"Cannot drain sandbox %s. Current status: %s".formatted(this.id, this.status));
		}
		this.status = SandboxStatus.DRAINING;
		this.drainReason = Failure.truncate(reason, 300);
		this.stateDeadlineAt = deadline;
		this.nextStepAt = now;
	}

	/** Its work is over, well or badly: it must go. */
	void markDestroying(String outcome, Instant now) {
		if (this.status == SandboxStatus.DESTROYING || this.status == SandboxStatus.DESTROYED) {
			throw new IllegalStateException(
					"Cannot destroy sandbox %s again. Current status: %s".formatted(this.id, this.status));
		}
		this.status = SandboxStatus.DESTROYING;
		this.outcome = Failure.truncate(outcome, 2000);
		this.nextStepAt = now;
		this.stateDeadlineAt = null;
	}

	/** The provider confirmed it is gone. */
	void markDestroyed(Instant now) {
		require(SandboxStatus.DESTROYING, "mark destroyed");
		this.status = SandboxStatus.DESTROYED;
		this.destroyedAt = now;
		this.stateDeadlineAt = null;
	}

	/**
	 * Nothing was made (the provider refused or was never asked): there is nothing to
	 * delete.
	 */
	void abandon(String outcome, Instant now) {
		require(SandboxStatus.CREATING, "abandon");
		this.status = SandboxStatus.DESTROYED;
		this.outcome = Failure.truncate(outcome, 2000);
		this.destroyedAt = now;
		this.stateDeadlineAt = null;
	}

	/** What the provider last said of it. */
	void observed(String stage, Instant now) {
		this.observedStage = (stage != null && stage.length() > 64) ? stage.substring(0, 64) : stage;
		this.observedAt = now;
	}

	void replaceToken(String tokenHash) {
		this.tokenHash = tokenHash;
	}

	void nextStepAt(Instant at) {
		this.nextStepAt = at;
	}

	private void require(SandboxStatus expected, String transition) {
		if (this.status != expected) {
			throw new IllegalStateException(
					"Cannot %s sandbox %s. Current status: %s".formatted(transition, this.id, this.status));
		}
	}

	/**
	 * Why it should take no more jobs (its job limit, its lifetime, or its idle timeout),
	 * or {@code null}.
	 */
	String retirementDue(Instant now) {
		String limit = limitReached(now);
		return (limit != null) ? limit : idleExpired(now);
	}

	/** Whether it has served its last job: its job limit or lifetime is reached. */
	String limitReached(Instant now) {
		if (this.jobsServed >= this.maxJobs) {
			return "served its " + this.maxJobs + " job(s)";
		}
		if (!now.isBefore(this.retireAt)) {
			return "reached its lifetime";
		}
		return null;
	}

	/**
	 * Whether it has waited for work longer than its idle timeout. A sandbox that asks
	 * for work while some waits is not idle, whatever the timeout: an idle timeout of 0
	 * means "leave when the queue is empty", not "serve nothing".
	 */
	String idleExpired(Instant now) {
		if (this.idleSince != null && this.idleTimeoutSeconds != null
				&& !now.isBefore(this.idleSince.plusSeconds(this.idleTimeoutSeconds))) {
			return "idle for " + Duration.ofSeconds(this.idleTimeoutSeconds);
		}
		return null;
	}

	UUID id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	ReuseScope scopeKind() {
		return this.scope;
	}

	SandboxScope scope() {
		return new SandboxScope(this.scope, this.competitionId, this.taskId, this.participantId, this.hardware);
	}

	UUID taskId() {
		return this.taskId;
	}

	UUID competitionId() {
		return this.competitionId;
	}

	String hardware() {
		return this.hardware;
	}

	SandboxStatus status() {
		return this.status;
	}

	String tokenHash() {
		return this.tokenHash;
	}

	String leaseOwner() {
		return this.leaseOwner;
	}

	long leaseEpoch() {
		return this.leaseEpoch;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	Instant readyAt() {
		return this.readyAt;
	}

	Instant destroyedAt() {
		return this.destroyedAt;
	}

	Instant stateDeadlineAt() {
		return this.stateDeadlineAt;
	}

	Instant observedAt() {
		return this.observedAt;
	}

	String observedStage() {
		return this.observedStage;
	}

	String drainReason() {
		return this.drainReason;
	}

	Instant idleSince() {
		return this.idleSince;
	}

	Instant retireAt() {
		return this.retireAt;
	}

	int jobsServed() {
		return this.jobsServed;
	}

	int maxJobs() {
		return this.maxJobs;
	}

	int createAttempts() {
		return this.createAttempts;
	}

	UUID triggerSubmissionId() {
		return this.triggerSubmissionId;
	}

	String outcome() {
		return this.outcome;
	}

	boolean isLive() {
		return this.status != SandboxStatus.DESTROYED;
	}

}
