package dev.podium.competition;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** A competition as an organizer defines it. */
public record CompetitionDefinition(String slug, String title, Instant startsAt, Instant endsAt, ZoneId zone,
		List<TaskDefinition> tasks) {
}
