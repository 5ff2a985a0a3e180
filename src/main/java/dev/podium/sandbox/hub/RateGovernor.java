package dev.podium.sandbox.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * Decides when a call may leave. Two limits apply: the Hub's {@code api} bucket as its
 * headers describe it (a call waits for the window's reset rather than draw a 429), and
 * Podium's own limiter, which keeps under the quota even before the Hub has said
 * anything. A wait up to {@code maxInlineWait} is spent here; a longer one is handed back
 * as a deferral with the time to come back.
 */
final class RateGovernor {

	private final Clock clock;

	private final Pause pause;

	private final Duration maxInlineWait;

	private final ApiBucket bucket;

	private Limiter limiter;

	RateGovernor(Clock clock, Pause pause, int limit, Duration window, Duration maxInlineWait) {
		this.clock = clock;
		this.pause = pause;
		this.maxInlineWait = maxInlineWait;
		this.bucket = new ApiBucket(clock, limit, window);
		this.limiter = newLimiter(limit, window);
	}

	/** Why and until when a call must wait. */
	record Deferral(Instant retryAt, String reason) {
	}

	/**
	 * Waits, within bounds, until a call may go.
	 * @param ownToken whether the call carries Podium's token, whose bucket the Hub's
	 * headers describe
	 * @return empty when the call may go now, else when to come back
	 */
	Optional<Deferral> admit(boolean ownToken) {
		if (ownToken) {
			Instant resetAt = this.bucket.take();
			if (resetAt != null) {
				Duration hold = Duration.between(this.clock.instant(), resetAt);
				if (hold.compareTo(this.maxInlineWait) > 0) {
					return Optional.of(new Deferral(resetAt, "the Hub's API quota is spent until " + resetAt));
				}
				if (!sleep(hold)) {
					return Optional.of(new Deferral(this.clock.instant(), "interrupted while waiting for the quota"));
				}
				this.bucket.windowEnded(resetAt);
			}
		}
		Limiter permits = current();
		long nanos = permits.rateLimiter().reservePermission();
		if (nanos < 0) {
			return Optional.of(new Deferral(permits.nextRefresh(this.clock.instant()),
					"Podium's own limit of " + permits.rateLimiter().getRateLimiterConfig().getLimitForPeriod()
							+ " Hub requests per " + permits.window().toSeconds() + " s is reached"));
		}
		if (!sleep(Duration.ofNanos(nanos))) {
			return Optional.of(new Deferral(this.clock.instant(), "interrupted while waiting for Podium's limiter"));
		}
		return Optional.empty();
	}

	/** Takes the Hub's announced quota and window as Podium's own limits too. */
	void observe(RateLimitHeaders headers, boolean ownToken) {
		if (!ownToken) {
			return;
		}
		boolean windowChanged = this.bucket.observe(headers);
		synchronized (this) {
			if (windowChanged) {
				this.limiter = newLimiter(this.bucket.limit(), this.bucket.window());
			}
			else if (this.limiter.rateLimiter().getRateLimiterConfig().getLimitForPeriod() != this.bucket.limit()) {
				this.limiter.rateLimiter().changeLimitForPeriod(this.bucket.limit());
			}
		}
	}

	QuotaSnapshot snapshot() {
		return this.bucket.snapshot();
	}

	private synchronized Limiter current() {
		return this.limiter;
	}

	private boolean sleep(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return true;
		}
		try {
			this.pause.sleep(duration);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private Limiter newLimiter(int limit, Duration window) {
		RateLimiterConfig config = RateLimiterConfig.custom()
			.limitForPeriod(limit)
			.limitRefreshPeriod(window)
			.timeoutDuration(this.maxInlineWait)
			.build();
		Instant epoch = this.clock.instant();
		// Driven by the injected clock, so that tests move time instead of sleeping.
		RateLimiter rateLimiter = RateLimiter.of("hub", config, () -> {
			Instant now = this.clock.instant();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		});
		return new Limiter(rateLimiter, epoch, window);
	}

	/**
	 * The limiter with the instant its cycles count from: a limiter refills every
	 * {@code window} from its creation.
	 */
	private record Limiter(RateLimiter rateLimiter, Instant epoch, Duration window) {

		Instant nextRefresh(Instant now) {
			long elapsed = Math.max(0, Duration.between(this.epoch, now).toNanos());
			long period = this.window.toNanos();
			return this.epoch.plusNanos((elapsed / period + 1) * period);
		}

	}

}
