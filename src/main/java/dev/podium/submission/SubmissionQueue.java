package dev.podium.submission;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.SubmissionKind;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The evaluation queue, as the evaluation engine commands it: claim a job, record its
 * outcome, put it back. Every command names a submission by id and, once claimed, by the
 * attempt id of its claim: a write of an older attempt (a sandbox that lost its job, an
 * instance that lost its lease) changes nothing and answers {@link Outcome#STALE}.
 * <p>
 * <b>The fair order.</b> Each entrant's submissions to a task are numbered in rounds: an
 * entrant's next submission gets the round after its previous one, but never a round
 * earlier than the one the task is serving now. The queue serves the lowest round first,
 * first come first served within a round. So the service an entrant has received counts,
 * not how many of its submissions happen to be unfinished: an entrant with nothing
 * evaluated lately enters at the round being served, ahead of everyone's later rounds,
 * whatever finished in between, and one who floods the queue takes one round at a time.
 * The rounds are written once, at intake, under the lock that also keeps the daily limit,
 * so the order is the same on every instance and a claim reads an index with a limit,
 * never the whole queue.
 */
@Component
public class SubmissionQueue {

	private static final Logger log = LoggerFactory.getLogger(SubmissionQueue.class);

	/**
	 * Waiting, ready for a sandbox: checked, not held, past any retry delay. (The leading
	 * spaces matter: text blocks drop the trailing ones of the text they are appended
	 * to.)
	 */
	private static final String READY = " " + """
			s.status = 'QUEUED' and s.checked_at is not null and s.held_at is null
			and (s.not_before is null or s.not_before <= :now)
			""";

	private static final String FAIR_ORDER = " s.fair_round, s.submitted_at, s.id ";

	private static final String CLAIMED_COLUMNS = " " + """
			s.id, s.task_id, s.participant_id, s.kind, s.model, s.model_resolved, s.revision, s.revision_sha,
			s.access_token_sealed, s.attempt_id, s.attempts, s.fair_round
			""";

	private final NamedParameterJdbcTemplate jdbc;

	private final SubmissionRepository repository;

	private final SubmissionLifecycle lifecycle;

	private final Clock clock;

	SubmissionQueue(NamedParameterJdbcTemplate jdbc, SubmissionRepository repository, SubmissionLifecycle lifecycle,
			Clock clock) {
		this.jdbc = jdbc;
		this.repository = repository;
		this.lifecycle = lifecycle;
		this.clock = clock;
	}

	/** Whose submissions a claim may take. */
	public record JobScope(List<UUID> taskIds, UUID participantId) {

		public JobScope {
			taskIds = List.copyOf(taskIds);
		}

	}

	/**
	 * A job as claimed: what a sandbox needs to run it, and the attempt that fences it.
	 */
	public record ClaimedJob(UUID submissionId, UUID attemptId, UUID taskId, UUID participantId, SubmissionKind kind,
			String model, String revision, byte[] accessTokenSealed, int attempts, long fairRound) {

		@Override
		public String toString() {
			return "ClaimedJob[submission=%s, attempt=%s, task=%s, kind=%s]".formatted(this.submissionId,
					this.attemptId, this.taskId, this.kind);
		}

	}

	/** What a fenced write did. */
	public enum Outcome {

		/** Written. */
		RECORDED,

		/** The attempt is no longer the submission's: nothing was written. */
		STALE

	}

	/**
	 * Claims the next ready submission of the scope for a sandbox, in fair order,
	 * skipping rows another transaction holds: one statement. Call within the transaction
	 * that also records the job on the sandbox.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<ClaimedJob> claimNext(JobScope scope, UUID sandboxId) {
		if (scope.taskIds().isEmpty()) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		MapSqlParameterSource parameters = new MapSqlParameterSource("now", Timestamp.from(now))
			.addValue("tasks", scope.taskIds())
			.addValue("participant", scope.participantId())
			.addValue("sandbox", sandboxId)
			.addValue("attempt", UUID.randomUUID());
		List<ClaimedJob> claimed = this.jdbc
			.query("""
					with next as (
					    select s.id from submissions s
					    where s.task_id in (:tasks) and (cast(:participant as uuid) is null or s.participant_id = :participant)
					      and """
					+ READY + """
							order by """ + FAIR_ORDER
					+ """
							    limit 1 for update skip locked)
							update submissions s set status = 'EVALUATING', sandbox_id = :sandbox, attempt_id = :attempt,
							    attempts = s.attempts + 1, started_at = :now, evaluating_at = :now, not_before = null,
							    job_started_at = null, job_deadline_at = null, version = s.version + 1
							from next where s.id = next.id
							returning """
					+ CLAIMED_COLUMNS, parameters, SubmissionQueue::claimed);
		if (claimed.isEmpty()) {
			return Optional.empty();
		}
		ClaimedJob job = claimed.get(0);
		this.jdbc.update(
				"""
						insert into queue_fronts (task_id, serving_round) values (:task, :round)
						on conflict (task_id) do update set serving_round = greatest(queue_fronts.serving_round, excluded.serving_round)
						""",
				new MapSqlParameterSource("task", job.taskId()).addValue("round", job.fairRound()));
		this.lifecycle.history(job.submissionId(), job.taskId(), job.participantId(), SubmissionStatus.EVALUATING,
				job.attempts(), "sandbox " + sandboxId);
		return Optional.of(job);
	}

	/**
	 * Claims the next waiting submission of an INLINE task, to be scored inside Podium;
	 * the claim expires at {@code deadline}, after which {@link #expireInlineClaims}
	 * gives it back (an instance died while scoring).
	 */
	@Transactional
	public Optional<ClaimedJob> claimInline(Instant deadline) {
		Instant now = this.clock.instant();
		List<ClaimedJob> claimed = this.jdbc.query("""
				with next as (
				    select s.id from submissions s join tasks t on t.id = s.task_id
				    where t.evaluation = 'INLINE' and """ + READY + """
				order by """ + FAIR_ORDER + """
				    limit 1 for update of s skip locked)
				update submissions s set status = 'EVALUATING', sandbox_id = null, attempt_id = :attempt,
				    attempts = s.attempts + 1, started_at = :now, evaluating_at = :now, not_before = null,
				    job_started_at = :now, job_deadline_at = :deadline, version = s.version + 1
				from next where s.id = next.id
				returning """ + CLAIMED_COLUMNS,
				new MapSqlParameterSource("now", Timestamp.from(now)).addValue("deadline", Timestamp.from(deadline))
					.addValue("attempt", UUID.randomUUID()),
				SubmissionQueue::claimed);
		claimed.forEach((job) -> this.lifecycle.history(job.submissionId(), job.taskId(), job.participantId(),
				SubmissionStatus.EVALUATING, job.attempts(), "inline"));
		return claimed.stream().findFirst();
	}

	/** Inline claims whose scorer died: back to the queue, as a platform fault. */
	@Transactional
	public int expireInlineClaims(RetryRule rule) {
		List<Map.Entry<UUID, UUID>> expired = this.jdbc.query("""
				select id, attempt_id from submissions
				where status = 'EVALUATING' and sandbox_id is null and job_deadline_at < :now
				""", new MapSqlParameterSource("now", Timestamp.from(this.clock.instant())),
				(rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
		expired.forEach((claim) -> returnAfterPlatformFault(claim.getKey(), claim.getValue(),
				"the instance scoring it stopped", rule));
		return expired.size();
	}

	/** The job has started running (downloads done): its time limit counts from now. */
	@Transactional
	public Outcome jobStarted(UUID submissionId, UUID attemptId, java.time.Duration timeLimit) {
		Submission submission = fenced(submissionId, attemptId).orElse(null);
		if (submission == null) {
			return Outcome.STALE;
		}
		if (submission.jobStartedAt() != null) {
			// a sandbox repeating the call after a lost answer
			return Outcome.RECORDED;
		}
		Instant now = this.clock.instant();
		submission.markJobStarted(now, now.plus(timeLimit));
		this.repository.saveAndFlush(submission);
		return Outcome.RECORDED;
	}

	@Transactional
	public Outcome recordScored(UUID submissionId, UUID attemptId, Double publicScore, Double privateScore) {
		return fenced(submissionId, attemptId).map((submission) -> {
			this.lifecycle.markScored(submission, publicScore, privateScore);
			return Outcome.RECORDED;
		}).orElse(Outcome.STALE);
	}

	/**
	 * Ends the attempt as failed for good (a SUBMISSION fault, or a final PLATFORM one).
	 */
	@Transactional
	public Outcome recordFailed(UUID submissionId, UUID attemptId, Failure failure) {
		return fenced(submissionId, attemptId).map((submission) -> {
			this.lifecycle.markFailed(submission, failure);
			return Outcome.RECORDED;
		}).orElse(Outcome.STALE);
	}

	/** Decides what a platform fault does to a submission. */
	public interface RetryRule {

		/**
		 * @param attempts the attempts made so far, the failed one included
		 * @param faultsToday the platform faults of the submission's participant today,
		 * this one included
		 */
		RetryDecision decide(int attempts, int faultsToday);

	}

	/** What happens after a platform fault. */
	public sealed interface RetryDecision {

		/** Back to the queue, not before {@code at}. */
		record RetryAt(Instant at) implements RetryDecision {
		}

		/** Back to the queue, held until an operator releases it. */
		record Hold(String reason) implements RetryDecision {
		}

		/** Attempts are spent: a final PLATFORM failure (never counted). */
		record GiveUp() implements RetryDecision {
		}

	}

	/**
	 * The platform failed the attempt (a sandbox lost, an outage, a timeout before the
	 * job started): the submission goes back to the queue with its round, or is given up,
	 * as the rule decides. Never counted against the participant.
	 */
	@Transactional
	public Outcome returnAfterPlatformFault(UUID submissionId, UUID attemptId, String reason, RetryRule rule) {
		Submission submission = fenced(submissionId, attemptId).orElse(null);
		if (submission == null) {
			return Outcome.STALE;
		}
		int faults = countPlatformFault(submission.participantId());
		RetryDecision decision = rule.decide(submission.attempts(), faults);
		if (decision instanceof RetryDecision.GiveUp) {
			this.lifecycle.markFailed(submission,
					new Failure(FailureCategory.PLATFORM, Failure.truncate(reason, Failure.MAX_MESSAGE - 40)
							+ " (gave up after " + submission.attempts() + " attempts)"));
		}
		else if (decision instanceof RetryDecision.Hold hold) {
			this.lifecycle.requeue(submission, null, reason);
			this.lifecycle.hold(submission, hold.reason());
		}
		else {
			this.lifecycle.requeue(submission, ((RetryDecision.RetryAt) decision).at(), reason);
		}
		return Outcome.RECORDED;
	}

	/**
	 * A sandbox created for this waiting submission failed before it took any job (its
	 * build failed, it was paused, it never became ready): a platform fault that counts
	 * as an attempt, so that a broken image or a namespace without hardware cannot spend
	 * the namespace's creations one after another; never counted against the participant.
	 * Once the rule gives up, a final PLATFORM failure.
	 */
	@Transactional
	public Outcome sandboxFailedBeforeServing(UUID submissionId, String reason, RetryRule rule) {
		Submission submission = waiting(submissionId).orElse(null);
		if (submission == null) {
			return Outcome.STALE;
		}
		int faults = countPlatformFault(submission.participantId());
		RetryDecision decision = rule.decide(submission.attempts() + 1, faults);
		Instant notBefore = (decision instanceof RetryDecision.RetryAt retry) ? retry.at() : null;
		this.lifecycle.countFailedStart(submission, notBefore, reason);
		if (decision instanceof RetryDecision.GiveUp) {
			this.lifecycle.refuse(submission,
					new Failure(FailureCategory.PLATFORM, Failure.truncate(reason, Failure.MAX_MESSAGE - 40)
							+ " (gave up after " + submission.attempts() + " attempts)"));
		}
		else if (decision instanceof RetryDecision.Hold hold) {
			this.lifecycle.hold(submission, hold.reason());
		}
		return Outcome.RECORDED;
	}

	/**
	 * Undoes a claim whose job never reached its sandbox (the request that asked for it
	 * was gone): back to the queue with its round, the attempt not counted.
	 */
	@Transactional
	public Outcome unclaim(UUID submissionId, UUID attemptId, String reason) {
		return fenced(submissionId, attemptId).map((submission) -> {
			this.lifecycle.unclaim(submission, reason);
			return Outcome.RECORDED;
		}).orElse(Outcome.STALE);
	}

	/**
	 * The sandbox's claimed jobs, as it stands: for watching deadlines and for handing
	 * the work back when the sandbox is lost.
	 */
	@Transactional(readOnly = true)
	public List<EvaluatingJob> evaluatingIn(UUID sandboxId) {
		return this.jdbc.query("""
				select id, attempt_id, evaluating_at, job_started_at, job_deadline_at from submissions
				where sandbox_id = :sandbox and status = 'EVALUATING'
				""", new MapSqlParameterSource("sandbox", sandboxId),
				(rs, n) -> new EvaluatingJob(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), instant(rs, 3),
						instant(rs, 4), instant(rs, 5)));
	}

	/** A sandbox's current job. */
	public record EvaluatingJob(UUID submissionId, UUID attemptId, Instant claimedAt, Instant startedAt,
			Instant deadline) {
	}

	/** A waiting MODEL submission that pre-flight has not passed yet. */
	public record Unchecked(UUID submissionId, UUID taskId, String model, String revision, byte[] accessTokenSealed) {

		@Override
		public String toString() {
			return "Unchecked[submission=%s, model=%s]".formatted(this.submissionId, this.model);
		}

	}

	/**
	 * Takes the next waiting submissions that pre-flight has not passed, for a short
	 * lease so that instances do not check the same one twice: those that come first in
	 * their task's fair order, which are the next to be evaluated.
	 */
	@Transactional
	public List<Unchecked> claimUnchecked(int limit, java.time.Duration lease) {
		Instant now = this.clock.instant();
		return this.jdbc.query("""
				with next as (
				    select s.id from submissions s
				    where s.status = 'QUEUED' and s.checked_at is null and s.held_at is null
				      and (s.preflight_not_before is null or s.preflight_not_before <= :now)
				      and (s.preflight_lease_until is null or s.preflight_lease_until < :now)
				    order by """ + FAIR_ORDER + """
				    limit :limit for update skip locked)
				update submissions s set preflight_lease_until = :until
				from next where s.id = next.id
				returning s.id, s.task_id, s.model, s.revision, s.access_token_sealed
				""",
				new MapSqlParameterSource("now", Timestamp.from(now)).addValue("until", Timestamp.from(now.plus(lease)))
					.addValue("limit", limit),
				(rs, n) -> new Unchecked(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
						rs.getString(4), rs.getBytes(5)));
	}

	/** Pre-flight passed: the submission may be handed to a sandbox. */
	@Transactional
	public Outcome recordChecked(UUID submissionId, String resolvedModel, String revisionSha) {
		return waiting(submissionId).map((submission) -> {
			submission.markChecked(resolvedModel, revisionSha, this.clock.instant());
			this.repository.saveAndFlush(submission);
			return Outcome.RECORDED;
		}).orElse(Outcome.STALE);
	}

	/** Pre-flight could not decide now: ask again after {@code notBefore}. */
	@Transactional
	public Outcome deferCheck(UUID submissionId, Instant notBefore) {
		return waiting(submissionId).map((submission) -> {
			submission.deferCheck(notBefore);
			this.repository.saveAndFlush(submission);
			return Outcome.RECORDED;
		}).orElse(Outcome.STALE);
	}

	/**
	 * Ends a waiting submission that can never be evaluated, before anything is spent on
	 * it.
	 */
	@Transactional
	public Outcome refuse(UUID submissionId, Failure failure) {
		return waiting(submissionId).map((submission) -> {
			this.lifecycle.refuse(submission, failure);
			return Outcome.RECORDED;
		}).orElse(Outcome.STALE);
	}

	/** An operator lets held submissions go back to the queue. */
	@Transactional
	public int releaseHeld(Collection<UUID> submissionIds, String by) {
		int released = 0;
		for (UUID id : submissionIds) {
			Optional<Submission> held = waiting(id).filter((submission) -> submission.heldAt() != null);
			if (held.isPresent()) {
				this.lifecycle.releaseHold(held.get(), by);
				released++;
			}
		}
		return released;
	}

	/** Held submissions, oldest first. */
	@Transactional(readOnly = true)
	public List<UUID> held(int limit) {
		return this.jdbc.queryForList("""
				select id from submissions where status = 'QUEUED' and held_at is not null
				order by held_at limit :limit
				""", new MapSqlParameterSource("limit", limit), UUID.class);
	}

	/** A waiting submission at the head of the queue, as the planner sees it. */
	public record Waiting(UUID id, UUID taskId, UUID participantId, Instant submittedAt) {

		static final RowMapper<Waiting> ROW = (row, number) -> new Waiting(row.getObject("id", UUID.class),
				row.getObject("task_id", UUID.class), row.getObject("participant_id", UUID.class),
				row.getTimestamp("submitted_at").toInstant());

	}

	/**
	 * The first {@code limit} submissions ready for a sandbox, in fair order: what the
	 * planner decides with. Reads an index with a limit, whatever the length of the
	 * queue.
	 */
	@Transactional(readOnly = true)
	public List<Waiting> heads(int limit) {
		return this.jdbc.query("""
				select s.id, s.task_id, s.participant_id, s.submitted_at from submissions s
				join tasks t on t.id = s.task_id
				where t.evaluation = 'SANDBOX' and """ + READY + """
				order by """ + FAIR_ORDER + """
				limit :limit
				""", new MapSqlParameterSource("now", Timestamp.from(this.clock.instant())).addValue("limit", limit),
				Waiting.ROW);
	}

	/**
	 * The waiting submissions in the order they start, first {@code limit} of them, for
	 * pages that list the queue.
	 */
	@Transactional(readOnly = true)
	public List<UUID> waitingInOrder(int limit) {
		return waitingInOrder(limit, null);
	}

	/**
	 * The same, of the given competitions only ({@code null}: of all).
	 */
	@Transactional(readOnly = true)
	public List<UUID> waitingInOrder(int limit, Collection<UUID> competitionIds) {
		if (competitionIds != null && competitionIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.queryForList("""
				select s.id from submissions s where s.status = 'QUEUED'
				""" + ((competitionIds != null) ? " and s.competition_id in (:competitions)" : "") + """
				order by """ + FAIR_ORDER + """
				limit :limit
				""", new MapSqlParameterSource("limit", limit).addValue("competitions", competitionIds), UUID.class);
	}

	/** How many submissions wait in the given competitions. */
	@Transactional(readOnly = true)
	public long countWaitingIn(Collection<UUID> competitionIds) {
		if (competitionIds.isEmpty()) {
			return 0;
		}
		Long count = this.jdbc.queryForObject(
				"select count(*) from submissions where status = 'QUEUED' and competition_id in (:competitions)",
				new MapSqlParameterSource("competitions", competitionIds), Long.class);
		return (count != null) ? count : 0;
	}

	/** How many submissions wait for the given kind of evaluation. */
	@Transactional(readOnly = true)
	public long countWaiting(String evaluation) {
		Long count = this.jdbc.queryForObject("""
				select count(*) from submissions s join tasks t on t.id = s.task_id
				where s.status = 'QUEUED' and t.evaluation = :evaluation
				""", new MapSqlParameterSource("evaluation", evaluation), Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Each queued submission's place among its task's waiting submissions, in the order
	 * they start (1 = next).
	 */
	@Transactional(readOnly = true)
	public Map<UUID, Integer> positions(Collection<UUID> submissionIds) {
		Map<UUID, Integer> positions = new HashMap<>();
		if (submissionIds.isEmpty()) {
			return positions;
		}
		this.jdbc.query("""
				select q.id, (select count(*) from submissions s
				              where s.status = 'QUEUED' and s.task_id = q.task_id
				                and (s.fair_round, s.submitted_at, s.id) < (q.fair_round, q.submitted_at, q.id)) + 1
				from submissions q where q.id in (:ids) and q.status = 'QUEUED'
				""", new MapSqlParameterSource("ids", submissionIds), (row) -> {
			positions.put(row.getObject(1, UUID.class), row.getInt(2));
		});
		return positions;
	}

	/**
	 * How many ready submissions of the scope come before the given one: the jobs a
	 * sandbox of the scope serves first.
	 */
	@Transactional(readOnly = true)
	public int aheadInScope(Submission submission, JobScope scope) {
		Integer ahead = this.jdbc.queryForObject("""
				select count(*) from submissions s
				where s.task_id in (:tasks) and (cast(:participant as uuid) is null or s.participant_id = :participant)
				  and """ + READY + """
				  and (s.fair_round, s.submitted_at, s.id) < (:round, :at, :id)
				""",
				new MapSqlParameterSource("tasks", scope.taskIds()).addValue("participant", scope.participantId())
					.addValue("now", Timestamp.from(this.clock.instant()))
					.addValue("round", submission.fairRound())
					.addValue("at", Timestamp.from(submission.submittedAt()))
					.addValue("id", submission.id()),
				Integer.class);
		return (ahead != null) ? ahead : 0;
	}

	/**
	 * The round a new submission of the entrant to the task gets: the one after its
	 * previous submission's, but never earlier than the round the task serves now. Call
	 * under the entrant's intake lock for the task.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	long assignRound(UUID taskId, UUID entrantId) {
		Long round = this.jdbc.queryForObject(
				"""
						insert into queue_rounds as q (task_id, entrant_id, next_round)
						values (:task, :entrant, coalesce((select serving_round from queue_fronts where task_id = :task), 0) + 1)
						on conflict (task_id, entrant_id) do update
						set next_round = greatest(q.next_round,
						                          coalesce((select serving_round from queue_fronts where task_id = :task), 0)) + 1
						returning next_round - 1
						""",
				new MapSqlParameterSource("task", taskId).addValue("entrant", entrantId), Long.class);
		return (round != null) ? round : 0;
	}

	/**
	 * Counts a platform fault of the participant today (UTC), returning today's count.
	 */
	private int countPlatformFault(UUID participantId) {
		LocalDate day = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		Integer faults = this.jdbc.queryForObject("""
				insert into platform_fault_days as f (participant_id, day, faults) values (:participant, :day, 1)
				on conflict (participant_id, day) do update set faults = f.faults + 1
				returning faults
				""", new MapSqlParameterSource("participant", participantId).addValue("day", day), Integer.class);
		return (faults != null) ? faults : 1;
	}

	/** The submission, locked, if the attempt is still its current one. */
	private Optional<Submission> fenced(UUID submissionId, UUID attemptId) {
		Optional<Submission> submission = this.repository.findForUpdate(submissionId)
			.filter((found) -> found.status() == SubmissionStatus.EVALUATING && attemptId != null
					&& attemptId.equals(found.attemptId()));
		if (submission.isEmpty()) {
			log.info("submission={} attempt={}: a write of an attempt that is no longer current was dropped",
					submissionId, attemptId);
		}
		return submission;
	}

	private Optional<Submission> waiting(UUID submissionId) {
		return this.repository.findForUpdate(submissionId)
			.filter((submission) -> submission.status() == SubmissionStatus.QUEUED);
	}

	private static ClaimedJob claimed(ResultSet rs, int row) throws SQLException {
		String model = (rs.getString("model_resolved") != null) ? rs.getString("model_resolved")
				: rs.getString("model");
		String revision = (rs.getString("revision_sha") != null) ? rs.getString("revision_sha")
				: rs.getString("revision");
		return new ClaimedJob(rs.getObject("id", UUID.class), rs.getObject("attempt_id", UUID.class),
				rs.getObject("task_id", UUID.class), rs.getObject("participant_id", UUID.class),
				SubmissionKind.valueOf(rs.getString("kind")), model, revision, rs.getBytes("access_token_sealed"),
				rs.getInt("attempts"), rs.getLong("fair_round"));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
