package dev.podium.security;

/** What an account may do. */
public enum Role {

	/** Runs the service: budgets, users, everything an organizer can do. */
	OPERATOR,

	/** Runs competitions: defines tasks, adds participants, sees private leaderboards. */
	ORGANIZER,

	/** Competes in one competition: submits and follows their own submissions. */
	PARTICIPANT;

	public String authority() {
		return "ROLE_" + name();
	}

}
