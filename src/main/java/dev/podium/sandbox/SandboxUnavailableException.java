package dev.podium.sandbox;

import java.time.Instant;

/**
 * The provider cannot be reached or asks for a pause (an outage, an open circuit, a rate
 * limit on its API): nothing is wrong with the work, which simply waits and is tried
 * again.
 */
public class SandboxUnavailableException extends SandboxException {

	private final Instant retryAt;

	/**
	 * @param retryAt when to try again; {@code null} for the caller's own backoff
	 */
	public SandboxUnavailableException(String message, Instant retryAt, Throwable cause) {
		super(message, cause);
		this.retryAt = retryAt;
	}

	public Instant retryAt() {
		return this.retryAt;
	}

}
