package dev.podium.sandbox.hub;

/** What came of deleting a Space. */
public sealed interface DeleteOutcome permits DeleteOutcome.Deleted, Unavailable, Refused {

	/**
	 * The Space is gone.
	 *
	 * @param existed {@code false} when the Hub answered 404 ({@code RepoNotFound}):
	 * already deleted, or never made
	 */
	record Deleted(boolean existed) implements DeleteOutcome {
	}

}
