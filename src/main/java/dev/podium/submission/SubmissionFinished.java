package dev.podium.submission;

import java.util.UUID;

/**
 * A submission came to an end its team is told about: scored, or failed (in evaluation,
 * or refused before it). Published within the transaction that records it; a re-run that
 * finishes again publishes it again.
 *
 * @param entrantId the team it counts for (the participant's own id when alone)
 * @param participantId who submitted it
 */
public record SubmissionFinished(UUID submissionId, UUID taskId, UUID entrantId, UUID participantId,
		SubmissionStatus status) {
}
