package dev.podium.sandbox.hub;

import java.time.Instant;

/**
 * The Hub (or the client on its behalf) wants a pause longer than a call may wait inline:
 * the caller defers the work and comes back at {@link #retryAt()}. The daily Space
 * creation limit surfaces this way too, with a retry time hours away.
 */
public class HubRateLimitedException extends HubException {

	private final Instant retryAt;

	public HubRateLimitedException(String message, Instant retryAt) {
		super(message);
		this.retryAt = retryAt;
	}

	/** When the Hub said it would take calls again; {@code null} when it did not say. */
	public Instant retryAt() {
		return this.retryAt;
	}

}
