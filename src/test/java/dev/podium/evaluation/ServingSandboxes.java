package dev.podium.evaluation;

import java.util.List;
import java.util.UUID;

import dev.podium.security.Tokens;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Sandboxes as the engine plans them, for tests outside this package: the planner makes
 * one per queued scope, and each is then marked running with a token the test knows.
 */
public final class ServingSandboxes {

	private ServingSandboxes() {
	}

	/**
	 * Plans sandboxes for what is queued and returns the one serving the task, running
	 * with the given token.
	 */
	public static UUID running(ApplicationContext context, UUID taskId, UUID participantId, String token) {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		context.getBean(CreationPlanner.class).plan("test");
		List<UUID> planned = jdbc.queryForList(
				"select id from sandboxes where task_id = ? and (participant_id = ? or participant_id is null)"
						+ " and status <> 'DESTROYED'",
				UUID.class, taskId, participantId);
		if (planned.size() != 1) {
			throw new IllegalStateException("Expected one sandbox for task " + taskId + ", found " + planned);
		}
		jdbc.update("update sandboxes set status = 'RUNNING', token_hash = ? where id = ?", Tokens.hash(token),
				planned.get(0));
		return planned.get(0);
	}

}
