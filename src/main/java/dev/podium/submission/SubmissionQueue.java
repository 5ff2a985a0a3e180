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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.SubmissionKind;

import org.springframework.context.ApplicationEventPublisher;
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
 * <p>
 * The entrant is the team (a participant without a team is a team of one), so a team's
 * members share one sequence of rounds: five accounts of one team take one round at a
 * time, as one account does. With one sandbox, a team that submits once after another
 * team's five is served second.
 * <p>
 * <b>The in-flight cap.</b> At most the task's {@code maxInFlight} (default
 * {@code podium.submission.default-max-in-flight}, 2) submissions of one entrant are
 * evaluated at once; the others are not ready, so no sandbox is created or claimed for
 * them, until one ends. Claims for one entrant and task are serialised across instances,
 * so the cap holds exactly.
 */
@Component
public class SubmissionQueue {

	private static final Logger log = LoggerFactory.getLogger(SubmissionQueue.class);

	/**
	 * The entrant of {@code s} has fewer evaluations of its task running than the task's
	 * {@code maxInFlight}.
	 */
	private static final String UNDER_CAP = " " + """
			(select count(*) from submissions e
			 where e.task_id = s.task_id and e.entrant_id = s.entrant_id and e.status = 'EVALUATING')
			< coalesce((select l.max_in_flight from task_queue_limits l where l.task_id = s.task_id),
			    :defaultInFlight)
			""";

	/**
	 * Waiting, ready for a sandbox: checked, not held, past any retry delay. (The leading
	 * spaces matter: text blocks drop the trailing ones of the text they are appended
	 * to.)
	 */
	private static final String READY = " " + """
			s.status = 'QUEUED' and s.checked_at is not null and s.held_at is null
			and (s.not_before is null or s.not_before <= :now) and
			""" + UNDER_CAP;

	private static final String FAIR_ORDER = " s.fair_round, s.submitted_at, s.id ";

	private static final int MAX_CAP_RETRIES = 8;

	/**
	 * The snapshot's last round of {@code q}'s task before {@code q}'s round, with all
	 * that waited up to and in it then, and when it was counted.
	 */
	private static final String SNAPSHOT_BEFORE = """
			select c.fair_round, c.waiting_before + c.waiting as counted,
			       (select refreshed_at from queue_snapshots where id = 1) as refreshed_at
			from queue_round_counts c
			where c.task_id = q.task_id and c.fair_round < q.fair_round
			order by c.fair_round desc limit 1
			""";

	/**
	 * Those that arrived since the snapshot in the rounds it counted (at most
	 * {@code snap}'s), which its counts cannot hold; {@code %1$s} narrows which
	 * submissions count.
	 */
	private static final String ARRIVED_SINCE_SNAPSHOT = """
			(case when snap.fair_round is null then 0 else (
			   select count(*) from submissions s
			   where s.status = 'QUEUED' and s.task_id = q.task_id %1$s
			     and s.submitted_at >= snap.refreshed_at and s.fair_round <= snap.fair_round) end)
			""";

	/**
	 * Waiting submissions ahead of {@code q} in its task: those the snapshot counted in
	 * the rounds up to {@code snap}'s, those that arrived in these rounds since, and
	 * those of the later rounds up to {@code q}, counted now. Beyond the exact count,
	 * this can only include submissions that have left since, or arrived in the instant
	 * of the count (counted twice), all in rounds ahead of whatever comes later: the
	 * positions may be too high until the next count, but keep the order in which work
	 * starts.
	 */
	private static final String AHEAD = """
			coalesce(snap.counted, 0)
			+ (select count(*) from submissions s
			   where s.status = 'QUEUED' and s.task_id = q.task_id %1$s
			     and s.fair_round > coalesce(snap.fair_round, -1)
			     and (s.fair_round, s.submitted_at, s.id) < (q.fair_round, q.submitted_at, q.id))
			+ """ + ARRIVED_SINCE_SNAPSHOT;

