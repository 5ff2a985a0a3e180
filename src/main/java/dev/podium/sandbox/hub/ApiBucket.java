package dev.podium.sandbox.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The client's picture of the Hub's {@code api} bucket for Podium's own token, so that it
 * holds calls until the window resets instead of drawing a 429. The Hub's word
 * ({@code r}) counts, minus the calls that left since; answers that arrive out of order
 * never raise the count within a window. Answers to calls made with another token (a
 * participant's, or none) describe another bucket and are not observed.
 */
final class ApiBucket {

	private final Clock clock;

	private int limit;

	private Duration window;

	private int remaining;

	/** The end of the window the Hub last spoke of; {@code null} before it did. */
	private Instant resetsAt;

	private boolean announced;

	ApiBucket(Clock clock, int limit, Duration window) {
		this.clock = clock;
		this.limit = limit;
		this.window = window;
	}

	/**
	 * Takes one request from the bucket.
	 * @return {@code null} when the call may go now, else when the window resets
	 */
	synchronized Instant take() {
		if (!knowsCurrentWindow()) {
			return null;
		}
		if (this.remaining > 0) {
			this.remaining--;
			return null;
		}
		return this.resetsAt;
	}

	/** After a hold until {@code resetAt}, the old count no longer holds. */
	synchronized void windowEnded(Instant resetAt) {
		if (resetAt.equals(this.resetsAt)) {
			this.resetsAt = null;
		}
	}

	/**
	 * Learns from an answer's headers.
	 * @return whether the announced window length changed
	 */
	synchronized boolean observe(RateLimitHeaders headers) {
		boolean windowChanged = false;
		if (headers.quota() != null && headers.quota() > 0) {
			this.limit = headers.quota();
			this.announced = true;
		}
		if (headers.window() != null && !headers.window().isZero() && !headers.window().equals(this.window)) {
			this.window = headers.window();
			windowChanged = true;
		}
		if (!headers.describesApiBucket() || headers.reset() == null || headers.reset().compareTo(this.window) > 0) {
			// A reset beyond the api window belongs to another limit (the daily creation
			// limit says t= in hours): it must not stall every other call.
			return windowChanged;
		}
		Instant now = this.clock.instant();
		Instant announcedReset = now.plus(headers.reset());
		// t= is rounded to seconds: a reset more than a second later is a new window.
		boolean newWindow = !knowsCurrentWindow() || announcedReset.isAfter(this.resetsAt.plusSeconds(1));
		this.announced = true;
		if (newWindow) {
			this.remaining = headers.remaining();
			this.resetsAt = announcedReset;
		}
		else {
			this.remaining = Math.min(this.remaining, headers.remaining());
		}
		return windowChanged;
	}

	synchronized int limit() {
		return this.limit;
	}

	synchronized Duration window() {
		return this.window;
	}

	synchronized QuotaSnapshot snapshot() {
		if (!knowsCurrentWindow()) {
			return new QuotaSnapshot(this.limit, this.limit, null, this.announced);
		}
		return new QuotaSnapshot(this.limit, this.remaining, this.resetsAt, true);
	}

	private boolean knowsCurrentWindow() {
		return this.resetsAt != null && this.clock.instant().isBefore(this.resetsAt);
	}

}
