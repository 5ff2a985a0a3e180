package dev.podium.sandbox;

import java.time.Instant;

/**
 * The provider refused to create a sandbox because a creation limit was hit (the Hub's
 * 429): nothing was created, and creations should wait until {@link #retryAt()}.
 */
public class CreationRefusedException extends SandboxException {

	private final Instant retryAt;

	/**
	 * @param retryAt when the provider said to try again; {@code null} when it did not
	 * say
	 */
	public CreationRefusedException(String message, Instant retryAt) {
		super(message);
		this.retryAt = retryAt;
	}

	public Instant retryAt() {
		return this.retryAt;
	}

}
