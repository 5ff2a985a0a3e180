package dev.podium.leaderboard;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import dev.podium.team.Teams;

import org.springframework.stereotype.Component;

/**
 * How boards name their entrants: a team by its name, a participant who competes alone (a
 * team of one) by their account's. The team module decides which an entrant is.
 */
@Component
class EntrantNames {

	private final Teams teams;

	EntrantNames(Teams teams) {
		this.teams = teams;
	}

	Map<UUID, String> of(Collection<UUID> entrantIds) {
		return this.teams.names(entrantIds);
	}

}
