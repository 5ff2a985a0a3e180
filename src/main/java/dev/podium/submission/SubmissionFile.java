package dev.podium.submission;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A FILE submission's CSV, kept apart so that queue scans never drag file bodies along.
 */
@Entity
@Table(name = "submission_files")
class SubmissionFile {

	@Id
	private UUID submissionId;

	private byte[] content;

	protected SubmissionFile() {
	}

	SubmissionFile(UUID submissionId, byte[] content) {
		this.submissionId = submissionId;
		this.content = content;
	}

	byte[] content() {
		return this.content;
	}

}
