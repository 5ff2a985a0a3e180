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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.budget.BudgetStatus;
import dev.podium.budget.ChargeDecision;
import dev.podium.budget.CreationBudget;
import dev.podium.competition.Competitions;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.Task;
import dev.podium.sandbox.Deployment;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.Waiting;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides when to create a sandbox. Creations are the scarce thing, not sandbox-minutes:
 * a sandbox serves its scope's jobs as they arrive while it lives, so the planner keeps
 * one serving each scope that has work, and spends more only where it pays:
 * <ol>
 * <li>Work waits in a scope that nothing serves, and a creation is available: create now.
 * Work never waits for a creation that could be made.</li>
 * <li>A scope's queue cannot be served within the target wait by the sandboxes it has:
 * create another, if the budget has creations to spare beyond the reserve the rest of the
 * window needs (when creations are plentiful, as soon as a job would wait behind
 * another).</li>
 * <li>A scope's only sandbox will retire soon (its lifetime or job limit) while its work
 * goes on: its replacement is planned for a build's time before, and created then if the
 * budget spares it.</li>
 * </ol>
 * The reserve is the creations each scope with arrivals forecast for the rest of the
 * window needs to stay served, sandbox lifetime by sandbox lifetime. When the sandbox cap
 * is reached, an idle sandbox of a scope without work yields its place to a scope with
 * work. Each creation is charged and recorded in one short transaction, under the
 * capacity lock, with the scope's need checked again there, so that instances planning at
 * once never exceed the cap nor create twice for one scope.
 */
@Component
class CreationPlanner {

	private static final Logger log = LoggerFactory.getLogger(CreationPlanner.class);

	/** How far into the queue the planner looks, in fair order. */
	static final int HEADS = 200;

	private static final String CAPACITY_LOCK = "select pg_advisory_xact_lock(hashtextextended('podium-sandbox-capacity', 0))";

	private final SandboxRepository sandboxes;

	private final SubmissionQueue queue;

	private final Competitions competitions;

	private final CreationBudget budget;

	private final SandboxProvider provider;

	private final Deployment deployment;

	private final SandboxProperties sandboxProperties;

	private final EvaluationProperties properties;

	private final TaskCreationBlocks blocks;

	private final ArrivalForecast arrivals;

	private final SandboxStats stats;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	/** Set when the budget refused a creation: no creation is tried until then. */
	private volatile Deferral deferral;

	private volatile PlannerView view = PlannerView.EMPTY;

