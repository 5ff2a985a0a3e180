package dev.podium.ratelimit;

import java.time.Duration;

import io.github.bucket4j.ConsumptionProbe;

/**
 * A caller's bucket right after one call was charged to it.
 *
 * @param allowed whether the call may go on
 * @param capacity {@code q}: calls the bucket holds
 * @param window {@code w}: how long an empty bucket takes to fill
 * @param remaining {@code r}: calls left now
 * @param resetIn {@code t}: how long until the bucket is full again
 * @param retryAfter how long until the next call may go on; zero while calls are left
 */
public record RequestRate(boolean allowed, int capacity, Duration window, long remaining, Duration resetIn,
		Duration retryAfter) {

	/** The name of the request attribute that holds the call's rate. */
	public static final String ATTRIBUTE = RequestRate.class.getName();

	/** The policy's name in the RateLimit fields, as the Hub names its own. */
	public static final String POLICY = "burst";

	static RequestRate of(RateLimitProperties.Limit limit, ConsumptionProbe probe) {
		return new RequestRate(probe.isConsumed(), limit.capacity(), Duration.ofSeconds(limit.windowSeconds()),
				probe.getRemainingTokens(), Duration.ofNanos(probe.getNanosToWaitForReset()),
				Duration.ofNanos(probe.getNanosToWaitForRefill()));
	}

	/**
	 * This bucket's item of {@code RateLimit-Policy} (IETF draft "RateLimit header
	 * fields").
	 */
	public String policyItem() {
		return "\"%s\";q=%d;w=%d".formatted(POLICY, this.capacity, this.window.toSeconds());
	}

	/** This bucket's item of {@code RateLimit}. */
	public String stateItem() {
		return "\"%s\";r=%d;t=%d".formatted(POLICY, this.remaining, resetSeconds());
	}

	/** Whole seconds until the bucket is full, rounded up. */
	public long resetSeconds() {
		return secondsUp(this.resetIn);
	}

	/**
	 * {@code Retry-After}: whole seconds, at least one, so that a client never retries
	 * early.
	 */
	public long retryAfterSeconds() {
		return Math.max(1, secondsUp(this.retryAfter));
	}

	static long secondsUp(Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			return 0;
		}
		return duration.toSeconds() + ((duration.toNanosPart() > 0) ? 1 : 0);
	}

}
