package dev.podium.submission;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the submission module keeps per entrant, for the module that merges teams: counts
 * under the intake's lock, and moving an entrant's submissions and queue rounds to
 * another entrant.
 */
@Component
public class EntrantLedger {

	private final NamedParameterJdbcTemplate jdbc;

	private final ParticipantTaskLock lock;

	EntrantLedger(NamedParameterJdbcTemplate jdbc, ParticipantTaskLock lock) {
		this.jdbc = jdbc;
		this.lock = lock;
	}

	/**
	 * Takes the intake's lock of each entrant on each task, in one order whoever asks, so
	 * that no submission of theirs is admitted until the transaction ends.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void lock(Collection<UUID> entrants, Collection<UUID> taskIds) {
		List<UUID> sortedEntrants = entrants.stream().distinct().sorted().toList();
		List<UUID> sortedTasks = taskIds.stream().distinct().sorted().toList();
		for (UUID entrant : sortedEntrants) {
			for (UUID task : sortedTasks) {
				this.lock.acquire(entrant, task);
			}
		}
	}

	/**
	 * The entrant's submissions per task over the whole competition, counted as the daily
	 * limit counts them (neither the cancelled nor the platform-failed).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Map<UUID, Long> countedByTask(UUID entrant) {
		Map<UUID, Long> counts = new HashMap<>();
		this.jdbc.query("""
				select task_id, count(*) from submissions
				where entrant_id = :entrant and status <> 'CANCELLED'
				  and not (status = 'FAILED' and failure_category = 'PLATFORM')
				group by task_id
				""", new MapSqlParameterSource("entrant", entrant),
				(org.springframework.jdbc.core.RowCallbackHandler) (row) -> counts.put(row.getObject(1, UUID.class),
						row.getLong(2)));
		return counts;
	}

	/** How many submissions the entrant has, of any status. */
	@Transactional(propagation = Propagation.MANDATORY)
	public long countAll(UUID entrant) {
		Long count = this.jdbc.queryForObject("select count(*) from submissions where entrant_id = :entrant",
				new MapSqlParameterSource("entrant", entrant), Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Makes {@code from}'s submissions {@code to}'s. {@code to} keeps its final
	 * selections and {@code from}'s are cleared, so that the merged entrant never holds
	 * more than a task's selection limit; {@code to}'s queue rounds continue after the
	 * later of both. Call under {@link #lock} of both.
	 * @return how many submissions moved
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int transfer(UUID from, UUID to) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("from", from).addValue("to", to);
		int moved = this.jdbc.update("""
				update submissions set entrant_id = :to, selected = false, version = version + 1
				where entrant_id = :from
				""", parameters);
		this.jdbc.update("""
				insert into queue_rounds as q (task_id, entrant_id, next_round)
				select task_id, :to, next_round from queue_rounds where entrant_id = :from
				on conflict (task_id, entrant_id) do update set next_round = greatest(q.next_round, excluded.next_round)
				""", parameters);
		this.jdbc.update("delete from queue_rounds where entrant_id = :from", parameters);
		return moved;
	}

}
