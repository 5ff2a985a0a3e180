package dev.podium.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import dev.podium.submission.Failure;
import dev.podium.submission.FailureCategory;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionLifecycle;

import org.springframework.stereotype.Component;

/**
 * What happens to a submission after a failure: its own fault ends it; the platform's
 * fault sends it back to the queue with exponential backoff and full jitter until its
 * attempts are spent, and then ends it without counting against its participant.
 */
@Component
class RetryPolicy {

	private final SubmissionLifecycle lifecycle;

	private final EvaluationProperties properties;

	RetryPolicy(SubmissionLifecycle lifecycle, EvaluationProperties properties) {
		this.lifecycle = lifecycle;
		this.properties = properties;
	}

	void submissionFault(Submission submission, String message) {
		this.lifecycle.markFailed(submission, new Failure(FailureCategory.SUBMISSION, message));
	}

	void platformFault(Submission submission, String message, Instant now) {
		if (submission.attempts() >= this.properties.maxAttempts()) {
			this.lifecycle.markFailed(submission, new Failure(FailureCategory.PLATFORM,
					message + " (gave up after " + submission.attempts() + " attempts)"));
			return;
		}
		this.lifecycle.requeue(submission, now.plus(delay(submission.attempts())), message);
	}

	/** Full jitter: uniformly between zero and the capped exponential delay. */
	Duration delay(int attempts) {
		long base = this.properties.retryBaseDelay().toMillis();
		long cap = this.properties.retryMaxDelay().toMillis();
		long exponential = Math.min(cap, base << Math.min(20, Math.max(0, attempts - 1)));
		return Duration.ofMillis(ThreadLocalRandom.current().nextLong(exponential + 1));
	}

}
