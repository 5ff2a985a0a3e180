package dev.podium.submission;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/**
 * A FILE submission's CSV, kept apart so that queue scans never drag file bodies along.
 */
@Entity
@Table(name = "submission_files")
class SubmissionFile implements Persistable<UUID> {

	@Id
	private UUID submissionId;

	private byte[] content;

	/** Written once, with its submission: saving it inserts without a look-up first. */
	@Transient
	private boolean fresh = true;

	protected SubmissionFile() {
	}

	@PostLoad
	@PostPersist
	void markStored() {
		this.fresh = false;
	}

	@Override
	public UUID getId() {
		return this.submissionId;
	}

	@Override
	public boolean isNew() {
		return this.fresh;
	}

	SubmissionFile(UUID submissionId, byte[] content) {
		this.submissionId = submissionId;
		this.content = content;
	}

	byte[] content() {
		return this.content;
	}

}
