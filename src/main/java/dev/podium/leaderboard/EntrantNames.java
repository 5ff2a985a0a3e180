package dev.podium.leaderboard;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How boards name their entrants. Today an entrant is a participant, named as its
 * account; with teams, the one place that names a team instead.
 */
@Component
class EntrantNames {

	private final NamedParameterJdbcTemplate jdbc;

	EntrantNames(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	Map<UUID, String> of(Collection<UUID> entrantIds) {
		Map<UUID, String> names = new HashMap<>();
		if (entrantIds.isEmpty()) {
			return names;
		}
		this.jdbc.query("select id, name from accounts where id in (:ids)",
				new MapSqlParameterSource("ids", entrantIds), (row) -> {
					names.put(row.getObject(1, UUID.class), row.getString(2));
				});
		return names;
	}

}
