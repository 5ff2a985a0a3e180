package dev.podium.submission;

import java.util.UUID;

import dev.podium.security.PodiumUser;

/**
 * Whose daily allowance, fair-order rounds, in-flight cap, selections and leaderboard row
 * a submission counts toward: its entrant. A team's members share the team's; a
 * participant without a team is a team of one and is their own entrant. {@link Entrants}
 * decides which, for the intake's count and lock and for what a caller reads about their
 * quota.
 *
 * @param id the entrant id: the team's id, or the teamless participant's account id
 */
public record QuotaHolder(Kind kind, UUID id, String name) {

	public enum Kind {

		/** A participant without a team: a team of one. */
		PARTICIPANT,

		/** A team: its members share everything that is counted. */
		TEAM

	}

	/** The participant as a team of one. */
	public static QuotaHolder of(PodiumUser participant) {
		return new QuotaHolder(Kind.PARTICIPANT, participant.id(), participant.name());
	}

	public static QuotaHolder team(UUID teamId, String name) {
		return new QuotaHolder(Kind.TEAM, teamId, name);
	}

}
