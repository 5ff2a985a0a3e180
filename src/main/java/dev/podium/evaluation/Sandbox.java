package dev.podium.evaluation;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One ephemeral evaluation sandbox and the lease of the instance that drives it. Every
 * step of its life is recorded before the next is taken, so that another instance can
 * carry on after a crash.
 */
@Entity
@Table(name = "sandboxes")
class Sandbox {

	@Id
	private UUID id;

	private String name;

	private String provider;

	private UUID taskId;

	private UUID participantId;

	@Enumerated(EnumType.STRING)
	private SandboxStatus status;

	private String tokenHash;

	private String leaseOwner;

	private Instant leaseExpiresAt;

	private Instant nextStepAt;

	private Instant createdAt;

	private Instant readyAt;

	private Instant deadlineAt;

	private Instant destroyedAt;

	private String outcome;

	@Version
	private long version;

	protected Sandbox() {
	}

	Sandbox(UUID id, String name, String provider, UUID taskId, UUID participantId, String tokenHash, String owner,
			Instant leaseExpiresAt, Instant now) {
		this.id = id;
		this.name = name;
		this.provider = provider;
		this.taskId = taskId;
		this.participantId = participantId;
		this.status = SandboxStatus.CREATING;
		this.tokenHash = tokenHash;
		this.leaseOwner = owner;
		this.leaseExpiresAt = leaseExpiresAt;
		this.nextStepAt = now;
		this.createdAt = now;
	}

	/** The provider confirmed the creation; the sandbox is building. */
	void markStarting(Instant now) {
		require(SandboxStatus.CREATING, "mark starting");
		this.status = SandboxStatus.STARTING;
		this.nextStepAt = now;
	}

	/** It is ready and has until {@code deadline} to finish its job. */
	void markRunning(Instant now, Instant deadline) {
		require(SandboxStatus.STARTING, "mark running");
		this.status = SandboxStatus.RUNNING;
		this.readyAt = now;
		this.deadlineAt = deadline;
		this.nextStepAt = now;
	}

	/** Its work is over, well or badly: it must go. */
	void markDestroying(String outcome, Instant now) {
		if (this.status == SandboxStatus.DESTROYING || this.status == SandboxStatus.DESTROYED) {
			throw new IllegalStateException(
					"Cannot destroy sandbox %s again. Current status: %s".formatted(this.id, this.status));
		}
		this.status = SandboxStatus.DESTROYING;
		this.outcome = (outcome.length() > 2000) ? outcome.substring(0, 2000) : outcome;
		this.nextStepAt = now;
	}

	void markDestroyed(Instant now) {
		require(SandboxStatus.DESTROYING, "mark destroyed");
		this.status = SandboxStatus.DESTROYED;
		this.destroyedAt = now;
		this.leaseOwner = null;
		this.leaseExpiresAt = null;
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

	UUID id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	UUID taskId() {
		return this.taskId;
	}

	SandboxStatus status() {
		return this.status;
	}

	String tokenHash() {
		return this.tokenHash;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	Instant readyAt() {
		return this.readyAt;
	}

	Instant deadlineAt() {
		return this.deadlineAt;
	}

	boolean isLive() {
		return this.status != SandboxStatus.DESTROYED;
	}

}
