package dev.podium.sandbox.hub;

/** Whom a token that someone presented belongs to. */
public sealed interface HubUserOutcome
		permits HubUserOutcome.Identified, HubUserOutcome.InvalidToken, Unavailable, Refused {

	record Identified(HubUser user) implements HubUserOutcome {
	}

	/** The Hub does not know the token (401), or it is an organization's. */
	record InvalidToken(String reason) implements HubUserOutcome {
	}

}
