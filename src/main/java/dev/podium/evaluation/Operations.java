package dev.podium.evaluation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.submission.SubmissionQueue;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What operators act on when the engine stops short of something on purpose: work held
 * because its participant's submissions fault too often today, and tasks whose sandboxes
 * the provider refused for good. Each release or lift is logged with who did it.
 */
@Component
public class Operations {

	private static final Logger log = LoggerFactory.getLogger(Operations.class);

	private final SubmissionQueue queue;

	private final TaskCreationBlocks blocks;

	private final EvaluationScheduler scheduler;

	private final JdbcTemplate jdbc;

	Operations(SubmissionQueue queue, TaskCreationBlocks blocks, EvaluationScheduler scheduler, JdbcTemplate jdbc) {
		this.queue = queue;
		this.blocks = blocks;
		this.scheduler = scheduler;
		this.jdbc = jdbc;
	}

	/** A submission held for an operator. */
	public record Held(UUID submissionId, String competition, String task, String participant, Instant heldAt,
			String reason) {
	}

	/** A task whose creations stopped after a definitive refusal. */
	public record CreationBlock(UUID taskId, String competition, String task, int status, String reason,
			Instant blockedAt) {
	}

	@Transactional(readOnly = true)
	public List<Held> held(int limit) {
		return this.jdbc.query("""
				select s.id, c.slug, t.slug, a.name, s.held_at, s.held_reason from submissions s
				join tasks t on t.id = s.task_id join competitions c on c.id = s.competition_id
				join accounts a on a.id = s.participant_id
				where s.status = 'QUEUED' and s.held_at is not null order by s.held_at limit ?
				""", (rs, n) -> new Held(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
				rs.getTimestamp(5).toInstant(), rs.getString(6)), limit);
	}

	/**
	 * Lets held submissions go back to the queue ({@code null}: every held one).
	 * @return how many were released
	 */
	public int release(Collection<UUID> submissionIds, String by) {
		Collection<UUID> ids = (submissionIds != null) ? submissionIds : this.queue.held(10_000);
		int released = this.queue.releaseHeld(ids, by);
		log.info("{} released {} held submission(s)", by, released);
		this.scheduler.wake();
		return released;
	}

	@Transactional(readOnly = true)
	public List<CreationBlock> creationBlocks() {
		return this.jdbc.query("""
				select b.task_id, c.slug, t.slug, b.status_code, b.reason, b.blocked_at from task_creation_blocks b
				join tasks t on t.id = b.task_id join competitions c on c.id = t.competition_id
				order by b.blocked_at
				""", (rs, n) -> new CreationBlock(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
				rs.getInt(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
	}

	/**
	 * Lets the planner create sandboxes for the task again, once its hardware or the
	 * namespace has been fixed.
	 * @return whether the task was blocked
	 */
	public boolean liftCreationBlock(UUID taskId, String by, String reason) {
		boolean lifted = this.blocks.lift(taskId);
		if (lifted) {
			log.info("{} lifted the creation block of task {}: {}", by, taskId, reason);
			this.scheduler.wake();
		}
		return lifted;
	}

}
