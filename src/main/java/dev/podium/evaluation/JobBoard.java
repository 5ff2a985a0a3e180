package dev.podium.evaluation;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.submission.SubmissionQueued;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Where sandboxes wait for their next job (a long poll): each waiting sandbox's claim is
 * tried again as soon as a submission is queued on this instance, and every second
 * anyway, for submissions queued on other instances, until a job is claimed or the wait
 * is over. Waiting holds no thread and no transaction.
 */
@Component
class JobBoard implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(JobBoard.class);

	private static final Duration RECHECK = Duration.ofSeconds(1);

	private final Map<UUID, Waiter> waiters = new ConcurrentHashMap<>();

	private final AtomicBoolean pollRequested = new AtomicBoolean();

	private final ScheduledExecutorService timer;

	JobBoard() {
		AtomicInteger threads = new AtomicInteger();
		this.timer = Executors.newScheduledThreadPool(1, (runnable) -> {
			Thread thread = new Thread(runnable, "podium-job-board-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.timer.scheduleWithFixedDelay(this::poll, RECHECK.toMillis(), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * @param attempt claims the sandbox's next job: an offer, or {@code null} when there
	 * is none yet
	 * @param undelivered takes back a job claimed after the request was gone
	 */
	CompletableFuture<JobOffer> await(UUID sandboxId, Duration wait, Supplier<JobOffer> attempt,
			Consumer<JobOffer.Assigned> undelivered) {
		CompletableFuture<JobOffer> offer = new CompletableFuture<>();
		Waiter waiter = new Waiter(offer, System.nanoTime() + wait.toNanos(), attempt, undelivered);
		Waiter previous = this.waiters.put(sandboxId, waiter);
		if (previous != null) {
			// A sandbox asks for one job at a time: a newer request replaces the older
			// one.
			previous.offer().complete(new JobOffer.NoJob());
		}
		if (wait.isZero() || wait.isNegative()) {
			this.waiters.remove(sandboxId, waiter);
			offer.complete(new JobOffer.NoJob());
		}
		return offer;
	}

	/** Work may be waiting: try the waiting sandboxes now. */
	void signal() {
		if (!this.waiters.isEmpty() && this.pollRequested.compareAndSet(false, true)) {
			this.timer.execute(this::poll);
		}
	}

	@TransactionalEventListener
	void onSubmissionQueued(SubmissionQueued event) {
		signal();
	}

	int waiting() {
		return this.waiters.size();
	}

	private void poll() {
		this.pollRequested.set(false);
		long now = System.nanoTime();
		this.waiters.forEach((sandboxId, waiter) -> {
			if (waiter.offer().isDone()) {
				this.waiters.remove(sandboxId, waiter);
				return;
			}
			try {
				JobOffer offer = waiter.attempt().get();
				if (offer != null) {
					this.waiters.remove(sandboxId, waiter);
					if (!waiter.offer().complete(offer) && offer instanceof JobOffer.Assigned assigned) {
						log.info("sandbox={} job {} claimed after its request was gone: handed back", sandboxId,
								assigned.job().jobId());
						waiter.undelivered().accept(assigned);
					}
					return;
				}
			}
			catch (RuntimeException ex) {
				log.warn("sandbox={} could not be offered a job now: {}", sandboxId, ex.toString());
			}
			if (now - waiter.deadline() >= 0) {
				this.waiters.remove(sandboxId, waiter);
				waiter.offer().complete(new JobOffer.NoJob());
			}
		});
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
		this.waiters.values().forEach((waiter) -> waiter.offer().complete(new JobOffer.NoJob()));
		this.waiters.clear();
	}

	private record Waiter(CompletableFuture<JobOffer> offer, long deadline, Supplier<JobOffer> attempt,
			Consumer<JobOffer.Assigned> undelivered) {
	}

}
