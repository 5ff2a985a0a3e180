package dev.podium.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.Competitions;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.Task;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxProvider.Refusal;
import dev.podium.submission.Failure;
import dev.podium.submission.FailureCategory;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionLifecycle;
import dev.podium.submission.SubmissionQueue;
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

	private final SubmissionQueue queue;

	private final SubmissionLifecycle lifecycle;

	private final SandboxRepository sandboxes;

	private final SandboxProvider provider;

	private final Competitions competitions;

	private final SandboxProperties properties;

	private final EvaluationProperties evaluation;

	private final JdbcTemplate jdbc;

	SandboxStarter(SubmissionQueue queue, SubmissionLifecycle lifecycle, SandboxRepository sandboxes,
			SandboxProvider provider, Competitions competitions, SandboxProperties properties,
			EvaluationProperties evaluation, JdbcTemplate jdbc) {
		this.queue = queue;
		this.lifecycle = lifecycle;
		this.sandboxes = sandboxes;
		this.provider = provider;
		this.competitions = competitions;
		this.properties = properties;
		this.evaluation = evaluation;
		this.jdbc = jdbc;
	}

	/**
	 * @return the ids of the sandboxes it started
	 */
	@Transactional
	public List<UUID> startWhileCapacityAllows(String owner, Instant now) {
		this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended('podium-sandbox-capacity', 0))");
		List<UUID> started = new ArrayList<>();
		long live = this.sandboxes.countLive();
		while (live < this.properties.maxConcurrent()) {
			List<Waiting> head = this.queue.lockNext("SANDBOX", now, 1);
			if (head.isEmpty()) {
				break;
			}
			Optional<UUID> sandbox = start(head.get(0), owner, now);
			if (sandbox.isPresent()) {
				started.add(sandbox.get());
				live++;
			}
		}
		return started;
	}

	private Optional<UUID> start(Waiting head, String owner, Instant now) {
		Task task = this.competitions.findTask(head.taskId()).orElseThrow();
		Submission first = this.lifecycle.lock(head.id()).orElseThrow();
		if (refused(first, task)) {
			return Optional.empty();
		}
		UUID participant = (task.reuseScope() == ReuseScope.PARTICIPANT) ? head.participantId() : null;
		UUID sandboxId = UUID.randomUUID();
		Sandbox sandbox = new Sandbox(sandboxId, this.properties.nameOf(sandboxId), this.provider.name(), task.id(),
				participant, "", owner, now.plus(this.evaluation.leaseDuration()), now);
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
	 * Ends a submission that this provider can never evaluate, before anything is spent.
	 */
	private boolean refused(Submission submission, Task task) {
		Optional<Refusal> refusal = this.provider.preflight(Jobs.item(submission), Jobs.taskInfo(task));
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
