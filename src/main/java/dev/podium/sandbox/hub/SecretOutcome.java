package dev.podium.sandbox.hub;

/** What came of adding or replacing a Space secret (which restarts the Space). */
public sealed interface SecretOutcome permits SecretOutcome.Stored, SecretOutcome.Missing, Unavailable, Refused {

	record Stored() implements SecretOutcome {
	}

	/** The Space does not exist. */
	record Missing() implements SecretOutcome {
	}

}
