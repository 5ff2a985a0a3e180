package dev.podium.submission;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The fair order of waiting submissions: each participant's k-th waiting submission goes
 * before anyone's (k+1)-th, first come first served among equals, so that nobody waits
 * behind another participant's backlog.
 */
@Component
public class SubmissionQueue {

	/**
	 * Numbers each participant's unfinished submissions: {@code k} counts those already
	 * being evaluated too, so that a participant whose first submission runs does not get
	 * a second start before everyone else's first.
	 */
	private static final String RANKED = """
			select id, submitted_at, status,
			       row_number() over (partition by participant_id order by submitted_at, id) as k
			from submissions where status in ('QUEUED', 'PROVISIONING', 'EVALUATING')
			""";

	/**
	 * Ranks every QUEUED submission by (k, submitted_at, id), k as in {@link #RANKED}.
	 */
	static final String FAIR_ORDER = """
			select id, row_number() over (order by k, submitted_at, id) as position
			from (""" + RANKED + """
			) w where status = 'QUEUED'
			""";

	/**
	 * The fair order among submissions that may start now: waiting, past any retry delay,
	 * and of tasks evaluated the given way.
	 */
	private static final String ELIGIBLE = """
			select s.id, s.task_id, s.participant_id from submissions s
			join tasks t on t.id = s.task_id
			join (""" + FAIR_ORDER + """
			) ranked on ranked.id = s.id
			where s.status = 'QUEUED' and (s.not_before is null or s.not_before <= :now)
			  and t.evaluation = :evaluation
			""";

	private final NamedParameterJdbcTemplate jdbc;

	SubmissionQueue(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Locks the next submissions that may start, in fair order, skipping rows another
	 * instance holds. Call within a transaction; transition them before it ends.
	 * @param evaluation {@code SANDBOX} or {@code INLINE}
	 */
	public List<Waiting> lockNext(String evaluation, Instant now, int limit) {
		return this.jdbc.query(ELIGIBLE + " order by ranked.position for update of s skip locked limit :limit",
				new MapSqlParameterSource("now", Timestamp.from(now)).addValue("evaluation", evaluation)
					.addValue("limit", limit),
				Waiting.ROW);
	}

	/**
	 * Locks waiting submissions of one task that may share a sandbox with one already
	 * claimed, in fair order.
	 * @param participantId only this participant's, or {@code null} for anyone's
	 */
	public List<Waiting> lockCompanions(UUID taskId, UUID participantId, Instant now, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		return this.jdbc.query(ELIGIBLE + """
				  and s.task_id = :task and (cast(:participant as uuid) is null or s.participant_id = :participant)
				order by ranked.position for update of s skip locked limit :limit
				""",
				new MapSqlParameterSource("now", Timestamp.from(now)).addValue("evaluation", "SANDBOX")
					.addValue("task", taskId)
					.addValue("participant", participantId)
					.addValue("limit", limit),
				Waiting.ROW);
	}

	/**
	 * Every submission waiting for the given kind of evaluation, in fair order, without
	 * locking.
	 */
	public List<Waiting> inFairOrder(String evaluation) {
		return this.jdbc.query("""
				select s.id, s.task_id, s.participant_id from submissions s
				join tasks t on t.id = s.task_id
				join (""" + FAIR_ORDER + """
				) ranked on ranked.id = s.id
				where t.evaluation = :evaluation
				order by ranked.position
				""", new MapSqlParameterSource("evaluation", evaluation), Waiting.ROW);
	}

	/** How many submissions wait for the given kind of evaluation. */
	public long countWaiting(String evaluation) {
		Long count = this.jdbc.queryForObject("""
				select count(*) from submissions s join tasks t on t.id = s.task_id
				where s.status = 'QUEUED' and t.evaluation = :evaluation
				""", new MapSqlParameterSource("evaluation", evaluation), Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * How many other waiting submissions could share a sandbox with the given one now.
	 * @param participantId only this participant's, or {@code null} for anyone's
	 */
	public int countCompanions(UUID taskId, UUID participantId, UUID except, Instant now) {
		Integer count = this.jdbc.queryForObject("""
				select count(*) from submissions
				where status = 'QUEUED' and task_id = :task and id <> :except
				  and (not_before is null or not_before <= :now)
				  and (cast(:participant as uuid) is null or participant_id = :participant)
				""",
				new MapSqlParameterSource("task", taskId).addValue("except", except)
					.addValue("now", Timestamp.from(now))
					.addValue("participant", participantId),
				Integer.class);
		return (count != null) ? count : 0;
	}

	/** A waiting submission, as the scheduler needs to place it. */
	public record Waiting(UUID id, UUID taskId, UUID participantId) {

		static final RowMapper<Waiting> ROW = (row, number) -> new Waiting(row.getObject("id", UUID.class),
				row.getObject("task_id", UUID.class), row.getObject("participant_id", UUID.class));

	}

	public Map<UUID, Integer> positions(Collection<UUID> submissionIds) {
		Map<UUID, Integer> positions = new HashMap<>();
		if (submissionIds.isEmpty()) {
			return positions;
		}
		this.jdbc.query("select id, position from (" + FAIR_ORDER + ") ranked where id in (:ids)",
				new MapSqlParameterSource("ids", submissionIds), (row) -> {
					positions.put(row.getObject("id", UUID.class), row.getInt("position"));
				});
		return positions;
	}

}
