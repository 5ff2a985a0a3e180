package dev.podium.sandbox.hub;

/**
 * The Hub did not do what was asked. Messages name the endpoint, the status and the Hub's
 * own explanation, never a token.
 */
public abstract class HubException extends RuntimeException {

	protected HubException(String message) {
		super(message);
	}

	protected HubException(String message, Throwable cause) {
		super(message, cause);
	}

}
