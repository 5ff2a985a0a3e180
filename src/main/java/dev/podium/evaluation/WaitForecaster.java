package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.podium.budget.BudgetChanged;
import dev.podium.budget.BudgetStatus;
import dev.podium.budget.CreationBudget;
import dev.podium.competition.Competitions;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.Task;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.submission.QueueForecast;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionStatus;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What each waiting submission waits for and when it should start, from what serves its
 * scope now, the planner's last decisions, the budget, and how long builds and jobs have
 * recently taken. Its position among the jobs of its scope comes from the fair order
 * itself, so the order it shows is the order work starts in; the rest is an estimate.
 */
@Component
class WaitForecaster implements QueueForecast {

	static final Duration OUTLOOK_INTERVAL = Duration.ofSeconds(1);

	private final SandboxRepository sandboxes;

	private final SubmissionQueue queue;

	private final Competitions competitions;

	private final CreationBudget budget;

	private final CreationPlanner planner;

	private final TaskCreationBlocks blocks;

	private final SandboxStats stats;

	private final SandboxJobDesk desk;

	private final SandboxProperties sandboxProperties;

	private final Clock clock;

	private final Refreshed<Outlook> outlook;

	WaitForecaster(SandboxRepository sandboxes, SubmissionQueue queue, Competitions competitions, CreationBudget budget,
			CreationPlanner planner, TaskCreationBlocks blocks, SandboxStats stats, SandboxJobDesk desk,
			SandboxProperties sandboxProperties, Clock clock) {
		this.sandboxes = sandboxes;
		this.queue = queue;
		this.competitions = competitions;
		this.budget = budget;
		this.planner = planner;
		this.blocks = blocks;
		this.stats = stats;
		this.desk = desk;
		this.sandboxProperties = sandboxProperties;
		this.clock = clock;
		this.outlook = new Refreshed<>(clock, OUTLOOK_INTERVAL, (now) -> look());
	}

	/**
	 * What every estimate reads besides the submission's own place: the live sandboxes,
	 * the blocked tasks and the budget. Read once a second at most, and again after each
	 * of this instance's scheduling rounds or a change of the budget, not on every
	 * request: an estimate may lag a sandbox's start by that second, never the order work
	 * starts in.
	 */
	private Outlook look() {
		PlannerView round = this.planner.view();
		Map<SandboxScope, List<Server>> serving = new HashMap<>();
		List<Sandbox> live = this.sandboxes.findLive();
		for (Sandbox sandbox : live) {
			if (sandbox.status().serves() || sandbox.status() == SandboxStatus.CREATING) {
				serving.computeIfAbsent(sandbox.scope(), (scope) -> new ArrayList<>())
					.add(new Server(sandbox.status(), sandbox.createdAt()));
			}
		}
		return new Outlook(round, serving, live.size(), this.blocks.blocked(), this.budget.allowance());
	}

	@EventListener
	void onBudgetChanged(BudgetChanged event) {
		this.outlook.forget();
	}