	/**
	 * A waiting submission's place in its task's queue, less one: as {@link #AHEAD}, but
	 * its own round is counted from the snapshot's nearest mark at or before it
	 * ({@code mark}) rather than from the round's start, so that a round of thousands
	 * costs a few dozen rows. The mark's place counts what waited before it then, so it
	 * too may only be high by what has started since.
	 */
	private static final String AHEAD_OF_PLACE = """
			coalesce(snap.counted, 0)
			+ (select count(*) from submissions s
			   where s.status = 'QUEUED' and s.task_id = q.task_id
			     and s.fair_round > coalesce(snap.fair_round, -1) and s.fair_round < q.fair_round)
			+ coalesce(mark.place, 0)
			+ (select count(*) from submissions s
			   where s.status = 'QUEUED' and s.task_id = q.task_id
			     and (s.fair_round, s.submitted_at, s.id)
			         >= (q.fair_round, coalesce(mark.submitted_at, '-infinity'),
			             coalesce(mark.id, '00000000-0000-0000-0000-000000000000'))
			     and (s.fair_round, s.submitted_at, s.id) < (q.fair_round, q.submitted_at, q.id))
			+ """ + ARRIVED_SINCE_SNAPSHOT.formatted("");

	/** The snapshot's nearest mark at or before {@code q} in its round. */
	private static final String MARK_BEFORE = """
			select m.place, m.submitted_at, m.id from queue_marks m
			where m.task_id = q.task_id and m.fair_round = q.fair_round
			  and (m.submitted_at, m.id) <= (q.submitted_at, q.id)
			order by m.submitted_at desc, m.id desc limit 1
			""";

	/** Every how many waiting submissions of a round the snapshot keeps a mark. */
	static final int MARK_EVERY = 64;

	private static final String CLAIMED_COLUMNS = " " + """
			s.id, s.task_id, s.participant_id, s.kind, s.model, s.model_resolved, s.revision, s.revision_sha,
			s.access_token_sealed, s.attempt_id, s.attempts, s.fair_round
			""";

	private final NamedParameterJdbcTemplate jdbc;

	private final SubmissionRepository repository;

	private final SubmissionLifecycle lifecycle;

	private final SecondaryScores scores;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final int defaultMaxInFlight;

	private final boolean refuseDuplicates;

