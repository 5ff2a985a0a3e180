package dev.podium.security;

import java.util.UUID;

/**
 * The authenticated caller of the API.
 *
 * @param competitionId the competition a participant belongs to; {@code null} for staff
 */
public record PodiumUser(UUID id, String name, Role role, UUID competitionId) {

	/**
	 * Operators and organizers: the dashboard's users. Which competitions an organizer
	 * manages is {@code CompetitionAccess}'s to decide, not this.
	 */
	public boolean isStaff() {
		return this.role != Role.PARTICIPANT;
	}

}
