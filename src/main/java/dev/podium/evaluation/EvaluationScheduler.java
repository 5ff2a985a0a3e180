package dev.podium.evaluation;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.budget.BudgetChanged;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxState;
import dev.podium.submission.SubmissionQueued;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The engine that turns queued submissions into scores, shaped like the durable job
 * schedulers (db-scheduler, River, Oban). Each round plans creations, then claims the
 * leases of sandboxes due for a step with one statement and hands each step to a bounded
 * pool of workers, so that live sandboxes progress in parallel and a slow or hanging
 * provider call delays nothing but its own sandbox. One instance never runs two steps of
 * one sandbox at once; leases are renewed by a heartbeat of their own, whatever the steps
 * do. Nothing one item does can stop the rounds. Several instances share one database
 * safely.
 */
@Component
public class EvaluationScheduler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EvaluationScheduler.class);

	/** Sandboxes claimed per round at most. */
	static final int CLAIM_LIMIT = 100;

	/** Inline submissions scored per round at most. */
	static final int INLINE_PER_ROUND = 20;

	private static final Duration AWAIT_ROUND = Duration.ofSeconds(60);

	private final CreationPlanner planner;

	private final SandboxSteps steps;

	private final SandboxLeases leases;

	private final SandboxRepository sandboxes;

	private final SandboxProvider provider;

	private final InlineScoring inline;

	private final Preflights preflights;

	private final SandboxReaper reaper;

	private final EvaluationProperties properties;

	private final Clock clock;

	private final String owner;

	private final ReentrantLock round = new ReentrantLock();

	private final AtomicBoolean lookAgain = new AtomicBoolean();

	private final AtomicBoolean wakeRequested = new AtomicBoolean();

	/** Sandboxes with a step queued or running on this instance. */
	private final Set<UUID> busy = ConcurrentHashMap.newKeySet();

	private final int workerCount;

	// Made at each start and shut down at each stop: a context may be stopped and started
	// again (test contexts are paused between uses).
	private volatile ThreadPoolExecutor workers;

	private volatile ExecutorService waker;

	private volatile ScheduledExecutorService heartbeat;

	private volatile boolean running;

	private volatile Instant lastReap = Instant.EPOCH;

	EvaluationScheduler(CreationPlanner planner, SandboxSteps steps, SandboxLeases leases, SandboxRepository sandboxes,
			SandboxProvider provider, InlineScoring inline, Preflights preflights, SandboxReaper reaper,
			EvaluationProperties properties, DataSource dataSource, Clock clock) {
		this.planner = planner;
		this.steps = steps;
		this.leases = leases;
		this.sandboxes = sandboxes;
		this.provider = provider;
		this.inline = inline;
		this.preflights = preflights;
		this.reaper = reaper;
		this.properties = properties;
		this.clock = clock;
		this.owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
		this.workerCount = workerCount(properties.workers(), dataSource);
	}

	/**
	 * Steps hold a connection only to read and to record, never while they wait for the
	 * provider; still, the pool must keep room for the API beside them.
	 */
	private static int workerCount(int configured, DataSource dataSource) {
		if (dataSource instanceof HikariDataSource hikari && hikari.getMaximumPoolSize() > 2) {
			int fits = hikari.getMaximumPoolSize() - 2;
			if (configured > fits) {
				log.warn("podium.evaluation.workers={} does not fit a connection pool of {}: using {}", configured,
						hikari.getMaximumPoolSize(), fits);
				return fits;
			}
		}
		return configured;
	}

	/** This instance's name on the leases it holds. */
	public String owner() {
		return this.owner;
	}

	@Scheduled(fixedDelayString = "${podium.evaluation.poll-interval:2s}",
			initialDelayString = "${podium.evaluation.poll-interval:2s}")
	void poll() {
		if (this.running && this.properties.schedulerEnabled()) {
			round(null);
		}
	}

	/** A new submission should not wait for the next poll. */
	@TransactionalEventListener
	void onSubmissionQueued(SubmissionQueued event) {
		wake();
	}

	/** A raised limit or a lifted block releases deferred work at once. */
	@EventListener
	void onBudgetChanged(BudgetChanged event) {
		this.planner.endDeferral();
		wake();
	}

	/** Asks for a round soon, on the scheduler's own thread; requests coalesce. */
	public void wake() {
		if (!this.running || !this.properties.schedulerEnabled() || !this.wakeRequested.compareAndSet(false, true)) {
			return;
		}
		try {
			this.waker.execute(() -> {
				this.wakeRequested.set(false);
				round(null);
			});
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			this.wakeRequested.set(false);
		}
	}

	/**
	 * One round, waiting for the work it started to finish (for tests and tools; the
	 * scheduler's own rounds never wait for their steps).
	 */
	public void runOnce() {
		RoundWork work = new RoundWork();
		round(work);
		work.await(AWAIT_ROUND);
	}

	private void round(RoundWork work) {
		// a wake that finds a round under way must not be lost: that round looks again
		// once it is done, since what woke us may have come after it had looked
		this.lookAgain.set(true);
		while (this.running && this.lookAgain.get() && this.round.tryLock()) {
			try {
				this.lookAgain.set(false);
				roundOnce(work);
			}
			finally {
				this.round.unlock();
			}
			work = null;
		}
	}

	private void roundOnce(RoundWork work) {
		try {
			Instant now = this.clock.instant();
			safely("planning", () -> this.planner.plan(this.owner));
			submit(work, null, () -> this.inline.scoreWaiting(INLINE_PER_ROUND));
			List<dev.podium.submission.SubmissionQueue.Unchecked> unchecked = safely("pre-flight",
					() -> this.preflights.claim());
			if (unchecked != null) {
				unchecked.forEach((submission) -> submit(work, null, () -> this.preflights.check(submission)));
			}
			// (a clock set back, as after a correction, also counts as due)
			if (now.isBefore(this.lastReap) || !now.isBefore(this.lastReap.plus(this.properties.reapInterval()))) {
				this.lastReap = now;
				submit(work, null, this.reaper::reapOrphans);
			}
			// read the time again: a sandbox the planner has just created is due now, not
			// at the round's start, and must not wait for the next poll
			List<SandboxLeases.Lease> due = safely("claiming leases", () -> this.leases.claimDue(this.owner,
					this.clock.instant(), this.properties.leaseDuration(), CLAIM_LIMIT));
			dispatch(due, work);
		}
		catch (RuntimeException ex) {
			log.error("Scheduling round failed; the next one retries", ex);
		}
	}

	/**
	 * Hands each claimed sandbox's step to the workers; those that want to know where the
	 * provider says they stand are asked about in one call first.
	 */
	private void dispatch(List<SandboxLeases.Lease> due, RoundWork work) {
		if (due == null || due.isEmpty()) {
			return;
		}
		List<SandboxLeases.Lease> free = new ArrayList<>();
		for (SandboxLeases.Lease lease : due) {
			if (this.busy.add(lease.sandboxId())) {
				free.add(lease);
			}
		}
		if (free.isEmpty()) {
			return;
		}
		Map<UUID, SandboxLeases.Lease> byId = new ConcurrentHashMap<>();
		free.forEach((lease) -> byId.put(lease.sandboxId(), lease));
		List<Sandbox> snapshots;
		try {
			snapshots = this.sandboxes.findAllByIds(byId.keySet());
		}
		catch (RuntimeException ex) {
			free.forEach((lease) -> this.busy.remove(lease.sandboxId()));
			throw ex;
		}
		Instant now = this.clock.instant();
		List<Sandbox> toObserve = new ArrayList<>();
		Set<UUID> seen = ConcurrentHashMap.newKeySet();
		for (Sandbox sandbox : snapshots) {
			seen.add(sandbox.id());
			if (this.steps.needsObservation(sandbox, now)) {
				toObserve.add(sandbox);
			}
			else {
				submitStep(work, byId.get(sandbox.id()), sandbox, null);
			}
		}
		byId.keySet().stream().filter((id) -> !seen.contains(id)).forEach(this.busy::remove);
		if (!toObserve.isEmpty()) {
			submit(work, null, () -> {
				Map<String, SandboxState> states;
				try {
					states = this.provider.states(toObserve.stream().map(Sandbox::name).toList());
				}
				catch (RuntimeException ex) {
					log.warn("Could not ask the provider where {} sandbox(es) stand: {}", toObserve.size(),
							ex.toString());
					states = Map.of();
				}
				for (Sandbox sandbox : toObserve) {
					submitStep(work, byId.get(sandbox.id()), sandbox, states.get(sandbox.name()));
				}
			});
		}
	}

	private void submitStep(RoundWork work, SandboxLeases.Lease lease, Sandbox sandbox, SandboxState observed) {
		submit(work, sandbox.id(), () -> this.steps.step(lease, sandbox, observed));
	}

	/**
	 * Runs a piece of work on the workers; {@code sandboxId} is released from
	 * {@link #busy} when it ends, whatever happens.
	 */
	private void submit(RoundWork work, UUID sandboxId, Runnable task) {
		if (work != null) {
			work.started();
		}
		try {
			this.workers.execute(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					log.error("Scheduled work failed; it is tried again next round", ex);
				}
				finally {
					if (sandboxId != null) {
						this.busy.remove(sandboxId);
					}
					if (work != null) {
						work.finished();
					}
				}
			});
		}
		catch (RuntimeException ex) {
			if (sandboxId != null) {
				this.busy.remove(sandboxId);
			}
			if (work != null) {
				work.finished();
			}
			log.warn("Could not hand work to the workers now: {}", ex.toString());
		}
	}

	private <T> T safely(String what, Supplier<T> action) {
		try {
			return action.get();
		}
		catch (RuntimeException ex) {
			log.error("Scheduling round: {} failed; the next round retries", what, ex);
			return null;
		}
	}

	/** Renews every lease this instance holds, on its own thread. */
	private void beat() {
		try {
			this.leases.renew(this.owner, this.clock.instant(), this.properties.leaseDuration());
		}
		catch (RuntimeException ex) {
			log.warn("Could not renew this instance's leases now: {}", ex.toString());
		}
	}

	@Override
	public void start() {
		this.workers = new ThreadPoolExecutor(this.workerCount, this.workerCount, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), threads("podium-step-"));
		this.waker = Executors.newSingleThreadExecutor(threads("podium-scheduler-wake"));
		this.heartbeat = Executors.newSingleThreadScheduledExecutor(threads("podium-lease-heartbeat"));
		this.running = true;
		long period = Math.max(100, this.properties.leaseDuration().toMillis() / 3);
		this.heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
		if (this.properties.schedulerEnabled()) {
			log.info("Evaluation scheduler {} started with {} worker(s)", this.owner, this.workers.getCorePoolSize());
		}
	}

	/**
	 * Stops claiming, lets the steps under way finish for a while, and hands this
	 * instance's sandboxes over at once instead of letting their leases run out. A step
	 * still running after that is fenced off by the next holder's epoch.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.waker.shutdown();
		this.round.lock();
		try {
			this.workers.shutdown();
			if (!this.workers.awaitTermination(10, TimeUnit.SECONDS)) {
				log.warn("Steps still running after 10 s; their sandboxes are handed over anyway");
				this.workers.shutdownNow();
			}
			this.heartbeat.shutdownNow();
			int released = this.leases.releaseAll(this.owner);
			log.info("Evaluation scheduler {} stopped; released {} sandbox lease(s)", this.owner, released);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.warn("Could not release leases on shutdown; they will expire", ex);
		}
		finally {
			this.round.unlock();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stop before the web server and the data source go away.
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

	private static java.util.concurrent.ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + (prefix.endsWith("-") ? count.incrementAndGet() : ""));
			thread.setDaemon(true);
			return thread;
		};
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "podium";
		}
	}

	/** The work one round started, so that {@link #runOnce()} can wait for it. */
	private static final class RoundWork {

		private int pending;

		synchronized void started() {
			this.pending++;
		}

		synchronized void finished() {
			this.pending--;
			notifyAll();
		}

		synchronized void await(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.pending > 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					log.warn("A round's work did not finish within {}", timeout);
					return;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

	}

}