	SubmissionQueue(NamedParameterJdbcTemplate jdbc, SubmissionRepository repository, SubmissionLifecycle lifecycle,
			SubmissionProperties properties, SecondaryScores scores, ApplicationEventPublisher events, Clock clock) {
		this.defaultMaxInFlight = properties.defaultMaxInFlight();
		this.refuseDuplicates = properties.refuseDuplicates();
		this.jdbc = jdbc;
		this.repository = repository;
		this.lifecycle = lifecycle;
		this.scores = scores;
		this.events = events;
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
			.addValue("defaultInFlight", this.defaultMaxInFlight)
			.addValue("tasks", scope.taskIds().toArray(UUID[]::new))
			.addValue("participant", scope.participantId())
			.addValue("sandbox", sandboxId)
			.addValue("attempt", UUID.randomUUID());
		// Entrants found at their in-flight cap once their lock was held: another
		// instance
		// claimed for them meanwhile.
		Set<UUID> atCap = new HashSet<>();
		for (int tries = 0; tries < MAX_CAP_RETRIES; tries++) {
			parameters.addValue("atCap", atCap.isEmpty() ? null : List.copyOf(atCap));
			List<Candidate> next = this.jdbc.query(
					"""
							select h.id, h.task_id, h.entrant_id from unnest(cast(:tasks as uuid[])) as t(id)
							cross join lateral (
							    select s.id, s.task_id, s.entrant_id, s.fair_round, s.submitted_at from submissions s
							    where s.task_id = t.id and (cast(:participant as uuid) is null or s.participant_id = :participant)
							      and """
							+ READY + (atCap.isEmpty() ? "" : " and s.entrant_id not in (:atCap) ") + """
									order by """ + FAIR_ORDER + """
									    limit 1 for update skip locked) h
									order by h.fair_round, h.submitted_at, h.id
									limit 1
									""",
					parameters, (rs, n) -> new Candidate(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
							rs.getObject(3, UUID.class)));
			if (next.isEmpty()) {
				return Optional.empty();
			}
			Candidate candidate = next.get(0);
			if (!underCapWhileLocked(candidate.taskId(), candidate.entrantId())) {
				atCap.add(candidate.entrantId());
				continue;
			}
			ClaimedJob job = this.jdbc
				.query("""
						update submissions s set status = 'EVALUATING', sandbox_id = :sandbox, attempt_id = :attempt,
						    attempts = s.attempts + 1, started_at = :now, evaluating_at = :now, not_before = null,
						    job_started_at = null, job_deadline_at = null, version = s.version + 1
						where s.id = :id
						returning """ + CLAIMED_COLUMNS, parameters.addValue("id", candidate.id()),
						SubmissionQueue::claimed)
				.get(0);
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
		return Optional.empty();
	}

	private record Candidate(UUID id, UUID taskId, UUID entrantId) {
	}

	/**
	 * Serialises claims for one entrant on one task across instances until the
	 * transaction ends, then counts its evaluations afresh: two instances claiming for
	 * the same team at once never take it past its cap.
	 */
	private boolean underCapWhileLocked(UUID taskId, UUID entrantId) {
		this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(:key, 0))",
				new MapSqlParameterSource("key", "in-flight:" + entrantId + ":" + taskId));
		Boolean under = this.jdbc.queryForObject(
				"select " + UNDER_CAP.replace("s.task_id", ":task").replace("s.entrant_id", ":entrant"),
				new MapSqlParameterSource("task", taskId).addValue("entrant", entrantId)
					.addValue("defaultInFlight", this.defaultMaxInFlight),
				Boolean.class);
		return Boolean.TRUE.equals(under);
	}

	/**
	 * The waiting submissions among these whose entrant has as many evaluations of their
	 * task running as the task's {@code maxInFlight} allows: they wait for one to end.
	 */
	@Transactional(readOnly = true)
	public Set<UUID> atInFlightLimit(Collection<UUID> submissionIds) {
		if (submissionIds.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.queryForList(
				"""
						select s.id from submissions s where s.id = any(cast(:ids as uuid[])) and s.status = 'QUEUED' and not """
						+ UNDER_CAP,
				new MapSqlParameterSource("ids", submissionIds.toArray(UUID[]::new)).addValue("defaultInFlight",
						this.defaultMaxInFlight),
				UUID.class));
	}

	/** How many of an entrant's submissions to the task may be evaluated at once. */
	@Transactional(readOnly = true)
	public int maxInFlight(UUID taskId) {
		Integer limit = this.jdbc.queryForObject(
				"select coalesce((select max_in_flight from task_queue_limits where task_id = :task), :defaultInFlight)",
				new MapSqlParameterSource("task", taskId).addValue("defaultInFlight", this.defaultMaxInFlight),
				Integer.class);
		return (limit != null) ? limit : this.defaultMaxInFlight;
	}

	/** Whether the task refuses a team's duplicates. */
	@Transactional(readOnly = true)
	public boolean refusesDuplicates(UUID taskId) {
		Boolean refuses = this.jdbc.queryForObject(
				"select coalesce((select refuse_duplicates from task_queue_limits where task_id = :task), :default)",
				new MapSqlParameterSource("task", taskId).addValue("default", this.refuseDuplicates), Boolean.class);
		return (refuses != null) ? refuses : this.refuseDuplicates;
	}

	/** Sets whether the task refuses a team's duplicates. */
	@Transactional
	public void setRefusesDuplicates(UUID taskId, boolean refuse) {
		this.jdbc.update("""
				insert into task_queue_limits (task_id, refuse_duplicates) values (:task, :refuse)
				on conflict (task_id) do update set refuse_duplicates = excluded.refuse_duplicates
				""", new MapSqlParameterSource("task", taskId).addValue("refuse", refuse));
	}

	/**
	 * Sets the task's {@code maxInFlight}; submissions already running are left alone.
	 */
	@Transactional
	public void setMaxInFlight(UUID taskId, int limit) {
		if (limit < 1 || limit > 1000) {
			throw dev.podium.problem.ProblemException.badRequest("invalid-max-in-flight",
					"'maxInFlight' must be between 1 and 1000");
		}
		this.jdbc.update("""
				insert into task_queue_limits (task_id, max_in_flight) values (:task, :limit)
				on conflict (task_id) do update set max_in_flight = excluded.max_in_flight
				""", new MapSqlParameterSource("task", taskId).addValue("limit", limit));
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
				    select h.id from tasks t
				    cross join lateral (
				        select s.id, s.fair_round, s.submitted_at from submissions s
				        where s.task_id = t.id and """ + READY + """
				order by """ + FAIR_ORDER + """
				        limit 1 for update skip locked) h
				    where t.evaluation = 'INLINE'
				    order by h.fair_round, h.submitted_at, h.id
				    limit 1)
				update submissions s set status = 'EVALUATING', sandbox_id = null, attempt_id = :attempt,
				    attempts = s.attempts + 1, started_at = :now, evaluating_at = :now, not_before = null,
				    job_started_at = :now, job_deadline_at = :deadline, version = s.version + 1
				from next where s.id = next.id
				returning """ + CLAIMED_COLUMNS,
				new MapSqlParameterSource("now", Timestamp.from(now)).addValue("deadline", Timestamp.from(deadline))
					.addValue("defaultInFlight", this.defaultMaxInFlight)
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
		return recordScored(submissionId, attemptId, ScoreCard.primaryOnly(publicScore, privateScore), null);
	}

	/**
	 * Records the scores of the attempt, with the predictions it handed in (kept for
	 * re-scoring; {@code null} when they are the submission's own file), and the
	 * entrant's standings, all in one transaction.
	 */
	@Transactional
	public Outcome recordScored(UUID submissionId, UUID attemptId, ScoreCard scores, byte[] predictions) {
		return fenced(submissionId, attemptId).map((submission) -> {
			Submission scored = this.lifecycle.markScored(submission, scores.publicScore(), scores.privateScore());
			this.scores.write(submissionId, scores.secondary());
			if (predictions != null) {
				this.scores.keepPredictions(submissionId, predictions);
			}
			this.events.publishEvent(new SubmissionStandingChanged(scored.taskId(), scored.entrantId()));
			return Outcome.RECORDED;
		}).orElse(Outcome.STALE);
	}

	/** What a re-score did to one submission. */
	public enum Rescored {

		/** Its scores changed. */
		CHANGED,

		/** Its scores came out the same. */
		UNCHANGED,

		/**
		 * Not written: no longer scored, or this re-score already scored it (a batch run
		 * again).
		 */
		SKIPPED

	}

	/**
	 * Re-scores a scored submission from its stored predictions ({@code null} scores: the
	 * predictions no longer score, and it leaves the boards), fenced by the re-score's id
	 * so that a batch repeated after a crash writes nothing twice. Call within the
	 * transaction that counts the re-score's progress.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Rescored recordRescored(UUID submissionId, UUID rescoreId, ScoreCard scores) {
		ScoreCard written = (scores != null) ? scores : ScoreCard.primaryOnly(null, null);
		List<Double[]> before = this.jdbc.query("""
				with old as (
				    select id, public_score, private_score from submissions
				    where id = :id and status = 'SCORED' and rescore_id is distinct from :rescore for update)
				update submissions s set public_score = :public, private_score = :private, rescore_id = :rescore,
				    version = s.version + 1
				from old where s.id = old.id
				returning old.public_score, old.private_score
				""",
				new MapSqlParameterSource("id", submissionId).addValue("rescore", rescoreId)
					.addValue("public", written.publicScore())
					.addValue("private", written.privateScore()),
				(row, n) -> new Double[] { row.getObject(1, Double.class), row.getObject(2, Double.class) });
		if (before.isEmpty()) {
			return Rescored.SKIPPED;
		}
		Submission submission = this.repository.findById(submissionId).orElseThrow();
		this.scores.write(submissionId, written.secondary());
		this.lifecycle.history(submissionId, submission.taskId(), submission.participantId(), SubmissionStatus.SCORED,
				submission.attempts(), "re-scored: public=%s private=%s (was %s, %s)".formatted(written.publicScore(),
						written.privateScore(), before.get(0)[0], before.get(0)[1]));
		this.events.publishEvent(new SubmissionStandingChanged(submission.taskId(), submission.entrantId()));
		boolean same = java.util.Objects.equals(before.get(0)[0], written.publicScore())
				&& java.util.Objects.equals(before.get(0)[1], written.privateScore());
		return same ? Rescored.UNCHANGED : Rescored.CHANGED;
	}

	/**
	 * Puts finished submissions of the task (scored or failed) back in the queue, to be
	 * evaluated again at the round the task serves now; their daily limit is not charged
	 * again.
	 * @return how many went back
	 */
	@Transactional
	public int rerun(UUID taskId, Collection<UUID> submissionIds, String by) {
		Long serving = this.jdbc
			.query("select serving_round from queue_fronts where task_id = :task",
					new MapSqlParameterSource("task", taskId), (row, n) -> row.getLong(1))
			.stream()
			.findFirst()
			.orElse(0L);
		int queued = 0;
		for (UUID id : submissionIds) {
			Optional<Submission> found = this.repository.findForUpdate(id)
				.filter((submission) -> submission.taskId().equals(taskId)
						&& (submission.status() == SubmissionStatus.SCORED
								|| submission.status() == SubmissionStatus.FAILED));
			if (found.isPresent()) {
				Submission rerun = this.lifecycle.rerun(found.get(), serving, by);
				this.events.publishEvent(new SubmissionStandingChanged(rerun.taskId(), rerun.entrantId()));
				queued++;
			}
		}
		return queued;
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
				select h.* from tasks t
				cross join lateral (
				    select s.id, s.task_id, s.participant_id, s.submitted_at, s.fair_round from submissions s
				    where s.task_id = t.id and """ + READY + """
				order by """ + FAIR_ORDER + """
				    limit :limit) h
				where t.evaluation = 'SANDBOX'
				order by h.fair_round, h.submitted_at, h.id
				limit :limit
				""", new MapSqlParameterSource("now", Timestamp.from(this.clock.instant())).addValue("limit", limit)
			.addValue("defaultInFlight", this.defaultMaxInFlight), Waiting.ROW);
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
				select h.id from tasks t
				cross join lateral (
				    select s.id, s.fair_round, s.submitted_at from submissions s
				    where s.task_id = t.id and s.status = 'QUEUED'
				    order by """ + FAIR_ORDER + """
				    limit :limit) h
				""" + ((competitionIds != null) ? " where t.competition_id in (:competitions)" : "") + """
				order by h.fair_round, h.submitted_at, h.id
				limit :limit
				""", new MapSqlParameterSource("limit", limit).addValue("competitions", competitionIds), UUID.class);
	}

	/** How many submissions wait in the given competitions. */
	@Transactional(readOnly = true)
	public long countWaitingIn(Collection<UUID> competitionIds) {
		if (competitionIds.isEmpty()) {
			return 0;
		}
		// from the tallies, which their trigger keeps exact:
		// the queue's length costs nothing here
		Long count = this.jdbc.queryForObject("""
				select coalesce(sum(n), 0) from submission_tallies
				where status = 'QUEUED' and competition_id = any(cast(:competitions as uuid[]))
				""", new MapSqlParameterSource("competitions", competitionIds.toArray(UUID[]::new)), Long.class);
		return (count != null) ? count : 0;
	}

	/** How many submissions wait for the given kind of evaluation (from the tallies). */
	@Transactional(readOnly = true)
	public long countWaiting(String evaluation) {
		Long count = this.jdbc.queryForObject("""
				select coalesce(sum(c.n), 0) from submission_tallies c join tasks t on t.id = c.task_id
				where c.status = 'QUEUED' and t.evaluation = :evaluation
				""", new MapSqlParameterSource("evaluation", evaluation), Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Each queued submission's place among its task's waiting submissions, in the order
	 * they start (1 = next). The earlier rounds are read from the snapshot of the last
	 * {@link #refreshSnapshot refresh}, the rest is counted now: a request costs what its
	 * own round holds, not what the whole queue does. Submissions that started or left
	 * since the refresh may still be counted ahead; the order is always the claims'.
	 */
	@Transactional(readOnly = true)
	public Map<UUID, Integer> positions(Collection<UUID> submissionIds) {
		Map<UUID, Integer> positions = new HashMap<>();
		if (submissionIds.isEmpty()) {
			return positions;
		}
		this.jdbc.query("""
				select q.id, """ + AHEAD_OF_PLACE + """
				  + 1
				from submissions q
				left join lateral (""" + SNAPSHOT_BEFORE + """
				) snap on true
				left join lateral (""" + MARK_BEFORE + """
				) mark on true
				where q.id = any(cast(:ids as uuid[])) and q.status = 'QUEUED'
				""", new MapSqlParameterSource("ids", submissionIds.toArray(UUID[]::new)), (row) -> {
			positions.put(row.getObject(1, UUID.class), row.getInt(2));
		});
		return positions;
	}

	/**
	 * How many ready submissions of the scope come before the given one: the jobs a
	 * sandbox of the scope serves first. A task's earlier rounds come from the snapshot,
	 * as for {@link #positions}; a participant's own scope is counted whole, being theirs
	 * alone.
	 */
	@Transactional(readOnly = true)
	public int aheadInScope(Submission submission, JobScope scope) {
		return aheadInScope(List.of(submission), scope).getOrDefault(submission.id(), 0);
	}

	/**
	 * {@link #aheadInScope(Submission, JobScope)} for several submissions of one scope,
	 * in one query (a participant's page asks it for each of their waiting submissions).
	 */
	@Transactional(readOnly = true)
	public Map<UUID, Integer> aheadInScope(Collection<Submission> submissions, JobScope scope) {
		Map<UUID, Integer> ahead = new HashMap<>();
		if (submissions.isEmpty()) {
			return ahead;
		}
		MapSqlParameterSource parameters = new MapSqlParameterSource("tasks", scope.taskIds().toArray(UUID[]::new))
			.addValue("participant", scope.participantId())
			.addValue("defaultInFlight", this.defaultMaxInFlight)
			.addValue("now", Timestamp.from(this.clock.instant()))
			.addValue("ids", submissions.stream().map(Submission::id).toArray(UUID[]::new))
			.addValue("rounds", submissions.stream().map(Submission::fairRound).toArray(Long[]::new))
			.addValue("ats", submissions.stream().map((one) -> one.submittedAt().toString()).toArray(String[]::new));
		String given = """
				select t.id as task_id, g.fair_round, g.submitted_at, g.id
				from unnest(cast(:ids as uuid[]), cast(:rounds as bigint[]), cast(:ats as timestamptz[]))
				         as g(id, fair_round, submitted_at)
				cross join unnest(cast(:tasks as uuid[])) as t(id)
				""";
		String sql = (scope.participantId() != null) ? """
				select q.id, count(s.id) from (""" + given + """
				) q
				left join submissions s on s.task_id = q.task_id and s.participant_id = :participant and """ + READY
				+ """
						  and (s.fair_round, s.submitted_at, s.id) < (q.fair_round, q.submitted_at, q.id)
						group by q.id
						""" : """
						select q.id, coalesce(sum(""" + AHEAD.formatted("and" + READY) + """
						), 0)
						from (""" + given + """
						) q
						left join lateral (""" + SNAPSHOT_BEFORE + """
						) snap on true
						group by q.id
						""";
		this.jdbc.query(sql, parameters, (row) -> {
			ahead.put(row.getObject(1, UUID.class), row.getInt(2));
		});
		return ahead;
	}

	/**
	 * Recounts how many submissions wait in each fair round of each task, for
	 * {@link #positions} and {@link #aheadInScope}: one pass over the waiting
	 * submissions' index, at most once per {@code interval} over all instances.
	 * @return whether this call refreshed it
	 */
	@Transactional
	public boolean refreshSnapshot(java.time.Duration interval) {
		Instant now = this.clock.instant();
		Boolean mine = this.jdbc.queryForObject(
				"select pg_try_advisory_xact_lock(hashtextextended('queue-snapshot', 0))", new MapSqlParameterSource(),
				Boolean.class);
		if (!Boolean.TRUE.equals(mine)) {
			return false;
		}
		List<Timestamp> last = this.jdbc.queryForList("select refreshed_at from queue_snapshots where id = 1",
				new MapSqlParameterSource(), Timestamp.class);
		if (!last.isEmpty() && !interval.isZero() && last.get(0).toInstant().isAfter(now.minus(interval))
				&& !last.get(0).toInstant().isAfter(now)) {
			return false;
		}
		this.jdbc.update("delete from queue_round_counts", new MapSqlParameterSource());
		this.jdbc.update("""
				insert into queue_round_counts (task_id, fair_round, waiting, waiting_before)
				select task_id, fair_round, n,
				       coalesce(sum(n) over (partition by task_id order by fair_round
				                             rows between unbounded preceding and 1 preceding), 0)
				from (select task_id, fair_round, count(*) as n from submissions where status = 'QUEUED'
				      group by task_id, fair_round) rounds
				""", new MapSqlParameterSource());
		this.jdbc.update("delete from queue_marks", new MapSqlParameterSource());
		this.jdbc.update("""
				insert into queue_marks (task_id, fair_round, submitted_at, id, place)
				select task_id, fair_round, submitted_at, id, place
				from (select task_id, fair_round, submitted_at, id,
				             row_number() over (partition by task_id, fair_round order by submitted_at, id) - 1 as place
				      from submissions where status = 'QUEUED') waiting
				where place % :every = 0
				""", new MapSqlParameterSource("every", MARK_EVERY));
		this.jdbc.update("""
				insert into queue_snapshots (id, refreshed_at) values (1, :now)
				on conflict (id) do update set refreshed_at = excluded.refreshed_at
				""", new MapSqlParameterSource("now", Timestamp.from(now)));
		return true;
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
