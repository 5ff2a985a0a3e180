package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.podium.budget.BudgetStatus;
import dev.podium.budget.CreationBudget;
import dev.podium.budget.WindowMode;
import dev.podium.competition.Competitions;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.Task;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.submission.QueueForecast;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.Waiting;
import dev.podium.submission.SubmissionStatus;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Estimates when waiting submissions start, from the budget left, the window resets, the
 * concurrency cap, how many submissions share a sandbox and how long recent sandboxes
 * lived. Each sandbox ahead in the fair order takes a creation and a slot; once the
 * window's creations are spent, the rest start after the reset.
 */
@Component
class QueueForecaster implements QueueForecast {

	/** Until sandboxes have lived here, assume a Space's build plus an evaluation. */
	static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(7);

	private final SubmissionQueue queue;

	private final CreationBudget budget;

	private final SandboxRepository sandboxes;

	private final SandboxProperties properties;

	private final Competitions competitions;

	private final PacingPolicy pacing;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	QueueForecaster(SubmissionQueue queue, CreationBudget budget, SandboxRepository sandboxes,
			SandboxProperties properties, Competitions competitions, PacingPolicy pacing, JdbcTemplate jdbc,
			Clock clock) {
		this.queue = queue;
		this.budget = budget;
		this.sandboxes = sandboxes;
		this.properties = properties;
		this.competitions = competitions;
		this.pacing = pacing;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	@Transactional(readOnly = true)
	public Map<UUID, Wait> forecast(List<Submission> submissions) {
		Map<UUID, Wait> waits = new HashMap<>();
		if (submissions.stream().noneMatch((submission) -> submission.status() == SubmissionStatus.QUEUED)) {
			return waits;
		}
		Instant now = this.clock.instant();
		Map<UUID, Task> tasks = new HashMap<>();
		List<Waiting> order = this.queue.inFairOrder("SANDBOX");
		Map<UUID, Integer> sandboxesAhead = sandboxesAhead(order, tasks);
		Plan plan = plan(now);
		for (Submission submission : submissions) {
			if (submission.status() != SubmissionStatus.QUEUED) {
				continue;
			}
			Task task = tasks.computeIfAbsent(submission.taskId(),
					(id) -> this.competitions.findTask(id).orElseThrow());
			if (task.evaluation() == EvaluationMode.INLINE) {
				waits.put(submission.id(), new Wait(null, now));
				continue;
			}
			if (submission.notBefore() != null && submission.notBefore().isAfter(now)) {
				waits.put(submission.id(), new Wait("RETRY", submission.notBefore()));
				continue;
			}
			int k = sandboxesAhead.getOrDefault(submission.id(), 1);
			Wait wait = plan.startOf(k);
			Instant held = this.pacing.heldUntil(submission.id());
			if (held != null && held.isAfter(now) && "CAPACITY".equals(wait.waitingFor())) {
				wait = new Wait("BATCH", max(held, wait.estimatedStartAt()));
			}
			waits.put(submission.id(), wait);
		}
		return waits;
	}

	/**
	 * The k-th sandbox to be created for each waiting submission, counting sandboxes that
	 * serve several submissions of one task once.
	 */
	private Map<UUID, Integer> sandboxesAhead(List<Waiting> order, Map<UUID, Task> tasks) {
		Map<UUID, Integer> ahead = new HashMap<>();
		Map<UUID, Double> share = new HashMap<>();
		double sandboxes = 0;
		for (Waiting waiting : order) {
			Task task = tasks.computeIfAbsent(waiting.taskId(), (id) -> this.competitions.findTask(id).orElseThrow());
			sandboxes += share.computeIfAbsent(task.id(), (id) -> 1.0 / task.evaluationsPerSandbox());
			ahead.put(waiting.id(), (int) Math.ceil(sandboxes - 1e-9));
		}
		return ahead;
	}

	private Plan plan(Instant now) {
		BudgetStatus status = this.budget.status();
		long live = this.sandboxes.countLive();
		Duration lifetime = recentLifetime();
		Instant blocked = status.blockedUntil();
		return new Plan(now, status, live, this.properties.maxConcurrent(), lifetime, blocked,
				this.budget.settings().windowMode(), this.budget.window(now).end());
	}

	/** The average life of the last sandboxes, from creation to deletion. */
	private Duration recentLifetime() {
		Double seconds = this.jdbc.queryForObject("""
				select avg(extract(epoch from destroyed_at - created_at)) from (
				    select created_at, destroyed_at from sandboxes
				    where status = 'DESTROYED' and ready_at is not null
				    order by destroyed_at desc limit 20) recent
				""", Double.class);
		return (seconds != null && seconds > 0) ? Duration.ofMillis((long) (seconds * 1000)) : DEFAULT_LIFETIME;
	}

	private static Instant max(Instant a, Instant b) {
		return (b == null || a.isAfter(b)) ? a : b;
	}

	private record Plan(Instant now, BudgetStatus budget, long live, int slots, Duration lifetime, Instant blocked,
			WindowMode mode, Instant windowEnd) {

		Wait startOf(int k) {
			if (this.budget.limit() == 0) {
				return new Wait("BUDGET", null);
			}
			long creationsNow = this.budget.remaining();
			if (k <= creationsNow) {
				long waves = (this.live + k - 1) / this.slots;
				Instant from = (this.blocked != null) ? this.blocked : this.now;
				String reason = (this.blocked != null) ? "BUDGET" : ((waves == 0) ? null : "CAPACITY");
				return new Wait(reason, from.plus(this.lifetime.multipliedBy(waves)));
			}
			long beyond = k - creationsNow;
			long windowsAhead = (beyond - 1) / this.budget.limit();
			long waves = ((beyond - 1) % this.budget.limit()) / this.slots;
			Instant reset = (this.mode == WindowMode.FIXED) ? this.windowEnd
					: ((this.budget.resetsAt() != null) ? this.budget.resetsAt() : this.now);
			if (this.blocked != null && this.blocked.isAfter(reset)) {
				reset = this.blocked;
			}
			Instant start = reset.plus(this.budget.window().multipliedBy(windowsAhead))
				.plus(this.lifetime.multipliedBy(waves));
			return new Wait("BUDGET", start);
		}

	}

}
