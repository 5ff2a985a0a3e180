package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.alert.Alerts;
import dev.podium.budget.CreationBudget;
import dev.podium.competition.Competitions;
import dev.podium.sandbox.CreateResult;
import dev.podium.sandbox.DestroyResult;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxSpec;
import dev.podium.sandbox.SandboxState;
import dev.podium.security.Tokens;
import dev.podium.submission.Failure;
import dev.podium.submission.FailureCategory;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.EvaluatingJob;
import dev.podium.submission.SubmissionQueue.Outcome;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes one sandbox one step further in its life, in the shape of a durable job
 * scheduler: read where it stands, act with the provider with no transaction and no lock
 * open, record the outcome fenced by the lease epoch ({@link SandboxRecorder}). Every
 * step is safe to repeat after a crash at any point, and every state has a deadline: an
 * unknown creation is checked by name, a build that never ends is given up, a job that
 * overruns is failed, deletion is retried until it succeeds.
 */
@Component
class SandboxSteps {

	private static final Logger log = LoggerFactory.getLogger(SandboxSteps.class);

	private static final Duration FIRST_POLL = Duration.ofSeconds(2);

	private static final Duration SLOWEST_BUILD_POLL = Duration.ofSeconds(30);

	/** How often a serving sandbox's jobs and retirement are looked at. */
	private static final Duration WATCH = Duration.ofSeconds(10);

	/** How often the provider is asked whether a serving sandbox still lives. */
	private static final Duration OBSERVE_RUNNING = Duration.ofSeconds(60);

	private static final Duration OBSERVE_DRAINING = Duration.ofSeconds(15);

	private static final Duration TROUBLE_BACKOFF = Duration.ofSeconds(30);

	private static final EnumSet<SandboxStatus> WATCHED = EnumSet.of(SandboxStatus.STARTING, SandboxStatus.RUNNING,
			SandboxStatus.DRAINING);

	private final SandboxRecorder recorder;

	private final SandboxProvider provider;

	private final SubmissionQueue queue;

	private final CreationBudget budget;

	private final TaskCreationBlocks blocks;

	private final Alerts alerts;

	private final RetryPolicy retries;

	private final Competitions competitions;

	private final SandboxJobDesk desk;

	private final SandboxProperties sandboxProperties;

	private final EvaluationProperties properties;

	private final StepFaults faults;

	private final Clock clock;

	private final Timer createTimer;

	private final Timer readyTimer;

	private final Timer lifetimeTimer;

	private final TransactionTemplate transactions;

	SandboxSteps(SandboxRecorder recorder, SandboxProvider provider, SubmissionQueue queue, CreationBudget budget,
			TaskCreationBlocks blocks, Alerts alerts, RetryPolicy retries, Competitions competitions,
			SandboxJobDesk desk, SandboxProperties sandboxProperties, EvaluationProperties properties,
			ObjectProvider<StepFaults> faults, Clock clock, MeterRegistry meters,
			PlatformTransactionManager transactionManager) {
		this.transactions = new TransactionTemplate(transactionManager);
		this.recorder = recorder;
		this.provider = provider;
		this.queue = queue;
		this.budget = budget;
		this.blocks = blocks;
		this.alerts = alerts;
		this.retries = retries;
		this.competitions = competitions;
		this.desk = desk;
		this.sandboxProperties = sandboxProperties;
		this.properties = properties;
		this.faults = faults.getIfAvailable(() -> StepFaults.NONE);
		this.clock = clock;
		this.createTimer = Timer.builder("podium.sandbox.create")
			.description("The provider's create call")
			.register(meters);
		this.readyTimer = Timer.builder("podium.sandbox.ready")
			.description("From a sandbox's creation to its readiness (a Space's build)")
			.register(meters);
		this.lifetimeTimer = Timer.builder("podium.sandbox.lifetime")
			.description("From a sandbox's creation to its deletion")
			.register(meters);
	}

