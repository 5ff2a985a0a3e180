package dev.podium.team;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A team of a competition and its members. Its id is the entrant id its submissions
 * carry.
 */
public record Team(UUID id, UUID competitionId, String name, List<Member> members, Instant createdAt) {

	public Team {
		members = List.copyOf(members);
	}

	public record Member(UUID participantId, String name, Instant joinedAt) {
	}

}
