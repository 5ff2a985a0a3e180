package dev.podium.sandbox.hub;

/** What the Hub knows of a model at a revision, as seen with a given token. */
public sealed interface ModelOutcome
		permits ModelOutcome.Resolved, ModelOutcome.NotFound, ModelOutcome.RevisionNotFound, Unavailable, Refused {

	/**
	 * The model exists and the token may see it.
	 *
	 * @param requestedId the id as given ({@code gpt2})
	 * @param resolvedId the id the Hub answered for, after following its redirects for a
	 * renamed repo ({@code openai-community/gpt2}); download from this one
	 * @param sha the commit the revision points to now: pin it
	 * @param gated whether downloading needs granted access ({@code auto} or
	 * {@code manual} on the Hub): check it with an access check
	 */
	record Resolved(String requestedId, String resolvedId, String sha, boolean gated,
			boolean isPrivate) implements ModelOutcome {

		public boolean renamed() {
			return !this.requestedId.equals(this.resolvedId);
		}

	}

	/**
	 * Missing, private to someone else, disabled, or not a valid id: the token cannot
	 * read it.
	 */
	record NotFound(String reason) implements ModelOutcome {
	}

	/** The model exists but has no such branch, tag or commit. */
	record RevisionNotFound(String revision) implements ModelOutcome {
	}

}
