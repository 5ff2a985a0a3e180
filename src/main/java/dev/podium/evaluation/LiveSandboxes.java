package dev.podium.evaluation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The sandboxes alive now and the planner's next creation, as pages show them. */
@Component
public class LiveSandboxes {

	private final JdbcTemplate jdbc;

	private final CreationPlanner planner;

	LiveSandboxes(JdbcTemplate jdbc, CreationPlanner planner) {
		this.jdbc = jdbc;
		this.planner = planner;
	}

	/**
	 * One live sandbox.
	 *
	 * @param status CREATING, STARTING, RUNNING, DRAINING or DESTROYING
	 * @param scope PARTICIPANT, TASK or COMPETITION
	 * @param task {@code null} for a COMPETITION scope
	 * @param participant only for a PARTICIPANT scope
	 * @param idleSince since when it waits for work; {@code null} while it runs a job
	 * @param busy whether it is running a job now
	 */
	public record LiveSandbox(String name, String status, String scope, String competition, String task,
			String participant, String hardware, Instant createdAt, Instant readyAt, int jobsServed, int maxJobs,
			Instant idleSince, Instant retireAt, boolean busy) {
	}

	@Transactional(readOnly = true)
	public List<LiveSandbox> list() {
		return this.jdbc.query(
				"""
						select x.name, x.status, x.scope, c.slug as competition, t.slug as task, a.name as participant,
						       x.hardware, x.created_at, x.ready_at, x.jobs_served, x.max_jobs, x.idle_since, x.retire_at,
						       exists (select 1 from submissions s where s.sandbox_id = x.id and s.status = 'EVALUATING') as busy
						from sandboxes x
						join competitions c on c.id = x.competition_id
						left join tasks t on t.id = x.task_id
						left join accounts a on a.id = x.participant_id
						where x.status <> 'DESTROYED'
						order by x.created_at, x.name
						""",
				(rs, n) -> new LiveSandbox(rs.getString("name"), rs.getString("status"), rs.getString("scope"),
						rs.getString("competition"), rs.getString("task"), rs.getString("participant"),
						rs.getString("hardware"), instant(rs, "created_at"), instant(rs, "ready_at"),
						rs.getInt("jobs_served"), rs.getInt("max_jobs"), instant(rs, "idle_since"),
						instant(rs, "retire_at"), rs.getBoolean("busy")));
	}

	/** When the planner next plans to create a sandbox, if it plans one. */
	public Instant nextPlannedCreation() {
		return this.planner.view().nextPlannedCreation();
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
