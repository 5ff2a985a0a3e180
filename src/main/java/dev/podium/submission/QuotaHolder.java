package dev.podium.submission;

import java.util.UUID;

import dev.podium.security.PodiumUser;

/**
 * Whose daily allowance a submission draws on. Today every participant has their own;
 * when teams come, a team's members share the team's. This is the one place that decides,
 * for the intake's count and lock and for what a caller reads about their quota.
 *
 * @param id the participant's account id (a team's id, once there are teams)
 */
public record QuotaHolder(Kind kind, UUID id, String name) {

	public enum Kind {

		PARTICIPANT

	}

	public static QuotaHolder of(PodiumUser participant) {
		return new QuotaHolder(Kind.PARTICIPANT, participant.id(), participant.name());
	}

}