	/** Whether the provider should be asked where this sandbox stands before its step. */
	boolean needsObservation(Sandbox sandbox, Instant now) {
		if (!WATCHED.contains(sandbox.status())) {
			return false;
		}
		if (sandbox.observedAt() == null) {
			return true;
		}
		Duration interval = switch (sandbox.status()) {
			case STARTING -> buildPoll(sandbox, now);
			case DRAINING -> OBSERVE_DRAINING;
			default -> OBSERVE_RUNNING;
		};
		return !now.isBefore(sandbox.observedAt().plus(interval));
	}

	/**
	 * One step; nothing it meets can escape it: an unexpected failure is logged and the
	 * step is tried again later, for this sandbox alone.
	 * @param observed where the provider said the sandbox stands, if it was asked for
	 * this step ({@code null} otherwise)
	 */
	void step(SandboxLeases.Lease lease, Sandbox sandbox, SandboxState observed) {
		try {
			switch (sandbox.status()) {
				case CREATING -> create(lease, sandbox);
				case STARTING, RUNNING, DRAINING -> watch(lease, sandbox, observed);
				case DESTROYING -> destroy(lease, sandbox);
				case DESTROYED -> {
				}
			}
		}
		catch (RuntimeException ex) {
			log.error("sandbox={} status={}: the step failed; it is tried again later", sandbox.id(), sandbox.status(),
					ex);
			Instant retry = this.clock.instant().plus(TROUBLE_BACKOFF);
			try {
				this.recorder.record(lease, sandbox.status(), (fresh) -> fresh.nextStepAt(retry));
			}
			catch (RuntimeException again) {
				log.warn("sandbox={}: could not record the retry either: {}", sandbox.id(), again.toString());
			}
		}
	}

	private void create(SandboxLeases.Lease lease, Sandbox sandbox) {
		Instant now = this.clock.instant();
		boolean overdue = sandbox.stateDeadlineAt() != null && !now.isBefore(sandbox.stateDeadlineAt());
		if (sandbox.createAttempts() > 0 || overdue) {
			// An earlier create's outcome is unknown: look before creating again.
			SandboxState state = this.provider.state(sandbox.name());
			this.faults.afterAct("create.check", sandbox.id());
			if (state instanceof SandboxState.Unobservable unobservable) {
				Instant retry = retryAt(unobservable.retryAt(), now);
				this.recorder.record(lease, SandboxStatus.CREATING, (fresh) -> fresh.nextStepAt(retry));
				return;
			}
			if (!(state instanceof SandboxState.Gone)) {
				this.recorder.record(lease, SandboxStatus.CREATING, (fresh) -> fresh.markStarting(this.clock.instant(),
						this.clock.instant().plus(this.sandboxProperties.readyTimeout())));
				log.info("sandbox={} name={}: found it made by an earlier attempt; adopted", sandbox.id(),
						sandbox.name());
				return;
			}
			if (overdue) {
				// The charge stays: whether something was made cannot be known.
				this.recorder.record(lease, SandboxStatus.CREATING, (fresh) -> fresh
					.abandon("could not be created within " + this.properties.createTimeout(), this.clock.instant()));
				return;
			}
		}
		// A fresh token each time: only its hash is kept, so after a crash the old one is
		// unknown. It is recorded before the provider sees it.
		String token = Tokens.generate("sbx_");
		if (!this.recorder.record(lease, SandboxStatus.CREATING, (fresh) -> fresh.replaceToken(Tokens.hash(token)))) {
			return;
		}
		CreateResult outcome = this.createTimer.record(
				() -> this.provider.create(new SandboxSpec(sandbox.id(), sandbox.name(), sandbox.hardware(), token)));
		this.faults.afterAct("create", sandbox.id());
		Instant after = this.clock.instant();
		if (outcome instanceof CreateResult.Created created) {
			this.recorder.record(lease, SandboxStatus.CREATING,
					(fresh) -> fresh.markStarting(after, after.plus(this.sandboxProperties.readyTimeout())));
			if (created.adopted()) {
				log.info("sandbox={} name={}: it existed already (an earlier attempt made it); adopted", sandbox.id(),
						sandbox.name());
			}
		}
		else if (outcome instanceof CreateResult.CreationLimited limited) {
			// Nothing was made: refunded, no submission fails, creations wait.
			if (this.recorder.record(lease, SandboxStatus.CREATING,
					(fresh) -> fresh.abandon("the provider's creation limit: " + limited.message(), after))) {
				this.budget.refund(sandbox.name());
				this.budget.blockCreations(limited.retryAt(), limited.message());
			}
		}
		else if (outcome instanceof CreateResult.Throttled throttled) {
			Instant retry = retryAt(throttled.retryAt(), after);
			this.recorder.record(lease, SandboxStatus.CREATING, (fresh) -> fresh.nextStepAt(retry));
		}
		else if (outcome instanceof CreateResult.Unknown unknown) {
			log.warn("sandbox={} name={}: the creation's outcome is unknown ({}); it is checked by name next",
					sandbox.id(), sandbox.name(), unknown.message());
			Duration backoff = this.retries.delay(sandbox.createAttempts() + 1).plus(FIRST_POLL);
			this.recorder.record(lease, SandboxStatus.CREATING, (fresh) -> fresh.retryCreateAt(after.plus(backoff)));
		}
		else if (outcome instanceof CreateResult.Refused refused) {
			refused(lease, sandbox, refused);
		}
	}

