package dev.podium.competition;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The hidden ground truth of a task. Its content never leaves Podium. */
@Entity
@Table(name = "task_solutions")
class StoredSolution {

	@Id
	private UUID taskId;

	private byte[] content;

	private int rowCount;

	private Instant uploadedAt;

	protected StoredSolution() {
	}

	StoredSolution(UUID taskId, byte[] content, int rowCount, Instant uploadedAt) {
		this.taskId = taskId;
		replace(content, rowCount, uploadedAt);
	}

	void replace(byte[] content, int rowCount, Instant uploadedAt) {
		this.content = content;
		this.rowCount = rowCount;
		this.uploadedAt = uploadedAt;
	}

	byte[] content() {
		return this.content;
	}

	Instant uploadedAt() {
		return this.uploadedAt;
	}

}
