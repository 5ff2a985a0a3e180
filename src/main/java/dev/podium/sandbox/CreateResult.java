package dev.podium.sandbox;

import java.time.Instant;

/** What a provider answered to a creation. */
public sealed interface CreateResult {

	/** It exists now: made by this call, or by an earlier one whose answer was lost. */
	record Created(boolean adopted) implements CreateResult {
	}

	/**
	 * The namespace's creation limit: nothing was made. Creations wait until
	 * {@code retryAt}, or, when the provider did not say, until the budget window resets.
	 */
	record CreationLimited(Instant retryAt, String message) implements CreateResult {
	}

	/**
	 * The call was not made, or refused for its rate (the API bucket, Podium's own
	 * limiter): nothing was made or spent; call again at {@code retryAt}.
	 */
	record Throttled(Instant retryAt, String message) implements CreateResult {
	}

	/**
	 * The request went out but its outcome is unknown (a 5xx, a timeout): the sandbox may
	 * exist. Check by name before creating again; never refund it.
	 */
	record Unknown(String message) implements CreateResult {
	}

	/**
	 * A definitive refusal (unknown hardware, no paid plan, no right to create in the
	 * namespace): nothing was made, and repeating cannot help until someone fixes it.
	 */
	record Refused(int status, String message) implements CreateResult {
	}

}
