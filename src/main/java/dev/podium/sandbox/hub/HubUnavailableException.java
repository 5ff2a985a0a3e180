package dev.podium.sandbox.hub;

/**
 * The Hub failed (5xx, timeouts, broken connections) through every retry, or the client
 * stopped calling it for a while after repeated failures.
 */
public class HubUnavailableException extends HubException {

	public HubUnavailableException(String message) {
		super(message);
	}

	public HubUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
