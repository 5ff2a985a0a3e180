package dev.podium.evaluation;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.budget.BudgetChanged;
import dev.podium.submission.SubmissionQueued;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The loop that turns queued submissions into scores. Each round it scores waiting inline
 * submissions, starts sandboxes while capacity allows, and takes every sandbox whose
 * lease it holds (or that a dead instance left behind) one step further. It runs on a
 * schedule and whenever a new submission arrives; several instances share one database
 * safely.
 */
@Component
public class EvaluationScheduler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EvaluationScheduler.class);

	private final SandboxStarter starter;

	private final SandboxDriver driver;

	private final InlineEvaluator inline;

	private final SandboxReaper reaper;

	private final NamedParameterJdbcTemplate jdbc;

	private final EvaluationProperties properties;

	private final Clock clock;

	private final String owner;

	private final ReentrantLock round = new ReentrantLock();

	private final AtomicBoolean wakeRequested = new AtomicBoolean();

	private final ExecutorService waker = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "podium-scheduler-wake");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean running;

	private volatile Instant lastReap = Instant.EPOCH;

	EvaluationScheduler(SandboxStarter starter, SandboxDriver driver, InlineEvaluator inline, SandboxReaper reaper,
			NamedParameterJdbcTemplate jdbc, EvaluationProperties properties, Clock clock) {
		this.starter = starter;
		this.driver = driver;
		this.inline = inline;
		this.reaper = reaper;
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
		this.owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** This instance's name on the leases it holds. */
	public String owner() {
		return this.owner;
	}

	@Scheduled(fixedDelayString = "${podium.evaluation.poll-interval:2s}",
			initialDelayString = "${podium.evaluation.poll-interval:2s}")
	void poll() {
		if (this.running && this.properties.schedulerEnabled()) {
			runOnce();
		}
	}

	/** A new submission should not wait for the next poll. */
	@TransactionalEventListener
	void onSubmissionQueued(SubmissionQueued event) {
		wake();
	}

	/** A raised limit releases deferred work at once. */
	@EventListener
	void onBudgetChanged(BudgetChanged event) {
		this.starter.endDeferral();
		wake();
	}

	/** Asks for a round soon, on the scheduler's own thread; requests coalesce. */
	public void wake() {
		if (!this.running || !this.properties.schedulerEnabled() || !this.wakeRequested.compareAndSet(false, true)) {
			return;
		}
		this.waker.execute(() -> {
			this.wakeRequested.set(false);
			runOnce();
		});
	}

	/** One round of scheduling; rounds of one instance never overlap. */
	public void runOnce() {
		if (!this.round.tryLock()) {
			return;
		}
		try {
			Instant now = this.clock.instant();
			// (a clock set back, as after a correction, also counts as due)
			if (now.isBefore(this.lastReap) || !now.isBefore(this.lastReap.plus(this.properties.reapInterval()))) {
				this.lastReap = now;
				this.reaper.reapOrphans();
			}
			this.inline.evaluateWaiting(now);
			this.starter.startWhileCapacityAllows(this.owner, now);
			for (UUID sandboxId : leaseDueSandboxes(now)) {
				try {
					this.driver.step(sandboxId, this.owner);
				}
				catch (RuntimeException ex) {
					log.error("sandbox={} step failed; it will be retried", sandboxId, ex);
				}
			}
		}
		catch (RuntimeException ex) {
			log.error("Scheduling round failed; the next one retries", ex);
		}
		finally {
			this.round.unlock();
		}
	}

	/**
	 * Renews this instance's leases (its heartbeat) and takes over sandboxes whose holder
	 * stopped renewing; returns those due for a step.
	 */
	private List<UUID> leaseDueSandboxes(Instant now) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("owner", this.owner)
			.addValue("now", Timestamp.from(now))
			.addValue("expires", Timestamp.from(now.plus(this.properties.leaseDuration())));
		this.jdbc.update("""
				update sandboxes set lease_expires_at = :expires
				where lease_owner = :owner and status <> 'DESTROYED'
				""", parameters);
		return this.jdbc.queryForList("""
				update sandboxes set lease_owner = :owner, lease_expires_at = :expires
				where id in (select id from sandboxes
				             where status <> 'DESTROYED' and next_step_at <= :now
				               and (lease_owner = :owner or lease_owner is null or lease_expires_at < :now)
				             order by next_step_at
				             for update skip locked)
				returning id
				""", parameters, UUID.class);
	}

	@Override
	public void start() {
		this.running = true;
		if (this.properties.schedulerEnabled()) {
			log.info("Evaluation scheduler {} started", this.owner);
		}
	}

	/**
	 * Stops claiming, and hands this instance's sandboxes over at once instead of letting
	 * their leases run out.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.waker.shutdown();
		this.round.lock();
		try {
			int released = this.jdbc.update(
					"update sandboxes set lease_owner = null, lease_expires_at = null where lease_owner = :owner",
					new MapSqlParameterSource("owner", this.owner));
			log.info("Evaluation scheduler {} stopped; released {} sandbox lease(s)", this.owner, released);
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

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "podium";
		}
	}

}
