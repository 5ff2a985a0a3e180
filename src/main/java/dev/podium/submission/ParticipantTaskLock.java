package dev.podium.submission;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Serialises, until the transaction ends and across every instance on the database,
 * everything that counts one participant's submissions to one task: the daily limit at
 * intake and the selection limit.
 */
@Component
class ParticipantTaskLock {

	private final JdbcTemplate jdbc;

	ParticipantTaskLock(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	void acquire(UUID participantId, UUID taskId) {
		this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))",
				"intake:" + participantId + ":" + taskId);
	}

}
