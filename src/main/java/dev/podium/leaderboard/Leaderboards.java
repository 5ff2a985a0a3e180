package dev.podium.leaderboard;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.podium.competition.Competition;
import dev.podium.competition.Task;
import dev.podium.scoring.Metric;
import dev.podium.scoring.Metrics;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads boards from the stored {@link Standings}: a page is one indexed query, whatever
 * the number of submissions, plus look-ups for the page's own rows.
 */
@Service
public class Leaderboards {

	/** The most entries a page holds; also the most baselines and late entries shown. */
	public static final int MAX_PAGE_SIZE = 500;

	private static final String PAGE = """
			select st.submission_id, st.entrant_id, st.score, st.submitted_at from standings st
			where st.task_id = :task and st.board = :board and st.category = :category
			order by st.rank_key desc, st.submitted_at, st.submission_id
			limit :limit offset :offset
			""";

	private final NamedParameterJdbcTemplate jdbc;

	private final EntrantNames names;

	Leaderboards(NamedParameterJdbcTemplate jdbc, EntrantNames names) {
		this.jdbc = jdbc;
		this.names = names;
	}

	/** The live board's first page. */
	@Transactional(readOnly = true)
	public Leaderboard rank(Competition competition, Task task, LeaderboardView view) {
		return rank(competition, task, view, false, 1, MAX_PAGE_SIZE);
	}

	/**
	 * @param frozen the public board as it stood at the task's freeze (the live one when
	 * the task has no freeze)
	 * @param page from 1
	 */
	@Transactional(readOnly = true)
	public Leaderboard rank(Competition competition, Task task, LeaderboardView view, boolean frozen, int page,
			int size) {
		int limit = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
		int offset = (Math.max(page, 1) - 1) * limit;
		boolean isFrozen = frozen && view == LeaderboardView.PUBLIC
				&& task.effectiveTimeRules().leaderboardFreezesAt() != null;
		String board = isFrozen ? "FROZEN" : view.name();
		String split = (view == LeaderboardView.PRIVATE) ? "private" : "public";
		MapSqlParameterSource parameters = new MapSqlParameterSource("task", task.id()).addValue("board", board)
			.addValue("limit", limit)
			.addValue("offset", offset);
		List<Row> ranked = rows(parameters.addValue("category", "RANKED"));
		Long total = this.jdbc.queryForObject(
				"select count(*) from standings where task_id = :task and board = :board and category = 'RANKED'",
				parameters, Long.class);
		List<Row> baselines = rows(new MapSqlParameterSource(parameters.getValues()).addValue("category", "BASELINE")
			.addValue("offset", 0)
			.addValue("limit", MAX_PAGE_SIZE));
		List<Row> late = rows(new MapSqlParameterSource(parameters.getValues()).addValue("category", "LATE")
			.addValue("offset", 0)
			.addValue("limit", MAX_PAGE_SIZE));
		List<Row> all = new ArrayList<>(ranked);
		all.addAll(baselines);
		all.addAll(late);
		Lookups lookups = lookups(task, split, all);
		List<Leaderboard.Entry> entries = new ArrayList<>();
		for (int i = 0; i < ranked.size(); i++) {
			entries.add(lookups.entry(ranked.get(i), offset + i + 1));
		}
		return new Leaderboard(competition.slug(), task.slug(), view, isFrozen,
				isFrozen ? task.effectiveTimeRules().leaderboardFreezesAt() : null, task.metric(),
				task.secondaryMetrics(), rankedBy(task), Math.max(page, 1), limit, (total != null) ? total : 0, entries,
				baselines.stream().map((row) -> lookups.entry(row, null)).toList(),
				late.stream().map((row) -> lookups.entry(row, null)).toList());
	}

	/**
	 * The declared order: the primary metric, the secondary ones, the earlier submission.
	 */
	static List<String> rankedBy(Task task) {
		List<String> order = new ArrayList<>();
		order.add(task.metric() + (task.higherIsBetter() ? " (higher first)" : " (lower first)"));
		for (String metric : task.secondaryMetrics()) {
			boolean higher = Metrics.find(metric).map(Metric::greaterIsBetter).orElse(true);
			order.add(metric + (higher ? " (higher first)" : " (lower first)"));
		}
		order.add("the earlier submission");
		return order;
	}

	private List<Row> rows(MapSqlParameterSource parameters) {
		return this.jdbc.query(PAGE, parameters, (row, n) -> new Row(row.getObject(1, UUID.class),
				row.getObject(2, UUID.class), row.getDouble(3), row.getObject(4, Timestamp.class).toInstant()));
	}

	/**
	 * Names, secondary scores and submission counts of the rows shown, in three reads.
	 */
	private Lookups lookups(Task task, String split, List<Row> rows) {
		Lookups lookups = new Lookups(this.names.of(rows.stream().map(Row::entrantId).distinct().toList()),
				new HashMap<>(), new HashMap<>(), new HashMap<>(), task.secondaryMetrics());
		if (rows.isEmpty()) {
			return lookups;
		}
		MapSqlParameterSource ids = new MapSqlParameterSource("ids", rows.stream().map(Row::submissionId).toList())
			.addValue("task", task.id())
			.addValue("entrants", rows.stream().map(Row::entrantId).distinct().toList());
		if (!task.secondaryMetrics().isEmpty()) {
			this.jdbc.query("select submission_id, metric, " + split
					+ "_score from submission_metrics where submission_id in (:ids)", ids, (row) -> {
						lookups.metrics()
							.computeIfAbsent(row.getObject(1, UUID.class), (key) -> new HashMap<>())
							.put(row.getString(2), row.getObject(3, Double.class));
					});
		}
		this.jdbc.query("select id, description from submissions where id in (:ids) and baseline", ids, (row) -> {
			lookups.baselineNames().put(row.getObject(1, UUID.class), row.getString(2));
		});
		this.jdbc.query("""
				select entrant_id, count(*) from submissions
				where task_id = :task and entrant_id in (:entrants) and status <> 'CANCELLED' and not baseline
				group by entrant_id
				""", ids, (row) -> {
			lookups.counts().put(row.getObject(1, UUID.class), row.getLong(2));
		});
		return lookups;
	}

	private record Row(UUID submissionId, UUID entrantId, double score, java.time.Instant submittedAt) {
	}

	private record Lookups(Map<UUID, String> names, Map<UUID, Map<String, Double>> metrics,
			Map<UUID, String> baselineNames, Map<UUID, Long> counts, List<String> secondaryMetrics) {

		Leaderboard.Entry entry(Row row, Integer rank) {
			Map<String, Double> scores = new LinkedHashMap<>();
			Map<String, Double> found = this.metrics.getOrDefault(row.submissionId(), Map.of());
			this.secondaryMetrics.forEach((metric) -> scores.put(metric, found.get(metric)));
			String name = this.baselineNames.containsKey(row.submissionId())
					? baselineName(this.baselineNames.get(row.submissionId()))
					: this.names.getOrDefault(row.entrantId(), row.entrantId().toString());
			return new Leaderboard.Entry(rank, name, row.score(), scores, row.submissionId(), row.submittedAt(),
					this.baselineNames.containsKey(row.submissionId()) ? 1
							: this.counts.getOrDefault(row.entrantId(), 0L));
		}

		private static String baselineName(String description) {
			return (description != null && !description.isBlank()) ? description : "baseline";
		}

	}

}
