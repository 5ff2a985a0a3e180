package dev.podium.sandbox.hub;

/**
 * Whether a model, at a revision, is there for the token that will download it.
 *
 * @param sha the commit the revision resolves to; {@code null} unless found
 */
public record ModelCheck(Outcome outcome, String sha) {

	public enum Outcome {

		FOUND,

		/** Missing, private to someone else, or gated: the token cannot read it. */
		NOT_FOUND,

		REVISION_NOT_FOUND

	}

	static ModelCheck found(String sha) {
		return new ModelCheck(Outcome.FOUND, sha);
	}

	static ModelCheck notFound() {
		return new ModelCheck(Outcome.NOT_FOUND, null);
	}

	static ModelCheck revisionNotFound() {
		return new ModelCheck(Outcome.REVISION_NOT_FOUND, null);
	}

	public boolean isFound() {
		return this.outcome == Outcome.FOUND;
	}

}
