package dev.podium.competition;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** A competition as an organizer defines it. */
public record CompetitionDefinition(String slug, String title, Instant startsAt, Instant endsAt, ZoneId zone,
		List<TaskDefinition> tasks, BoardRules boardRules) {

	public CompetitionDefinition {
		boardRules = (boardRules != null) ? boardRules : BoardRules.DEFAULT;
	}

	/** A competition with the default board rules. */
	public CompetitionDefinition(String slug, String title, Instant startsAt, Instant endsAt, ZoneId zone,
			List<TaskDefinition> tasks) {
		this(slug, title, startsAt, endsAt, zone, tasks, BoardRules.DEFAULT);
	}

}
