package dev.podium.sandbox.hub;

/**
 * Whether a token may download a model's files ({@code GET /api/models/<id>/auth-check}).
 */
public sealed interface AccessOutcome
		permits AccessOutcome.Granted, AccessOutcome.Gated, AccessOutcome.NotFound, Unavailable, Refused {

	record Granted() implements AccessOutcome {
	}

	/**
	 * A gated model whose access was not granted to this token ({@code GatedRepo}): the
	 * participant must request access first.
	 */
	record Gated(String message) implements AccessOutcome {
	}

	/** Missing, or private and not visible to the token. */
	record NotFound(String reason) implements AccessOutcome {
	}

}
