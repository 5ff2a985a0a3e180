package dev.podium;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What every table of Podium's database holds, as one digest per table (its row count and
 * an md5 of its rows), so that a test can prove a request wrote nothing: no row added,
 * removed or changed. Tables added by later migrations are included without a change
 * here.
 */
public final class DatabaseFingerprint {

	/**
	 * Written by every API call, refused or not (the caller's request bucket), or by
	 * Flyway alone.
	 */
	private static final Set<String> WRITTEN_BY_EVERY_CALL = Set.of("rate_buckets", "flyway_schema_history",
			// folded into each other in the background; what they hold together is the
			// view
			// submission_tallies, which is compared instead
			"submission_counts", "submission_count_changes");

	private final Map<String, String> tables;

	private DatabaseFingerprint(Map<String, String> tables) {
		this.tables = tables;
	}

	public static DatabaseFingerprint of(JdbcTemplate jdbc) {
		List<String> names = jdbc.queryForList("""
				select table_name from information_schema.tables
				where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name
				""", String.class).stream().filter((name) -> !WRITTEN_BY_EVERY_CALL.contains(name)).toList();
		String query = names.stream()
			.map((name) -> "select '%1$s', count(*) || ':' || coalesce(md5(string_agg(r::text, ',' order by r::text)), '') from \"%1$s\" r"
				.formatted(name))
			.collect(Collectors.joining(" union all ")) + """
					 union all select 'submission_tallies (view)',
					     count(*) || ':' || coalesce(md5(string_agg(r::text, ',' order by r::text)), '')
					 from (select * from submission_tallies where n <> 0) r
					""";
		Map<String, String> tables = new LinkedHashMap<>();
		jdbc.query(query, (row) -> {
			tables.put(row.getString(1), row.getString(2));
		});
		return new DatabaseFingerprint(tables);
	}

	/** The tables whose rows differ from the other fingerprint's, empty if none. */
	public List<String> changedSince(DatabaseFingerprint before) {
		List<String> changed = new ArrayList<>();
		Set<String> names = new java.util.TreeSet<>(this.tables.keySet());
		names.addAll(before.tables.keySet());
		for (String name : names) {
			if (!Objects.equals(this.tables.get(name), before.tables.get(name))) {
				changed.add(name + " (rows " + count(before.tables.get(name)) + " -> " + count(this.tables.get(name))
						+ ")");
			}
		}
		return changed;
	}

	private static String count(String digest) {
		return (digest != null) ? digest.substring(0, digest.indexOf(':')) : "none";
	}

}
