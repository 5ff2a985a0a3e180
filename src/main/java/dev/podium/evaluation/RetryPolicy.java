package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.podium.submission.SubmissionQueue.RetryDecision;
import dev.podium.submission.SubmissionQueue.RetryRule;

import org.springframework.stereotype.Component;

/**
 * What a platform fault does to a submission: back to the queue with exponential backoff
 * and full jitter until its attempts are spent, then a final PLATFORM failure that never
 * counts against its participant. A participant whose submissions fault more than
 * {@code max-platform-faults-per-participant-day} times in a day cannot keep spending the
 * namespace's creations on them: their work waits for an operator.
 */
@Component
class RetryPolicy implements RetryRule {

	private final EvaluationProperties properties;

	private final Clock clock;

	RetryPolicy(EvaluationProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public RetryDecision decide(int attempts, int faultsToday) {
		if (attempts >= this.properties.maxAttempts()) {
			return new RetryDecision.GiveUp();
		}
		if (faultsToday > this.properties.maxPlatformFaultsPerParticipantDay()) {
			return new RetryDecision.Hold("more than " + this.properties.maxPlatformFaultsPerParticipantDay()
					+ " platform failures of this participant's submissions today");
		}
		return new RetryDecision.RetryAt(this.clock.instant().plus(delay(attempts)));
	}

	/** Full jitter: uniformly between zero and the capped exponential delay. */
	Duration delay(int attempts) {
		long base = this.properties.retryBaseDelay().toMillis();
		long cap = this.properties.retryMaxDelay().toMillis();
		long exponential = Math.min(cap, base << Math.min(20, Math.max(0, attempts - 1)));
		return Duration.ofMillis(ThreadLocalRandom.current().nextLong(exponential + 1));
	}

}
