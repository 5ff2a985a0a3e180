package dev.podium.sandbox;

/**
 * The provider could not do what was asked: the platform's fault, to be retried later.
 */
public class SandboxException extends RuntimeException {

	public SandboxException(String message) {
		super(message);
	}

	public SandboxException(String message, Throwable cause) {
		super(message, cause);
	}

}
