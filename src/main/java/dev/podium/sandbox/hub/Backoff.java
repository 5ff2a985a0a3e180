package dev.podium.sandbox.hub;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the wait before retry {@code n} is uniform in
 * {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}, so that clients that failed together
 * do not come back together.
 */
record Backoff(Duration baseDelay, Duration maxDelay) {

	/** The largest wait before retry {@code retry} (1 for the first retry). */
	Duration ceiling(int retry) {
		long base = Math.max(1, this.baseDelay.toMillis());
		int doublings = Math.min(Math.max(retry - 1, 0), 30);
		long ceiling = (base > (Long.MAX_VALUE >> doublings)) ? Long.MAX_VALUE : base << doublings;
		return Duration.ofMillis(Math.min(ceiling, this.maxDelay.toMillis()));
	}

	Duration delay(int retry) {
		return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling(retry).toMillis() + 1));
	}

}