	CreationPlanner(SandboxRepository sandboxes, SubmissionQueue queue, Competitions competitions,
			CreationBudget budget, SandboxProvider provider, Deployment deployment, SandboxProperties sandboxProperties,
			EvaluationProperties properties, TaskCreationBlocks blocks, ArrivalForecast arrivals, SandboxStats stats,
			JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock) {
		this.sandboxes = sandboxes;
		this.queue = queue;
		this.competitions = competitions;
		this.budget = budget;
		this.provider = provider;
		this.deployment = deployment;
		this.sandboxProperties = sandboxProperties;
		this.properties = properties;
		this.blocks = blocks;
		this.arrivals = arrivals;
		this.stats = stats;
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/** What the planner decided last, for waiting estimates and the dashboard. */
	PlannerView view() {
		return this.view;
	}

	/** The budget changed: look again at once. */
	void endDeferral() {
		this.deferral = null;
	}

	/**
	 * One round of planning.
	 * @return the sandboxes it created (leased to {@code owner})
	 */
	List<UUID> plan(String owner) {
		Instant now = this.clock.instant();
		List<Waiting> heads = this.queue.heads(HEADS);
		List<Sandbox> live = this.sandboxes.findLive();
		Map<UUID, Task> tasks = new HashMap<>();
		Set<UUID> blocked = this.blocks.blocked();
		Map<SandboxScope, Demand> demand = new LinkedHashMap<>();
		for (Waiting head : heads) {
			Task task = tasks.computeIfAbsent(head.taskId(), (id) -> this.competitions.findTask(id).orElse(null));
			if (task == null) {
				continue;
			}
			demand.computeIfAbsent(SandboxScope.of(task, head.participantId()), (scope) -> new Demand(task, head))
				.add();
		}
		Map<SandboxScope, List<Sandbox>> serving = new HashMap<>();
		for (Sandbox sandbox : live) {
			if (sandbox.status().serves() || sandbox.status() == SandboxStatus.CREATING) {
				serving.computeIfAbsent(sandbox.scope(), (scope) -> new ArrayList<>()).add(sandbox);
			}
		}
		Map<SandboxScope, PlannerView.Plan> plans = new HashMap<>();
		List<Candidate> candidates = new ArrayList<>();
		BudgetStatus budget = this.budget.allowance();
		long spare = budget.remaining() - reserve(tasks.values(), serving, now, budget);
		boolean plentiful = spare >= heads.size();
		Duration build = this.stats.build();
		for (Map.Entry<SandboxScope, Demand> entry : demand.entrySet()) {
			SandboxScope scope = entry.getKey();
			Demand wanted = entry.getValue();
			if (blocked.contains(wanted.task().id())) {
				plans.put(scope, PlannerView.Plan.blocked());
				continue;
			}
			List<Sandbox> servers = serving.getOrDefault(scope, List.of());
			Need need = need(servers, wanted.waiting(), this.stats.job(wanted.task().id()), build,
					this.properties.targetWait(), this.properties.maxSandboxesPerScope(), spare, plentiful);
			if (need == Need.FIRST) {
				candidates.add(new Candidate(scope, wanted, false));
			}
			else if (need == Need.EXTRA) {
				candidates.add(new Candidate(scope, wanted, true));
				spare--;
			}
		}
		for (Map.Entry<SandboxScope, List<Sandbox>> entry : serving.entrySet()) {
			Instant replaceAt = replacementDue(entry.getValue(), demand.get(entry.getKey()), build, now);
			if (replaceAt == null) {
				continue;
			}
			if (!replaceAt.isAfter(now) && spare > 0) {
				Demand wanted = demand.get(entry.getKey());
				if (wanted != null) {
					candidates.add(new Candidate(entry.getKey(), wanted, true));
					spare--;
					continue;
				}
			}
			plans.putIfAbsent(entry.getKey(), PlannerView.Plan.planned(replaceAt));
		}
		List<UUID> created = create(candidates, owner, live, demand.keySet(), plans, now);
		this.view = new PlannerView(now, plans, this.deferral != null ? this.deferral.until() : null,
				this.deferral != null);
		return created;
	}

	private List<UUID> create(List<Candidate> candidates, String owner, List<Sandbox> live, Set<SandboxScope> withWork,
			Map<SandboxScope, PlannerView.Plan> plans, Instant now) {
		List<UUID> created = new ArrayList<>();
		if (candidates.isEmpty()) {
			return created;
		}
		if (!this.provider.acceptsWork()) {
			candidates.forEach((candidate) -> plans.put(candidate.scope(), PlannerView.Plan.providerDown()));
			return created;
		}
		if (isDeferred(now)) {
			candidates.forEach((candidate) -> plans.put(candidate.scope(), PlannerView.Plan.budget()));
			return created;
		}
		for (Candidate candidate : candidates) {
			Result result = createFor(candidate, owner);
			switch (result.kind()) {
				case CREATED -> {
					created.add(result.sandboxId());
					plans.remove(candidate.scope());
				}
				case CAPACITY -> {
					plans.put(candidate.scope(), PlannerView.Plan.capacity());
					if (!candidate.extra()) {
						yieldIdleSlot(live, withWork, now);
					}
				}
				case BUDGET -> {
					plans.put(candidate.scope(), PlannerView.Plan.budget());
					return created;
				}
				case SERVED -> {
				}
			}
		}
		return created;
	}

	/**
	 * Charges and records one creation, under the capacity lock, after checking again
	 * that the scope still needs it.
	 */
	private Result createFor(Candidate candidate, String owner) {
		UUID sandboxId = UUID.randomUUID();
		String name = this.deployment.names().nameOf(sandboxId);
		Task task = candidate.demand().task();
		SandboxScope scope = candidate.scope();
		Result result = this.transactions.execute((status) -> {
			this.jdbc.queryForList(CAPACITY_LOCK);
			if (this.sandboxes.countLive() >= this.sandboxProperties.maxConcurrent()) {
				return new Result(ResultKind.CAPACITY, null);
			}
			int servingNow = countServing(scope);
			if ((!candidate.extra() && servingNow > 0) || servingNow >= this.properties.maxSandboxesPerScope()) {
				return new Result(ResultKind.SERVED, null);
			}
			ChargeDecision charge = this.budget.charge(name);
			if (!charge.allowed()) {
				this.deferral = new Deferral(charge.retryAt(), this.budget.version());
				log.info("Creation budget {}: {}; creations wait until {}", this.budget.namespace(), charge.reason(),
						(charge.retryAt() != null) ? charge.retryAt() : "an operator raises the limit");
				return new Result(ResultKind.BUDGET, null);
			}
			Instant now = this.clock.instant();
			Sandbox sandbox = new Sandbox(sandboxId, name, this.provider.name(), scope, task.hardware(),
					SandboxRules.of(task, this.properties), candidate.demand().head().id(), owner,
					now.plus(this.properties.leaseDuration()), now, this.properties.createTimeout());
			this.sandboxes.saveAndFlush(sandbox);
			return new Result(ResultKind.CREATED, sandboxId);
		});
		if (result.kind() == ResultKind.CREATED) {
			log.info("sandbox={} name={} scope={} status=CREATING{} for submission {}", sandboxId, name, scope,
					candidate.extra() ? " (an extra one: its queue is long)" : "", candidate.demand().head().id());
		}
		return result;
	}

	private int countServing(SandboxScope scope) {
		Integer count = this.jdbc.queryForObject("""
				select count(*) from sandboxes
				where status in ('CREATING', 'STARTING', 'RUNNING') and scope = ? and competition_id = ?
				  and task_id is not distinct from ? and participant_id is not distinct from ? and hardware = ?
				""", Integer.class, scope.kind().name(), scope.competitionId(), scope.taskId(), scope.participantId(),
				scope.hardware());
		return (count != null) ? count : 0;
	}

	/**
	 * At the sandbox cap, an idle sandbox of a scope without waiting work makes room for
	 * one that has work: it drains (it has no job) and is deleted.
	 */
	private void yieldIdleSlot(List<Sandbox> live, Set<SandboxScope> withWork, Instant now) {
		live.stream()
			.filter((sandbox) -> sandbox.status() == SandboxStatus.RUNNING && sandbox.idleSince() != null
					&& !withWork.contains(sandbox.scope()))
			.min((a, b) -> a.idleSince().compareTo(b.idleSince()))
			.ifPresent(
					(idle) -> this.transactions.executeWithoutResult((status) -> this.sandboxes.findForUpdate(idle.id())
						.filter((sandbox) -> sandbox.status() == SandboxStatus.RUNNING && sandbox.idleSince() != null)
						.ifPresent((sandbox) -> {
							sandbox.drain("yields its place to waiting work of another scope", now,
									now.plus(this.properties.timeLimitMargin()));
							this.sandboxes.save(sandbox);
							log.info("sandbox={} status=DRAINING: idle, yields its place to waiting work",
									sandbox.id());
						})));
	}

	/** What a scope with waiting work needs of the planner. */
	enum Need {

		/** Nothing serves it: a sandbox, whatever the reserve says. */
		FIRST,

		/** Its sandboxes cannot serve its queue within the target wait: one more. */
		EXTRA,

		/** Its sandboxes serve it in time (or it has as many as it may). */
		NONE

	}

	/**
	 * The planner's rule for one scope with {@code waiting} jobs: work never waits for a
	 * creation when nothing serves its scope; an extra sandbox is made only when the
	 * queue would otherwise wait beyond the target (beyond one job's time when creations
	 * are plentiful) and creations are spare beyond the reserve.
	 * @param spare the creations left beyond what the rest of the window needs
	 * @param plentiful whether the budget could give each waiting job a sandbox of its
	 * own
	 */
	static Need need(List<Sandbox> servers, int waiting, Duration job, Duration build, Duration targetWait,
			int maxPerScope, long spare, boolean plentiful) {
		if (servers.isEmpty()) {
			return Need.FIRST;
		}
		if (servers.size() >= maxPerScope || spare <= 0) {
			return Need.NONE;
		}
		Duration threshold = plentiful ? job : targetWait;
		return wantsExtra(servers, waiting, job, build, threshold) ? Need.EXTRA : Need.NONE;
	}

	/**
	 * Whether one more sandbox would serve a scope's queue sooner enough: its sandboxes
	 * all serve already (one still building will take work soon, and another would only
	 * build beside it), the last waiting job would wait longer than the threshold, and
	 * longer than a new sandbox takes to build, so that it can take work before the queue
	 * has drained.
	 */
	static boolean wantsExtra(List<Sandbox> servers, int waiting, Duration job, Duration build, Duration threshold) {
		if (servers.stream().anyMatch((server) -> server.status() != SandboxStatus.RUNNING)) {
			return false;
		}
		Duration wait = job.multipliedBy(waiting).dividedBy(servers.size());
		return wait.compareTo(threshold) > 0 && wait.compareTo(build) > 0;
	}

	/**
	 * When a scope's only sandbox should be replaced (a build's time before it retires),
	 * or {@code null} when it should not: it is not retiring soon, or no work is waiting
	 * or forecast for the scope after it.
	 */
	private Instant replacementDue(List<Sandbox> servers, Demand demand, Duration build, Instant now) {
		if (servers.size() != 1 || servers.get(0).status() != SandboxStatus.RUNNING) {
			return null;
		}
		Sandbox only = servers.get(0);
		int waiting = (demand != null) ? demand.waiting() : 0;
		int jobsLeft = only.maxJobs() - only.jobsServed();
		Instant retires = only.retireAt();
		if (jobsLeft <= waiting) {
			return now;
		}
		if (Duration.between(now, retires).compareTo(build.multipliedBy(2)) > 0) {
			return null;
		}
		UUID task = only.taskId();
		boolean forecast = (task != null) ? this.arrivals.expected(task, retires, retires.plus(build)) >= 0.5 : false;
		if (waiting == 0 && !forecast) {
			return null;
		}
		Instant at = retires.minus(build);
		return at.isBefore(now) ? now : at;
	}

	/**
	 * The creations the rest of the window needs to keep each scope with forecast
	 * arrivals served, one sandbox lifetime after another.
	 */
	private long reserve(java.util.Collection<Task> tasks, Map<SandboxScope, List<Sandbox>> serving, Instant now,
			BudgetStatus budget) {
		Instant end = this.budget.window(now).end();
		if (budget.resetsAt() != null && budget.resetsAt().isBefore(end)) {
			end = budget.resetsAt();
		}
		double reserve = 0;
		for (Task task : tasks) {
			if (task.reuseScope() == ReuseScope.PARTICIPANT) {
				reserve += this.arrivals.expected(task.id(), now, end);
				continue;
			}
			double hours = this.arrivals.activeHours(task.id(), now, end);
			double lifetime = SandboxRules.of(task, this.properties).lifetime().toMinutes() / 60.0;
			reserve += Math.ceil(hours / Math.max(lifetime, 0.25));
		}
		return (long) Math.ceil(reserve);
	}

	private boolean isDeferred(Instant now) {
		Deferral current = this.deferral;
		if (current == null) {
			return false;
		}
		if ((current.until() == null || now.isBefore(current.until())) && this.budget.version() == current.version()) {
			return true;
		}
		this.deferral = null;
		return false;
	}

	private record Deferral(Instant until, long version) {
	}

	private record Candidate(SandboxScope scope, Demand demand, boolean extra) {
	}

	private enum ResultKind {

		CREATED, CAPACITY, BUDGET, SERVED

	}

	private record Result(ResultKind kind, UUID sandboxId) {
	}

	/** The work waiting in one scope, as far as the planner looks. */
	private static final class Demand {

		private final Task task;

		private final Waiting head;

		private int waiting;

		Demand(Task task, Waiting head) {
			this.task = task;
			this.head = head;
		}

		void add() {
			this.waiting++;
		}

		Task task() {
			return this.task;
		}

		Waiting head() {
			return this.head;
		}

		int waiting() {
			return this.waiting;
		}

	}

}
