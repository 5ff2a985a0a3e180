package dev.podium.ratelimit;

import dev.podium.security.Role;

/** Whose bucket a call is charged to, and so which limit applies. */
public enum CallerKind {

	PARTICIPANT, ORGANIZER, OPERATOR, SANDBOX, ANONYMOUS;

	static CallerKind of(Role role) {
		return switch (role) {
			case PARTICIPANT -> PARTICIPANT;
			case ORGANIZER -> ORGANIZER;
			case OPERATOR -> OPERATOR;
		};
	}

}
