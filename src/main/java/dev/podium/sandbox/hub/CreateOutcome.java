package dev.podium.sandbox.hub;

import java.time.Instant;

/**
 * What came of creating a Space. Every Hub answer is one of these; none is an exception.
 */
public sealed interface CreateOutcome permits CreateOutcome.Created, CreateOutcome.AlreadyExists,
		CreateOutcome.CreationLimited, CreateOutcome.Throttled, CreateOutcome.Unknown, Unavailable, Refused {

	/**
	 * The Hub created it, with this call's secrets, variables and files.
	 *
	 * @param id {@code namespace/name}
	 */
	record Created(String id) implements CreateOutcome {
	}

	/**
	 * The Hub answered "You already created this space repo", and a runtime call
	 * confirmed that the Space exists: it was made by an earlier call whose answer was
	 * lost, so it may carry that call's secrets. A creation was spent (then), not now.
	 *
	 * @param runtime where it stands, from the confirming call
	 */
	record AlreadyExists(String id, SpaceRuntime runtime) implements CreateOutcome {
	}

	/**
	 * A 429 on {@code repos/create} that is not the {@code api} bucket: the namespace's
	 * creation limit (20 a day by default). Its {@code RateLimit} header speaks of the
	 * api bucket and says nothing about when creation works again. Block creations; no
	 * Space was made.
	 *
	 * @param retryAt from {@code Retry-After}; {@code null} when the Hub did not say,
	 * meaning "until the budget window resets" (an operator can lift it)
	 * @param message the Hub's explanation
	 */
	record CreationLimited(Instant retryAt, String message) implements CreateOutcome {
	}

	/**
	 * A pause, not a refusal: the {@code api} bucket is empty ({@code r=0}), Podium's own
	 * limiter holds the call, or another operation of the namespace conflicts. Nothing
	 * was made; try again at {@code retryAt}. Never a creation block.
	 */
	record Throttled(Instant retryAt, String reason) implements CreateOutcome {
	}

	/**
	 * The request was sent but no usable answer came (a 5xx, a timeout, a broken
	 * connection): the Space may exist. Check by name before creating again; the creation
	 * may have been spent.
	 */
	record Unknown(String reason) implements CreateOutcome {
	}

}
