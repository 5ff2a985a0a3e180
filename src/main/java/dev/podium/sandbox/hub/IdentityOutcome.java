package dev.podium.sandbox.hub;

/** Who the Hub says Podium's token belongs to. */
public sealed interface IdentityOutcome permits IdentityOutcome.Identified, Unavailable, Refused {

	record Identified(WhoAmI whoami) implements IdentityOutcome {
	}

}