	@Override
	@Transactional(readOnly = true)
	public Map<UUID, Wait> forecast(List<Submission> submissions) {
		Map<UUID, Wait> waits = new HashMap<>();
		List<Submission> queued = submissions.stream()
			.filter((submission) -> submission.status() == SubmissionStatus.QUEUED)
			.toList();
		if (queued.isEmpty()) {
			return waits;
		}
		Instant now = this.clock.instant();
		PlannerView view = this.planner.view();
		Outlook outlook = this.outlook.get();
		// each round leaves a new view: the same instance means no round since the
		// reading
		if (outlook.round() != view) {
			this.outlook.forget();
			outlook = this.outlook.get();
		}
		BudgetStatus budget = outlook.budget();
		Map<UUID, Task> tasks = new HashMap<>();
		Duration build = this.stats.build();
		Set<UUID> atCap = this.queue.atInFlightLimit(queued.stream().map(Submission::id).toList());
		// by the scope that serves them: each scope's places are counted in one read
		Map<SandboxScope, List<Submission>> byScope = new LinkedHashMap<>();
		for (Submission submission : queued) {
			Task task = tasks.computeIfAbsent(submission.taskId(),
					(id) -> this.competitions.findTask(id).orElseThrow());
			if (task.evaluation() == EvaluationMode.INLINE) {
				waits.put(submission.id(), new Wait("NEXT", now));
				continue;
			}
			if (submission.heldAt() != null || outlook.blocked().contains(task.id())) {
				waits.put(submission.id(), new Wait("OPERATOR", null));
				continue;
			}
			if (submission.notBefore() != null && submission.notBefore().isAfter(now)) {
				waits.put(submission.id(), new Wait("RETRY", submission.notBefore()));
				continue;
			}
			if (submission.checkedAt() == null) {
				waits.put(submission.id(), new Wait("CHECKING", now));
				continue;
			}
			if (atCap.contains(submission.id())) {
				// its team's running evaluations end first, one job's time from now
				waits.put(submission.id(), new Wait("IN_FLIGHT_LIMIT", now.plus(this.stats.job(task.id()))));
				continue;
			}
			byScope.computeIfAbsent(SandboxScope.of(task, submission.participantId()), (scope) -> new ArrayList<>())
				.add(submission);
		}
		for (Map.Entry<SandboxScope, List<Submission>> entry : byScope.entrySet()) {
			SandboxScope scope = entry.getKey();
			List<Server> servers = outlook.serving().getOrDefault(scope, List.of());
			// with no budget at all, nothing is counted: the wait is the budget, with no
			// time to it
			Map<UUID, Integer> aheads = (servers.isEmpty() && budget.limit() == 0) ? Map.of()
					: this.queue.aheadInScope(entry.getValue(), this.desk.jobScope(scope));
			for (Submission submission : entry.getValue()) {
				Duration job = this.stats.job(submission.taskId());
				int ahead = aheads.getOrDefault(submission.id(), 0);
				if (!servers.isEmpty()) {
					int running = (int) servers.stream()
						.filter((server) -> server.status() == SandboxStatus.RUNNING)
						.count();
					int rounds = ahead / servers.size();
					if (running > 0) {
						waits.put(submission.id(), new Wait("NEXT", now.plus(job.multipliedBy(rounds))));
					}
					else {
						Instant ready = servers.stream()
							.map((server) -> server.createdAt().plus(build))
							.min(Instant::compareTo)
							.orElse(now);
						waits.put(submission.id(),
								new Wait("SANDBOX_STARTING", latest(ready, now).plus(job.multipliedBy(rounds))));
					}
					continue;
				}
				waits.put(submission.id(),
						unserved(view.plans().get(scope), budget, outlook.live(), build, job, ahead, now));
			}
		}
		return waits;
	}

	/** A scope nothing serves yet: what stands between it and a creation. */
	private Wait unserved(PlannerView.Plan plan, BudgetStatus budget, int live, Duration build, Duration job, int ahead,
			Instant now) {
		Duration after = build.plus(job.multipliedBy(ahead));
		if (budget.limit() == 0) {
			return new Wait("BUDGET", null);
		}
		if (budget.blockedUntil() != null || budget.remaining() == 0) {
			Instant from = (budget.blockedUntil() != null) ? budget.blockedUntil() : budget.resetsAt();
			return new Wait("BUDGET", (from != null) ? latest(from, now).plus(after) : null);
		}
		if (plan != null && plan.reason() == PlannerView.Reason.PROVIDER_DOWN) {
			return new Wait("PROVIDER", null);
		}
		if ((plan != null && plan.reason() == PlannerView.Reason.CAPACITY)
				|| live >= this.sandboxProperties.maxConcurrent()) {
			return new Wait("CAPACITY", now.plus(job).plus(after));
		}
		if (plan != null && plan.reason() == PlannerView.Reason.PLANNED && plan.at() != null) {
			return new Wait("PLANNED", latest(plan.at(), now).plus(after));
		}
		// the next round creates it
		return new Wait("PLANNED", now.plus(after));
	}

	private static Instant latest(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	/**
	 * @param round the view the planner's round before this reading left
	 * @param serving the sandboxes serving or being created, by scope
	 * @param live how many sandboxes are live
	 */
	private record Outlook(PlannerView round, Map<SandboxScope, List<Server>> serving, int live, Set<UUID> blocked,
			BudgetStatus budget) {
	}

	private record Server(SandboxStatus status, Instant createdAt) {
	}

}
