package dev.podium.submission;

/** Why a submission failed; the message is safe to show its participant. */
public record Failure(FailureCategory category, String message) {
}
