package dev.podium.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.ModelRunner;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.Task;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxProvider.TaskRunner;
import dev.podium.security.SecretBox;
import dev.podium.submission.Failure;
import dev.podium.submission.FailureCategory;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.ClaimedJob;
import dev.podium.submission.SubmissionQueue.EvaluatingJob;
import dev.podium.submission.SubmissionQueue.JobScope;
import dev.podium.submission.SubmissionQueue.Outcome;
import dev.podium.submission.Submissions;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where live sandboxes ask for their next job and hand in results. A job is claimed in
 * one short transaction that locks the sandbox (one job at a time, within its job limit
 * and lifetime) and claims the next submission of its scope in fair order; every report
 * is fenced by the job's attempt id. Predictions are scored here, with no transaction
 * open, against the hidden solution, which never leaves Podium.
 */
@Component
class SandboxJobDesk implements SandboxCallbacks {

	private static final Logger log = LoggerFactory.getLogger(SandboxJobDesk.class);

	/**
	 * Jobs that cannot be handed out (a sealed token that cannot be opened) are skipped.
	 */
	private static final int MAX_SKIPPED = 5;

	private final SandboxRepository sandboxes;

	private final SubmissionQueue queue;

	private final Submissions submissions;

	private final Competitions competitions;

	private final SecretBox secrets;

	private final PredictionScorer scorer;

	private final RetryPolicy retries;

	private final JobBoard board;

