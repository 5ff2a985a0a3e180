package dev.podium.security;

import java.util.UUID;

/**
 * The authenticated caller of the API.
 *
 * @param competitionId the competition a participant belongs to; {@code null} for staff
 */
public record PodiumUser(UUID id, String name, Role role, UUID competitionId) {

	/** Operators and organizers see every competition and every submission. */
	public boolean isStaff() {
		return this.role != Role.PARTICIPANT;
	}

}