	/**
	 * A definitive refusal: refunded, the submission it was for fails as the platform's
	 * fault without retries, operators are alerted, and creations for the task stop until
	 * someone fixes it.
	 */
	private void refused(SandboxLeases.Lease lease, Sandbox sandbox, CreateResult.Refused refused) {
		String reason = "the provider refused to create the sandbox (" + refused.status() + "): " + refused.message();
		if (!this.recorder.record(lease, SandboxStatus.CREATING,
				(fresh) -> fresh.abandon(reason, this.clock.instant()))) {
			return;
		}
		this.budget.refund(sandbox.name());
		List<UUID> tasks = (sandbox.taskId() != null) ? List.of(sandbox.taskId())
				: this.desk.competitionTasks(sandbox.competitionId(), sandbox.hardware());
		tasks.forEach((task) -> this.blocks.block(task, refused.status(), reason));
		if (sandbox.triggerSubmissionId() != null) {
			this.queue.refuse(sandbox.triggerSubmissionId(), new Failure(FailureCategory.PLATFORM,
					reason + ". Podium stopped creating sandboxes for this task until an operator fixes it."));
		}
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("sandbox", sandbox.name());
		event.put("status", refused.status());
		event.put("message", refused.message());
		event.put("tasks", tasks.stream().map(UUID::toString).toList());
		// alerts are written in a transaction of their own (steps hold none)
		this.transactions.executeWithoutResult((status) -> this.alerts.raise("sandbox.creation-refused", event));
		log.error("sandbox={} name={}: {}; creations for task(s) {} stop until the block is lifted", sandbox.id(),
				sandbox.name(), reason, tasks);
	}

