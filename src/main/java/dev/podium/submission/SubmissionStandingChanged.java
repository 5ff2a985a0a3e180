package dev.podium.submission;

import java.util.UUID;

/**
 * Something that decides where an entrant stands on a task's boards changed (a score, a
 * selection, an exclusion). Published synchronously within the transaction that changed
 * it, so that the standings commit with the change or not at all.
 */
public record SubmissionStandingChanged(UUID taskId, UUID entrantId) {
}
