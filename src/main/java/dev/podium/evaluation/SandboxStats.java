package dev.podium.evaluation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How long sandboxes recently took to become ready, and jobs of each task to evaluate:
 * what the planner and the waiting estimates reckon with. Until there is history, a
 * Space's build is taken as five minutes and a job as two.
 */
@Component
class SandboxStats {

	static final Duration DEFAULT_BUILD = Duration.ofMinutes(5);

	static final Duration DEFAULT_JOB = Duration.ofMinutes(2);

	private static final Duration REFRESH = Duration.ofMinutes(1);

	private final JdbcTemplate jdbc;

	private final Refreshed<Snapshot> snapshot;

	SandboxStats(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.snapshot = new Refreshed<>(clock, REFRESH, this::load);
	}

	Duration build() {
		return current().build();
	}

	Duration job(UUID taskId) {
		return current().jobs().getOrDefault(taskId, DEFAULT_JOB);
	}

	void refresh() {
		this.snapshot.forget();
	}

	private Snapshot current() {
		return this.snapshot.get();
	}

	private Snapshot load(Instant now) {
		Double build = this.jdbc.queryForObject("""
				select avg(extract(epoch from ready_at - created_at)) from (
				    select ready_at, created_at from sandboxes where ready_at is not null
				    order by ready_at desc limit 20) recent
				""", Double.class);
		Map<UUID, Duration> jobs = new HashMap<>();
		this.jdbc.query("""
				select task_id, avg(extract(epoch from finished_at - evaluating_at)) from (
				    select task_id, finished_at, evaluating_at,
				           row_number() over (partition by task_id order by finished_at desc) as n
				    from submissions
				    where status in ('SCORED', 'FAILED') and sandbox_id is not null and evaluating_at is not null
				      and finished_at >= ?) recent
				where n <= 20 group by task_id
				""", (rs) -> {
			double seconds = rs.getDouble(2);
			if (seconds > 0) {
				jobs.put(rs.getObject(1, UUID.class), Duration.ofMillis((long) (seconds * 1000)));
			}
		}, Timestamp.from(now.minus(Duration.ofDays(7))));
		return new Snapshot((build != null && build > 0) ? Duration.ofMillis((long) (build * 1000)) : DEFAULT_BUILD,
				jobs);
	}

	private record Snapshot(Duration build, Map<UUID, Duration> jobs) {
	}

}