	private void watch(SandboxLeases.Lease lease, Sandbox sandbox, SandboxState given) {
		Instant now = this.clock.instant();
		boolean misbehaved = expireJobs(sandbox, now);
		SandboxState observed = (given != null || !needsObservation(sandbox, now)) ? given
				: this.provider.state(sandbox.name());
		this.faults.afterAct("watch", sandbox.id());
		if (observed instanceof SandboxState.Failed || observed instanceof SandboxState.Gone) {
			lost(lease, sandbox, (observed instanceof SandboxState.Failed failed) ? failed.reason() : "it is gone");
			return;
		}
		Instant after = this.clock.instant();
		AtomicReference<String> neverReady = new AtomicReference<>();
		boolean recorded = this.recorder.record(lease, WATCHED, (fresh) -> {
			// Read under the sandbox's lock, which a job claim takes too: a job claimed
			// since this step began is seen here, and no sandbox is deleted under it.
			List<EvaluatingJob> inFlight = this.queue.evaluatingIn(fresh.id());
			if (observed instanceof SandboxState.Starting starting) {
				fresh.observed(starting.stage(), after);
			}
			else if (observed instanceof SandboxState.Ready ready) {
				fresh.observed(ready.stage(), after);
				if (fresh.status() == SandboxStatus.STARTING) {
					fresh.markRunning(after);
					this.readyTimer.record(Duration.between(fresh.createdAt(), after));
				}
			}
			if (fresh.status() == SandboxStatus.STARTING && !after.isBefore(fresh.stateDeadlineAt())) {
				neverReady.set("did not become ready within " + this.sandboxProperties.readyTimeout() + " (stage "
						+ fresh.observedStage() + ")");
				fresh.markDestroying(neverReady.get(), after);
				return;
			}
			if (fresh.status().serves()) {
				// A sandbox that asks for work is retired for idleness by its own request
				// (when nothing waits for it); this catches one that stopped asking, a
				// long
				// poll later, so that an idle timeout of 0 does not retire one between
				// jobs.
				String retirement = misbehaved ? "it did not end a job in time" : fresh.limitReached(after);
				if (retirement == null) {
					retirement = fresh.idleExpired(after.minus(this.properties.jobWait()));
				}
				if (retirement != null) {
					fresh.drain(retirement, after, misbehaved ? after.plus(this.properties.timeLimitMargin())
							: drainDeadline(inFlight, after));
				}
			}
			if (fresh.status() == SandboxStatus.DRAINING
					&& (inFlight.isEmpty() || !after.isBefore(fresh.stateDeadlineAt()))) {
				fresh.markDestroying("drained", after);
				return;
			}
			fresh.nextStepAt(nextWatch(fresh, inFlight, after));
		});
		if (recorded && neverReady.get() != null) {
			failedBeforeServing(sandbox, neverReady.get());
		}
		if (sandbox.status() == SandboxStatus.DRAINING || misbehaved) {
			returnJobsIfDestroying(sandbox.id(), "the sandbox was retired before the job ended");
		}
	}

	/**
	 * Fails jobs that ran over their time limit (the participant's fault, counted) and
	 * hands back jobs the sandbox never started (the platform's).
	 * @return whether the sandbox missed a deadline it should have kept itself
	 */
	private boolean expireJobs(Sandbox sandbox, Instant now) {
		boolean misbehaved = false;
		for (EvaluatingJob job : this.queue.evaluatingIn(sandbox.id())) {
			if (job.startedAt() != null && job.deadline() != null
					&& now.isAfter(job.deadline().plus(this.properties.timeLimitMargin()))) {
				Duration limit = Duration.between(job.startedAt(), job.deadline());
				misbehaved |= this.queue.recordFailed(job.submissionId(), job.attemptId(),
						new Failure(FailureCategory.SUBMISSION,
								"the evaluation ran over its time limit of " + limit)) == Outcome.RECORDED;
			}
			else if (job.startedAt() == null && now.isAfter(job.claimedAt().plus(this.properties.downloadTimeout()))) {
				misbehaved |= this.queue.returnAfterPlatformFault(job.submissionId(), job.attemptId(),
						"the sandbox did not start the job within " + this.properties.downloadTimeout(),
						this.retries) == Outcome.RECORDED;
			}
		}
		return misbehaved;
	}

	/**
	 * Lost mid-stream: its current job goes back to the queue; nothing fails. Lost before
	 * it took any job, it counts as an attempt of the submission it was made for.
	 */
	private void lost(SandboxLeases.Lease lease, Sandbox sandbox, String reason) {
		if (this.recorder.record(lease, WATCHED,
				(fresh) -> fresh.markDestroying("lost: " + reason, this.clock.instant()))) {
			log.warn("sandbox={} name={} was lost ({}); its job goes back to the queue", sandbox.id(), sandbox.name(),
					reason);
			returnJobsIfDestroying(sandbox.id(), "the sandbox was lost: " + reason);
			if (sandbox.status() == SandboxStatus.STARTING) {
				failedBeforeServing(sandbox, reason);
			}
		}
	}

	/**
	 * A sandbox that failed before serving anything (a build error, a Space paused for
	 * want of hardware, a build that never ends) would be replaced by another just like
	 * it, round after round, each a creation: the submission it was made for carries it
	 * as a platform attempt, and fails for good once its attempts are spent.
	 */
	private void failedBeforeServing(Sandbox sandbox, String reason) {
		if (sandbox.jobsServed() > 0 || sandbox.triggerSubmissionId() == null) {
			return;
		}
		this.queue.sandboxFailedBeforeServing(sandbox.triggerSubmissionId(),
				"the sandbox failed before it took a job: " + reason, this.retries);
	}

