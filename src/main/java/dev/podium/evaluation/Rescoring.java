package dev.podium.evaluation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.BoardAudit;
import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.problem.ProblemException;
import dev.podium.submission.ScoreCard;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.Rescored;
import dev.podium.submission.Submissions;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-scores a task's scored submissions from their stored predictions after its solution
 * or metric changed: no sandbox, no budget. The scheduler runs it in small batches; each
 * submission is scored with nothing open and recorded, with the progress, in one
 * transaction fenced by the re-score's id, so a batch repeated after a crash writes
 * nothing twice and two instances never score one submission twice.
 */
@Component
public class Rescoring {

	private static final Logger log = LoggerFactory.getLogger(Rescoring.class);

	private static final RowMapper<Progress> PROGRESS = (row, n) -> new Progress(row.getObject("id", UUID.class),
			row.getString("status"), row.getString("reason"), row.getString("requested_by"),
			row.getTimestamp("requested_at").toInstant(), row.getInt("total"), row.getInt("processed"),
			row.getInt("changed"), row.getInt("unscorable"),
			(row.getTimestamp("finished_at") != null) ? row.getTimestamp("finished_at").toInstant() : null);

	private final NamedParameterJdbcTemplate jdbc;

	private final Competitions competitions;

	private final Submissions submissions;

	private final SubmissionQueue queue;

	private final PredictionScorer scorer;

	private final BoardAudit audit;

	private final TransactionTemplate transactions;

	private final Clock clock;

	Rescoring(NamedParameterJdbcTemplate jdbc, Competitions competitions, Submissions submissions,
			SubmissionQueue queue, PredictionScorer scorer, BoardAudit audit, TransactionTemplate transactions,
			Clock clock) {
		this.jdbc = jdbc;
		this.competitions = competitions;
		this.submissions = submissions;
		this.queue = queue;
		this.scorer = scorer;
		this.audit = audit;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * A re-score as it stands.
	 *
	 * @param unscorable submissions whose predictions no longer score (left the boards)
	 */
	public record Progress(UUID id, String status, String reason, String requestedBy, Instant requestedAt, int total,
			int processed, int changed, int unscorable, Instant finishedAt) {
	}

	/** Starts re-scoring every scored submission of the task. */
	public Progress start(Competition competition, Task task, String reason, String actor) {
		if (this.competitions.solution(task).isEmpty()) {
			throw new ProblemException(HttpStatus.CONFLICT, "no-solution", "No solution",
					"Task '" + task.slug() + "' has no solution to score against; upload one first");
		}
		UUID id = UUID.randomUUID();
		Instant now = this.clock.instant();
		return this.transactions.execute((status) -> {
			Integer running = this.jdbc.queryForObject(
					"select count(*) from rescores where task_id = :task and status = 'RUNNING'",
					new MapSqlParameterSource("task", task.id()), Integer.class);
			if (running != null && running > 0) {
				throw ProblemException.conflict("rescore-running",
						"A re-score of task '" + task.slug() + "' is running; wait for it to finish");
			}
			this.jdbc.update(
					"""
							insert into rescores (id, competition_id, task_id, reason, requested_by, requested_at, status, total)
							select :id, :competition, :task, :reason, :by, :now, 'RUNNING', count(*)
							from submissions where task_id = :task and status = 'SCORED'
							""",
					new MapSqlParameterSource("id", id).addValue("competition", competition.id())
						.addValue("task", task.id())
						.addValue("reason", reason)
						.addValue("by", actor)
						.addValue("now", Timestamp.from(now)));
			this.audit.record(competition.id(), task.id(), actor, "RESCORE_STARTED", reason);
			return find(id).orElseThrow();
		});
	}

	/** The task's re-scores, newest first. */
	public List<Progress> of(Task task) {
		return this.jdbc.query("select * from rescores where task_id = :task order by requested_at desc limit 20",
				new MapSqlParameterSource("task", task.id()), PROGRESS);
	}

	private Optional<Progress> find(UUID id) {
		return this.jdbc.query("select * from rescores where id = :id", new MapSqlParameterSource("id", id), PROGRESS)
			.stream()
			.findFirst();
	}

	/**
	 * Re-scores up to {@code limit} submissions of the running re-scores, and finishes
	 * those with none left.
	 * @return how many submissions it re-scored
	 */
	int runBatch(int limit) {
		int done = 0;
		List<Running> running = this.jdbc.query("select id, task_id from rescores where status = 'RUNNING'",
				new MapSqlParameterSource(),
				(row, n) -> new Running(row.getObject(1, UUID.class), row.getObject(2, UUID.class)));
		for (Running rescore : running) {
			Task task = this.competitions.findTask(rescore.taskId()).orElse(null);
			if (task == null) {
				continue;
			}
			List<UUID> next = this.jdbc.queryForList("""
					select id from submissions
					where task_id = :task and status = 'SCORED' and rescore_id is distinct from :rescore
					order by submitted_at, id limit :limit
					""", new MapSqlParameterSource("task", task.id()).addValue("rescore", rescore.id())
				.addValue("limit", limit - done), UUID.class);
			if (next.isEmpty()) {
				finish(rescore, task);
				continue;
			}
			for (UUID submissionId : next) {
				rescoreOne(rescore, task, submissionId);
				done++;
			}
			if (done >= limit) {
				break;
			}
		}
		return done;
	}

	private void rescoreOne(Running rescore, Task task, UUID submissionId) {
		byte[] predictions = this.submissions.predictions(submissionId).orElse(null);
		ScoreCard scores = null;
		if (predictions != null) {
			PredictionScorer.Verdict verdict = this.scorer.score(task, predictions);
			if (verdict instanceof PredictionScorer.Verdict.NoSolution) {
				log.warn("rescore={} task={}: the solution is gone; the re-score waits for one", rescore.id(),
						task.id());
				return;
			}
			if (verdict instanceof PredictionScorer.Verdict.Scored scored) {
				scores = scored.scores();
			}
		}
		ScoreCard written = scores;
		this.transactions.executeWithoutResult((status) -> {
			Rescored outcome = this.queue.recordRescored(submissionId, rescore.id(), written);
			if (outcome == Rescored.SKIPPED) {
				return;
			}
			this.jdbc.update("""
					update rescores set processed = processed + 1, changed = changed + :changed,
					    unscorable = unscorable + :unscorable
					where id = :id
					""",
					new MapSqlParameterSource("id", rescore.id())
						.addValue("changed", (outcome == Rescored.CHANGED) ? 1 : 0)
						.addValue("unscorable", (written == null) ? 1 : 0));
		});
	}

	private void finish(Running rescore, Task task) {
		this.transactions.executeWithoutResult((status) -> {
			int finished = this.jdbc.update(
					"update rescores set status = 'DONE', finished_at = :now where id = :id and status = 'RUNNING'",
					new MapSqlParameterSource("id", rescore.id()).addValue("now",
							Timestamp.from(this.clock.instant())));
			if (finished == 1) {
				Progress progress = find(rescore.id()).orElseThrow();
				this.audit.record(task.competitionId(), task.id(), progress.requestedBy(), "RESCORE_FINISHED",
						"%d re-scored, %d changed, %d no longer score: %s".formatted(progress.processed(),
								progress.changed(), progress.unscorable(), progress.reason()));
				log.info("rescore={} task={} finished: {} re-scored, {} changed", rescore.id(), task.id(),
						progress.processed(), progress.changed());
			}
		});
	}

	private record Running(UUID id, UUID taskId) {
	}

}
