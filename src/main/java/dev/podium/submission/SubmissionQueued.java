package dev.podium.submission;

import java.util.UUID;

/** A submission entered the queue (published within the intake transaction). */
public record SubmissionQueued(UUID submissionId, UUID taskId, UUID participantId) {
}
