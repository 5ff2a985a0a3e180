package dev.podium.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.budget.ChargeDecision;
import dev.podium.budget.CreationBudget;
import dev.podium.competition.Competitions;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.Task;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxProvider.Refusal;
import dev.podium.security.SecretBox;
import dev.podium.submission.Failure;
import dev.podium.submission.FailureCategory;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionLifecycle;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionStatus;
import dev.podium.submission.SubmissionQueue.Waiting;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns the head of the fair queue into a new sandbox while fewer than
 * {@code podium.sandbox.max-concurrent} live. The count and the creation of the sandbox
 * row happen under one database-wide lock, so that instances racing never exceed the cap.
 */
@Component
class SandboxStarter {

	private static final Logger log = LoggerFactory.getLogger(SandboxStarter.class);

	/** How many waiting submissions one round considers, held ones included. */
	static final int CANDIDATES = 50;

	private final SubmissionQueue queue;

	private final SubmissionLifecycle lifecycle;

	private final SandboxRepository sandboxes;

	private final SandboxProvider provider;

	private final Competitions competitions;

	private final SandboxProperties properties;

	private final EvaluationProperties evaluation;

	private final JdbcTemplate jdbc;

	private final CreationBudget budget;

	private final PacingPolicy pacing;

	private final SecretBox secrets;

	/**
	 * Set when the budget refused a creation: until then (or until the budget changes) no
	 * creation is attempted at all, so that a spent budget costs no polling.
	 */
	private volatile Deferral deferral;

	SandboxStarter(SubmissionQueue queue, SubmissionLifecycle lifecycle, SandboxRepository sandboxes,
			SandboxProvider provider, Competitions competitions, SandboxProperties properties,
			EvaluationProperties evaluation, JdbcTemplate jdbc, CreationBudget budget, PacingPolicy pacing,
			SecretBox secrets) {
		this.queue = queue;
		this.lifecycle = lifecycle;
		this.sandboxes = sandboxes;
		this.provider = provider;
		this.competitions = competitions;
		this.properties = properties;
		this.evaluation = evaluation;
		this.jdbc = jdbc;
		this.budget = budget;
		this.pacing = pacing;
		this.secrets = secrets;
	}

	/**
	 * @return the ids of the sandboxes it started
	 */
	@Transactional
	public List<UUID> startWhileCapacityAllows(String owner, Instant now) {
		if (isDeferred(now) || !this.provider.acceptsWork()) {
			return List.of();
		}
		this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended('podium-sandbox-capacity', 0))");
		List<UUID> started = new ArrayList<>();
		long live = this.sandboxes.countLive();
		if (live >= this.properties.maxConcurrent()) {
			return started;
		}
		PacingPolicy.Round round = this.pacing.round(now);
		for (Waiting head : this.queue.lockNext("SANDBOX", now, CANDIDATES)) {
			if (live >= this.properties.maxConcurrent()) {
				break;
			}
			Optional<UUID> sandbox = start(head, owner, now, round);
			if (sandbox.isPresent()) {
				started.add(sandbox.get());
				live++;
			}
			else if (this.deferral != null) {
				break;
			}
		}
		return started;
	}

	private Optional<UUID> start(Waiting head, String owner, Instant now, PacingPolicy.Round round) {
		Task task = this.competitions.findTask(head.taskId()).orElseThrow();
		Submission first = this.lifecycle.lock(head.id()).orElseThrow();
		if (first.status() != SubmissionStatus.QUEUED || refused(first, task)) {
			// already taken into a sandbox as another's companion this round, or refused
			return Optional.empty();
		}
		UUID participant = (task.reuseScope() == ReuseScope.PARTICIPANT) ? head.participantId() : null;
		int waiting = 1 + this.queue.countCompanions(task.id(), participant, head.id(), now);
		if (round.hold(first.id(), first.submittedAt(), Math.min(waiting, task.evaluationsPerSandbox()),
				task.evaluationsPerSandbox())) {
			return Optional.empty();
		}
		UUID sandboxId = UUID.randomUUID();
		String name = this.properties.nameOf(sandboxId);
		ChargeDecision charge = this.budget.charge(name, now);
		if (!charge.allowed()) {
			this.deferral = new Deferral(charge.retryAt(), this.budget.version());
			log.info("Creation budget {}: {}; sandbox creations wait until {}", this.budget.namespace(),
					charge.reason(), (charge.retryAt() != null) ? charge.retryAt() : "an operator raises the limit");
			return Optional.empty();
		}
		Sandbox sandbox = new Sandbox(sandboxId, name, this.provider.name(), task.id(), participant, "", owner,
				now.plus(this.evaluation.leaseDuration()), now);
		this.sandboxes.saveAndFlush(sandbox);
		List<Submission> batch = new ArrayList<>(List.of(first));
		for (Waiting companion : this.queue.lockCompanions(task.id(), participant, now,
				task.evaluationsPerSandbox() - 1)) {
			Submission next = this.lifecycle.lock(companion.id()).orElseThrow();
			if (!refused(next, task)) {
				batch.add(next);
			}
		}
		batch.forEach((submission) -> this.lifecycle.startProvisioning(submission, sandboxId));
		log.info("sandbox={} name={} task={} status=CREATING submissions={}", sandboxId, sandbox.name(), task.id(),
				batch.stream().map(Submission::id).toList());
		return Optional.of(sandboxId);
	}

	/**
	 * Whether creations wait for the budget; a changed budget (raise, block) ends the
	 * wait.
	 */
	boolean isDeferred(Instant now) {
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

	/** The budget changed: look again at once. */
	void endDeferral() {
		this.deferral = null;
	}

	private record Deferral(Instant until, long version) {
	}

	/**
	 * Ends a submission that this provider can never evaluate, before anything is spent.
	 */
	private boolean refused(Submission submission, Task task) {
		String accessToken = submission.accessTokenSealed()
			.map((sealed) -> this.secrets.open(sealed, submission.id()))
			.orElse(null);
		Optional<Refusal> refusal = this.provider.preflight(Jobs.item(submission), Jobs.taskInfo(task), accessToken);
		if (refusal.isEmpty()) {
			return false;
		}
		this.lifecycle.startProvisioning(submission, null);
		this.lifecycle.markFailed(submission,
				new Failure(refusal.get().submissionFault() ? FailureCategory.SUBMISSION : FailureCategory.PLATFORM,
						refusal.get().message()));
		return true;
	}

}
