package dev.podium.leaderboard;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.podium.competition.Competition;
import dev.podium.competition.Task;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ranks participants from their scored submissions, in the database. Ties go to the
 * earlier submission; submissions without the needed score never rank.
 */
@Service
public class Leaderboards {

	/**
	 * Candidates per participant: selected ones, or the best public ones when none is
	 * selected.
	 */
	private static final String PRIVATE = """
			with scored as (
			    select s.*, row_number() over (partition by participant_id
			                                   order by public_score %1$s nulls last, submitted_at, id) as public_rank,
			           bool_or(selected) over (partition by participant_id) as has_selection
			    from submissions s where task_id = :task and status = 'SCORED'),
			candidates as (
			    select * from scored
			    where (has_selection and selected) or (not has_selection and public_rank <= :selection_limit)),
			best as (
			    select distinct on (participant_id) id, participant_id, private_score as score, submitted_at
			    from candidates where private_score is not null
			    order by participant_id, private_score %1$s, submitted_at, id)
			""";

	private static final String PUBLIC = """
			with best as (
			    select distinct on (participant_id) id, participant_id, public_score as score, submitted_at
			    from submissions where task_id = :task and status = 'SCORED' and public_score is not null
			    order by participant_id, public_score %1$s, submitted_at, id)
			""";

	private static final String RANKING = """
			select b.id, a.name, b.score, b.submitted_at,
			       (select count(*) from submissions c where c.task_id = :task and c.participant_id = b.participant_id
			          and c.status <> 'CANCELLED') as submissions
			from best b join accounts a on a.id = b.participant_id
			order by b.score %1$s, b.submitted_at, b.id
			""";

	private final NamedParameterJdbcTemplate jdbc;

	Leaderboards(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public Leaderboard rank(Competition competition, Task task, LeaderboardView view) {
		String direction = task.higherIsBetter() ? "desc" : "asc";
		String sql = ((view == LeaderboardView.PUBLIC) ? PUBLIC : PRIVATE).formatted(direction)
				+ RANKING.formatted(direction);
		List<Leaderboard.Entry> entries = new ArrayList<>();
		this.jdbc.query(sql,
				new MapSqlParameterSource("task", task.id()).addValue("selection_limit", task.selectionLimit()),
				(row) -> {
					entries.add(new Leaderboard.Entry(entries.size() + 1, row.getString("name"), row.getDouble("score"),
							row.getObject("id", UUID.class), row.getObject("submitted_at", Timestamp.class).toInstant(),
							row.getLong("submissions")));
				});
		return new Leaderboard(competition.slug(), task.slug(), view, entries);
	}

}
