package dev.podium.evaluation;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tasks whose sandboxes the provider refused to create for good (unknown hardware, no
 * paid plan, no right to create in the namespace): no creation is attempted for them
 * until an operator or organizer lifts the block, having fixed the task or the namespace.
 */
@Component
class TaskCreationBlocks {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	TaskCreationBlocks(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Transactional
	boolean block(UUID taskId, int status, String reason) {
		return this.jdbc.update("""
				insert into task_creation_blocks (task_id, reason, status_code, blocked_at) values (?, ?, ?, ?)
				on conflict (task_id) do nothing
				""", taskId, dev.podium.submission.Failure.truncate(reason, 500), status,
				Timestamp.from(this.clock.instant())) == 1;
	}

	@Transactional
	boolean lift(UUID taskId) {
		return this.jdbc.update("delete from task_creation_blocks where task_id = ?", taskId) == 1;
	}

	@Transactional(readOnly = true)
	Set<UUID> blocked() {
		return this.jdbc.queryForList("select task_id from task_creation_blocks", UUID.class)
			.stream()
			.collect(Collectors.toSet());
	}

	@Transactional(readOnly = true)
	Map<UUID, String> reasons() {
		return this.jdbc.query("select task_id, reason from task_creation_blocks", (rs) -> {
			Map<UUID, String> reasons = new java.util.HashMap<>();
			while (rs.next()) {
				reasons.put(rs.getObject(1, UUID.class), rs.getString(2));
			}
			return reasons;
		});
	}

}
