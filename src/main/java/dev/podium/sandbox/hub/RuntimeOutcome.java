package dev.podium.sandbox.hub;

/** Where one Space stands, asked of its runtime endpoint. */
public sealed interface RuntimeOutcome permits RuntimeOutcome.Known, RuntimeOutcome.Missing, Unavailable, Refused {

	record Known(SpaceRuntime runtime) implements RuntimeOutcome {
	}

	/** The Space does not exist ({@code RepoNotFound}). */
	record Missing() implements RuntimeOutcome {
	}

}
