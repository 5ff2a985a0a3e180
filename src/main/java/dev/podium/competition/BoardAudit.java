package dev.podium.competition;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who changed what decides a competition's boards, when and why: rules, exclusions,
 * re-scores, re-runs. Written in the transaction of the change.
 */
@Component
public class BoardAudit {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	BoardAudit(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** One audited change. */
	public record Entry(Instant at, String actor, String action, String task, String detail) {
	}

	/**
	 * @param taskId {@code null} for a change of the whole competition
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void record(UUID competitionId, UUID taskId, String actor, String action, String detail) {
		this.jdbc.update("""
				insert into board_audit (competition_id, task_id, at, actor, action, detail) values (?, ?, ?, ?, ?, ?)
				""", competitionId, taskId, Timestamp.from(this.clock.instant()), actor, action,
				(detail.length() > 2000) ? detail.substring(0, 2000) : detail);
	}

	/** The competition's audit, newest first. */
	@Transactional(readOnly = true)
	public List<Entry> of(UUID competitionId, int limit) {
		return this.jdbc.query(
				"""
						select b.at, b.actor, b.action, t.slug, b.detail from board_audit b left join tasks t on t.id = b.task_id
						where b.competition_id = ? order by b.at desc, b.id desc limit ?
						""",
				(row, n) -> new Entry(row.getTimestamp(1).toInstant(), row.getString(2), row.getString(3),
						row.getString(4), row.getString(5)),
				competitionId, limit);
	}

}