	/**
	 * A retiring sandbox's jobs in flight may end within their own limits: it drains
	 * until the last of them is due (a job not started yet: its download time and limit
	 * from now), and at least the margin.
	 */
	private Instant drainDeadline(List<EvaluatingJob> inFlight, Instant now) {
		Instant deadline = now.plus(this.properties.timeLimitMargin());
		for (EvaluatingJob job : inFlight) {
			Instant due = (job.deadline() != null) ? job.deadline().plus(this.properties.timeLimitMargin())
					: job.claimedAt().plus(this.properties.downloadTimeout());
			if (due.isAfter(deadline)) {
				deadline = due;
			}
		}
		return deadline;
	}

	/** Once a sandbox is being deleted, the jobs it still holds go back to the queue. */
	private void returnJobsIfDestroying(UUID sandboxId, String reason) {
		if (!isDestroying(sandboxId)) {
			return;
		}
		for (EvaluatingJob job : this.queue.evaluatingIn(sandboxId)) {
			this.queue.returnAfterPlatformFault(job.submissionId(), job.attemptId(), reason, this.retries);
		}
	}

	private boolean isDestroying(UUID sandboxId) {
		return this.desk.statusOf(sandboxId)
			.map((status) -> status.compareTo(SandboxStatus.DESTROYING) >= 0)
			.orElse(true);
	}

	private void destroy(SandboxLeases.Lease lease, Sandbox sandbox) {
		returnJobsIfDestroying(sandbox.id(), "the sandbox was deleted");
		DestroyResult outcome = this.provider.destroy(sandbox.name());
		this.faults.afterAct("destroy", sandbox.id());
		Instant now = this.clock.instant();
		if (outcome instanceof DestroyResult.Destroyed) {
			if (this.recorder.record(lease, SandboxStatus.DESTROYING, (fresh) -> fresh.markDestroyed(now))) {
				this.lifetimeTimer.record(Duration.between(sandbox.createdAt(), now));
			}
		}
		else {
			DestroyResult.Unavailable unavailable = (DestroyResult.Unavailable) outcome;
			log.warn("sandbox={} name={} could not be deleted yet ({}); it is tried again", sandbox.id(),
					sandbox.name(), unavailable.reason());
			Instant retry = retryAt(unavailable.retryAt(), now);
			this.recorder.record(lease, SandboxStatus.DESTROYING, (fresh) -> fresh.nextStepAt(retry));
		}
	}

	/** When to look again at a serving sandbox: soon, or at its next deadline. */
	private Instant nextWatch(Sandbox sandbox, List<EvaluatingJob> inFlight, Instant now) {
		Instant next = now.plus((sandbox.status() == SandboxStatus.STARTING) ? buildPoll(sandbox, now) : WATCH);
		for (EvaluatingJob job : inFlight) {
			if (job.deadline() != null) {
				next = earliest(next, job.deadline().plus(this.properties.timeLimitMargin()).plusSeconds(1));
			}
		}
		if (sandbox.status() == SandboxStatus.DRAINING && sandbox.stateDeadlineAt() != null) {
			next = earliest(next, sandbox.stateDeadlineAt());
		}
		return next.isBefore(now) ? now : next;
	}

	/**
	 * Builds are polled quickly at first, then more slowly, up to every thirty seconds.
	 */
	private static Duration buildPoll(Sandbox sandbox, Instant now) {
		Duration age = Duration.between(sandbox.createdAt(), now);
		Duration delay = FIRST_POLL.plus(age.dividedBy(10));
		return (delay.compareTo(SLOWEST_BUILD_POLL) > 0) ? SLOWEST_BUILD_POLL : delay;
	}

	private static Instant earliest(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	private static Instant retryAt(Instant suggested, Instant now) {
		return (suggested != null && suggested.isAfter(now)) ? suggested : now.plus(TROUBLE_BACKOFF);
	}

}