	private final EvaluationProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	SandboxJobDesk(SandboxRepository sandboxes, SubmissionQueue queue, Submissions submissions,
			Competitions competitions, SecretBox secrets, PredictionScorer scorer, RetryPolicy retries, JobBoard board,
			EvaluationProperties properties, PlatformTransactionManager transactionManager, Clock clock) {
		this.sandboxes = sandboxes;
		this.queue = queue;
		this.submissions = submissions;
		this.competitions = competitions;
		this.secrets = secrets;
		this.scorer = scorer;
		this.retries = retries;
		this.board = board;
		this.properties = properties;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	@Override
	public CompletableFuture<JobOffer> nextJob(UUID sandboxId, Duration wait) {
		Duration bounded = (wait.compareTo(this.properties.jobWait()) > 0) ? this.properties.jobWait() : wait;
		JobOffer now = tryClaim(sandboxId);
		if (now != null) {
			return CompletableFuture.completedFuture(now);
		}
		return this.board.await(sandboxId, bounded, () -> tryClaim(sandboxId), this::handBack);
	}

	/**
	 * One claim: the sandbox's next job, its retirement, or {@code null} when there is no
	 * job for it yet.
	 */
	JobOffer tryClaim(UUID sandboxId) {
		for (int skipped = 0; skipped <= MAX_SKIPPED; skipped++) {
			Claim claim = this.transactions.execute((status) -> claim(sandboxId));
			if (claim == null || claim.offer() != null) {
				return (claim != null) ? claim.offer() : null;
			}
			// The job could not be handed out; it was failed on its own: try the next.
		}
		return null;
	}

	private record Claim(JobOffer offer) {
	}

	private Claim claim(UUID sandboxId) {
		Sandbox sandbox = this.sandboxes.findForUpdate(sandboxId).orElse(null);
		Instant now = this.clock.instant();
		if (sandbox == null || sandbox.status().compareTo(SandboxStatus.RUNNING) > 0) {
			return new Claim(new JobOffer.Retired("this sandbox takes no more jobs"));
		}
		if (sandbox.status() == SandboxStatus.CREATING) {
			return null;
		}
		for (EvaluatingJob lost : this.queue.evaluatingIn(sandboxId)) {
			// It asks for new work without having reported this job: it restarted or lost
			// it. The job goes back to the queue, as the platform's fault.
			this.queue.returnAfterPlatformFault(lost.submissionId(), lost.attemptId(),
					"the sandbox lost the job (it asked for new work without reporting it)", this.retries);
			sandbox.jobEnded(now);
		}
		String limit = sandbox.limitReached(now);
		if (limit != null) {
			return retire(sandbox, limit, now);
		}
		Optional<ClaimedJob> claimed = this.queue.claimNext(jobScope(sandbox), sandboxId);
		if (claimed.isEmpty()) {
			String idle = sandbox.idleExpired(now);
			if (idle != null) {
				return retire(sandbox, idle, now);
			}
			this.sandboxes.save(sandbox);
			return null;
		}
		ClaimedJob job = claimed.get();
		Task task = this.competitions.findTask(job.taskId()).orElseThrow();
		String hubToken = null;
		if (job.accessTokenSealed() != null) {
			try {
				hubToken = this.secrets.open(job.accessTokenSealed(), job.submissionId());
			}
			catch (RuntimeException ex) {
				this.queue.recordFailed(job.submissionId(), job.attemptId(),
						new Failure(FailureCategory.PLATFORM,
								"the access token sent with the submission can no longer be decrypted (Podium's "
										+ "encryption key changed); please submit again"));
				log.warn("submission={}: its sealed access token cannot be opened: {}", job.submissionId(),
						ex.getMessage());
				return new Claim(null);
			}
		}
		sandbox.jobClaimed(now);
		this.sandboxes.save(sandbox);
		log.info("sandbox={} job={} submission={} attempt={} claimed ({} of {})", sandboxId, job.attemptId(),
				job.submissionId(), job.attempts(), sandbox.jobsServed(), sandbox.maxJobs());
		return new Claim(new JobOffer.Assigned(new SandboxJob(job.attemptId(), job.submissionId(), job.kind().name(),
				jobTask(task), task.timeout(), job.model(), job.revision(), hubToken)));
	}

	private Claim retire(Sandbox sandbox, String reason, Instant now) {
		sandbox.drain(reason, now, now.plus(this.properties.timeLimitMargin()));
		this.sandboxes.save(sandbox);
		log.info("sandbox={} status=DRAINING: {}", sandbox.id(), reason);
		return new Claim(new JobOffer.Retired(reason));
	}

	/** A job claimed for a request that was gone: back to the queue, not counted. */
	private void handBack(JobOffer.Assigned offer) {
		SandboxJob job = offer.job();
		if (this.queue.unclaim(job.submissionId(), job.jobId(),
				"its sandbox's request had ended") == Outcome.RECORDED) {
			endJob(jobOwner(job.jobId()));
		}
	}

	/** The submissions a sandbox serves: those of its scope. */
	JobScope jobScope(Sandbox sandbox) {
		return jobScope(sandbox.scope());
	}

	JobScope jobScope(SandboxScope scope) {
		return switch (scope.kind()) {
			case PARTICIPANT -> new JobScope(List.of(scope.taskId()), scope.participantId());
			case TASK -> new JobScope(List.of(scope.taskId()), null);
			case COMPETITION -> new JobScope(competitionTasks(scope.competitionId(), scope.hardware()), null);
		};
	}

	/**
	 * The tasks of a competition that COMPETITION-scope sandboxes on this hardware serve.
	 */
	List<UUID> competitionTasks(UUID competitionId, String hardware) {
		return this.competitions.find(competitionId)
			.map(Competition::tasks)
			.orElse(List.of())
			.stream()
			.filter((task) -> task.reuseScope() == ReuseScope.COMPETITION && task.evaluation() == EvaluationMode.SANDBOX
					&& task.hardware().equals(hardware))
			.map(Task::id)
			.toList();
	}

	static JobTask jobTask(Task task) {
		TaskRunner runner = (task.runner() == ModelRunner.SCRIPT) ? TaskRunner.SCRIPT : TaskRunner.PREDICT;
		return new JobTask(task.competitionSlug(), task.slug(), task.metric(), task.idColumn(), runner, task.dataset(),
				task.localCommand(), task.maxFileBytes());
	}

	@Override
	public Optional<byte[]> jobFile(UUID sandboxId, UUID jobId) {
		return current(sandboxId, jobId).flatMap((job) -> this.submissions.file(job.submissionId()));
	}

	@Override
	public JobReport jobStarted(UUID sandboxId, UUID jobId) {
		Optional<EvaluatingJob> job = current(sandboxId, jobId);
		if (job.isEmpty()) {
			return JobReport.STALE;
		}
		Task task = taskOf(job.get().submissionId());
		return (this.queue.jobStarted(job.get().submissionId(), jobId, task.timeout()) == Outcome.RECORDED)
				? JobReport.ACCEPTED : JobReport.STALE;
	}

	@Override
	public java.util.OptionalLong predictionLimit(UUID sandboxId, UUID jobId) {
		return current(sandboxId, jobId)
			.map((job) -> java.util.OptionalLong.of(taskOf(job.submissionId()).maxFileBytes()))
			.orElse(java.util.OptionalLong.empty());
	}

	@Override
	public JobReport predictions(UUID sandboxId, UUID jobId, InputStream csv, long declaredLength) {
		Optional<EvaluatingJob> job = current(sandboxId, jobId);
		if (job.isEmpty()) {
			return JobReport.STALE;
		}
		UUID submissionId = job.get().submissionId();
		Task task = taskOf(submissionId);
		// a declared length over the limit is refused before a byte is read
		byte[] predictions = (declaredLength > task.maxFileBytes()) ? null : readAtMost(csv, task.maxFileBytes());
		if (predictions == null) {
			Outcome outcome = this.queue.recordFailed(submissionId, jobId, new Failure(FailureCategory.SUBMISSION,
					"the predictions exceed the task's limit of " + task.maxFileBytes() + " bytes"));
			endJob(sandboxId);
			return (outcome == Outcome.RECORDED) ? JobReport.TOO_LARGE : JobReport.STALE;
		}
		Outcome outcome = record(submissionId, jobId, task, predictions, true);
		endJob(sandboxId);
		return (outcome == Outcome.RECORDED) ? JobReport.ACCEPTED : JobReport.STALE;
	}

	/**
	 * Scores predictions, with no transaction open, then records the verdict fenced.
	 * @param keep whether to keep the predictions for re-scoring (those a sandbox handed
	 * in; an inline submission's are its own file)
	 */
	Outcome record(UUID submissionId, UUID attemptId, Task task, byte[] predictions, boolean keep) {
		PredictionScorer.Verdict verdict = this.scorer.score(task, predictions);
		if (verdict instanceof PredictionScorer.Verdict.Scored scored) {
			return this.queue.recordScored(submissionId, attemptId, scored.scores(), keep ? predictions : null);
		}
		if (verdict instanceof PredictionScorer.Verdict.Rejected rejected) {
			return this.queue.recordFailed(submissionId, attemptId,
					new Failure(FailureCategory.SUBMISSION, rejected.message()));
		}
		return this.queue.returnAfterPlatformFault(submissionId, attemptId, "the task has no solution to score against",
				this.retries);
	}

	@Override
	public JobReport failure(UUID sandboxId, UUID jobId, boolean submissionFault, String message) {
		Optional<EvaluatingJob> job = current(sandboxId, jobId);
		if (job.isEmpty()) {
			return JobReport.STALE;
		}
		String safe = (message == null || message.isBlank()) ? "the evaluation failed" : message.strip();
		Outcome outcome = submissionFault
				? this.queue.recordFailed(job.get().submissionId(), jobId,
						new Failure(FailureCategory.SUBMISSION, safe))
				: this.queue.returnAfterPlatformFault(job.get().submissionId(), jobId,
						"the sandbox reported: " + Failure.truncate(safe, 1500), this.retries);
		endJob(sandboxId);
		return (outcome == Outcome.RECORDED) ? JobReport.ACCEPTED : JobReport.STALE;
	}

	/** The sandbox is idle again, and may take the next job at once. */
	private void endJob(UUID sandboxId) {
		if (sandboxId == null) {
			return;
		}
		this.transactions
			.executeWithoutResult((status) -> this.sandboxes.findForUpdate(sandboxId).ifPresent((sandbox) -> {
				sandbox.jobEnded(this.clock.instant());
				this.sandboxes.save(sandbox);
			}));
	}

	private UUID jobOwner(UUID jobId) {
		return this.submissions.findByAttempt(jobId).map(dev.podium.submission.Submission::sandboxId).orElse(null);
	}

	/** The job, if it is the sandbox's current one. */
	private Optional<EvaluatingJob> current(UUID sandboxId, UUID jobId) {
		return this.queue.evaluatingIn(sandboxId).stream().filter((job) -> job.attemptId().equals(jobId)).findFirst();
	}

	private Task taskOf(UUID submissionId) {
		return this.submissions.find(submissionId)
			.flatMap((submission) -> this.competitions.findTask(submission.taskId()))
			.orElseThrow();
	}

	/** The bytes, or {@code null} when there are more than {@code limit}. */
	private static byte[] readAtMost(InputStream in, long limit) {
		try {
			byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
			return (bytes.length > limit) ? null : bytes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Optional<SandboxStatus> statusOf(UUID sandboxId) {
		return this.sandboxes.findById(sandboxId).map(Sandbox::status);
	}

	/** Whether the token is the one this live sandbox was created with. */
	Authentication authenticate(UUID sandboxId, String tokenHash) {
		return this.sandboxes.findById(sandboxId)
			.filter(Sandbox::isLive)
			.map((sandbox) -> (!sandbox.tokenHash().isEmpty()
					&& MessageDigest.isEqual(sandbox.tokenHash().getBytes(StandardCharsets.US_ASCII),
							tokenHash.getBytes(StandardCharsets.US_ASCII))) ? Authentication.OK
									: Authentication.WRONG_TOKEN)
			.orElse(Authentication.UNKNOWN);
	}

	enum Authentication {

		OK, WRONG_TOKEN, UNKNOWN

	}

}
