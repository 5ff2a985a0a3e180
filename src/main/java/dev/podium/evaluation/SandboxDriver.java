package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.budget.CreationBudget;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.sandbox.CreationRefusedException;
import dev.podium.sandbox.SandboxException;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxSpec;
import dev.podium.sandbox.SandboxState;
import dev.podium.sandbox.SandboxUnavailableException;
import dev.podium.security.SecretBox;
import dev.podium.security.Tokens;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionLifecycle;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes one sandbox one step further in its life: create it, watch it become ready, watch
 * its job, destroy it. Each step is recorded before the next; every step is safe to
 * repeat, so a step cut short by a crash is simply taken again by whichever instance
 * holds the lease next.
 */
@Component
class SandboxDriver {

	private static final Logger log = LoggerFactory.getLogger(SandboxDriver.class);

	/** Polling starts fast and slows down while a sandbox builds. */
	private static final Duration FIRST_POLL = Duration.ofSeconds(2);

	private static final Duration SLOWEST_POLL = Duration.ofSeconds(30);

	private final SandboxRepository sandboxes;

	private final SandboxProvider provider;

	private final SubmissionLifecycle lifecycle;

	private final RetryPolicy retries;

	private final Competitions competitions;

	private final SandboxProperties properties;

	private final CreationBudget budget;

	private final SecretBox secretBox;

	private final Clock clock;

	private final Timer createTimer;

	private final Timer readyTimer;

	private final Timer evaluationTimer;

	SandboxDriver(SandboxRepository sandboxes, SandboxProvider provider, SubmissionLifecycle lifecycle,
			RetryPolicy retries, Competitions competitions, SandboxProperties properties, CreationBudget budget,
			SecretBox secretBox, Clock clock, MeterRegistry meters) {
		this.sandboxes = sandboxes;
		this.provider = provider;
		this.lifecycle = lifecycle;
		this.retries = retries;
		this.competitions = competitions;
		this.properties = properties;
		this.budget = budget;
		this.secretBox = secretBox;
		this.clock = clock;
		this.createTimer = Timer.builder("podium.sandbox.create")
			.description("The provider's create call")
			.register(meters);
		this.readyTimer = Timer.builder("podium.sandbox.ready")
			.description("From a sandbox's creation to its readiness (a Space's build)")
			.register(meters);
		this.evaluationTimer = Timer.builder("podium.sandbox.evaluation")
			.description("From a sandbox's readiness to the end of its job")
			.register(meters);
	}

	/** Takes one step if this instance still holds the sandbox's lease. */
	@Transactional
	void step(UUID sandboxId, String owner) {
		Sandbox sandbox = this.sandboxes.findForUpdate(sandboxId).orElse(null);
		if (sandbox == null || !sandbox.isLive()) {
			return;
		}
		Instant now = this.clock.instant();
		try {
			switch (sandbox.status()) {
				case CREATING -> create(sandbox, now);
				case STARTING -> watchStart(sandbox, now);
				case RUNNING -> watchJob(sandbox, now);
				case DESTROYING -> destroy(sandbox, now);
				case DESTROYED -> {
				}
			}
		}
		catch (SandboxException ex) {
			onProviderTrouble(sandbox, ex, now);
		}
		this.sandboxes.save(sandbox);
	}

	private void create(Sandbox sandbox, Instant now) {
		List<Submission> work = this.lifecycle.unfinishedIn(sandbox.id());
		if (work.isEmpty()) {
			// Its submissions were cancelled or moved on before it was made: nothing to
			// create.
			sandbox.markDestroying("no work left before creation", now);
			return;
		}
		Task task = task(sandbox);
		// A fresh token each time: after a crash the old one is unknown, as only its hash
		// is kept.
		String token = Tokens.generate("sbx_");
		sandbox.replaceToken(Tokens.hash(token));
		try {
			SandboxSpec spec = new SandboxSpec(sandbox.id(), sandbox.name(), task.hardware(), token, secrets(work));
			this.createTimer.record(() -> this.provider.create(spec));
		}
		catch (CreationRefusedException ex) {
			// Someone else used the namespace's creations: nothing was made, nothing is
			// spent, and no submission fails; the work waits for the budget.
			this.budget.refund(sandbox.name(), now);
			Instant until = this.budget.blockUntil(ex.retryAt(), now);
			for (Submission submission : work) {
				this.lifecycle.release(submission, "the Hub refused the creation until " + until);
			}
			sandbox.markDestroying("creation refused by the provider: " + ex.getMessage(), now);
			sandbox.markDestroyed(now);
			return;
		}
		sandbox.markStarting(now);
		log.info("sandbox={} name={} task={} status=STARTING", sandbox.id(), sandbox.name(), sandbox.taskId());
	}

	/**
	 * The participant's read token for a private model, and nothing else: the organizer's
	 * Hub token never enters a sandbox.
	 */
	private Map<String, String> secrets(List<Submission> work) {
		return work.stream()
			.flatMap((submission) -> submission.accessTokenSealed()
				.map((sealed) -> this.secretBox.open(sealed, submission.id()))
				.stream())
			.findFirst()
			.map((token) -> Map.of("HF_TOKEN", token))
			.orElse(Map.of());
	}

	private void watchStart(Sandbox sandbox, Instant now) {
		SandboxState state = this.provider.state(sandbox.name());
		if (state instanceof SandboxState.Ready) {
			sandbox.markRunning(now, now.plus(task(sandbox).timeout()));
			this.readyTimer.record(Duration.between(sandbox.createdAt(), now));
			log.info("sandbox={} status=RUNNING after {}", sandbox.id(), Duration.between(sandbox.createdAt(), now));
		}
		else if (state instanceof SandboxState.Failed failed) {
			failAll(sandbox, "the sandbox failed: " + failed.reason(), now);
		}
		else if (state instanceof SandboxState.Gone) {
			failAll(sandbox, "the sandbox disappeared before it was ready", now);
		}
		else if (now.isAfter(sandbox.createdAt().plus(this.properties.readyTimeout()))) {
			failAll(sandbox, "the sandbox did not become ready within " + this.properties.readyTimeout() + " (stage "
					+ ((SandboxState.Starting) state).stage() + ")", now);
		}
		else {
			sandbox.nextStepAt(now.plus(pollDelay(sandbox, now)));
		}
	}

	private void watchJob(Sandbox sandbox, Instant now) {
		List<Submission> unfinished = this.lifecycle.unfinishedIn(sandbox.id());
		if (unfinished.isEmpty()) {
			sandbox.markDestroying("job done", now);
			this.evaluationTimer.record(Duration.between(sandbox.readyAt(), now));
			destroy(sandbox, now);
			return;
		}
		if (now.isAfter(sandbox.deadlineAt())) {
			failAll(sandbox, "the evaluation timed out after " + task(sandbox).timeout(), now);
			return;
		}
		SandboxState state = this.provider.state(sandbox.name());
		if (state instanceof SandboxState.Failed failed) {
			failAll(sandbox, "the sandbox failed while evaluating: " + failed.reason(), now);
		}
		else if (state instanceof SandboxState.Gone) {
			failAll(sandbox, "the sandbox disappeared while evaluating", now);
		}
		else {
			sandbox.nextStepAt(now.plus(FIRST_POLL));
		}
	}

	private void destroy(Sandbox sandbox, Instant now) {
		this.provider.destroy(sandbox.name());
		sandbox.markDestroyed(now);
		log.info("sandbox={} name={} status=DESTROYED", sandbox.id(), sandbox.name());
	}

	/** Every unfinished submission of the sandbox failed through no fault of its own. */
	private void failAll(Sandbox sandbox, String reason, Instant now) {
		for (Submission submission : this.lifecycle.unfinishedIn(sandbox.id())) {
			this.retries.platformFault(submission, reason, now);
		}
		sandbox.markDestroying(reason, now);
		try {
			destroy(sandbox, now);
		}
		catch (SandboxException ex) {
			log.warn("sandbox={} could not be destroyed yet, will retry: {}", sandbox.id(), ex.getMessage());
			sandbox.nextStepAt(now.plus(FIRST_POLL));
		}
	}

	private void onProviderTrouble(Sandbox sandbox, SandboxException ex, Instant now) {
		log.warn("sandbox={} status={} provider trouble: {}", sandbox.id(), sandbox.status(), ex.getMessage());
		if (ex instanceof SandboxUnavailableException unavailable) {
			// An outage or a pause the provider asked for: the work waits, nothing fails.
			Instant retryAt = unavailable.retryAt();
			sandbox.nextStepAt((retryAt != null && retryAt.isAfter(now)) ? retryAt : now.plus(pollDelay(sandbox, now)));
			return;
		}
		switch (sandbox.status()) {
			case CREATING -> failAll(sandbox, "the sandbox could not be created: " + ex.getMessage(), now);
			// Never give up deleting, and do not fail work over a glitch while watching
			// it.
			default -> sandbox.nextStepAt(now.plus(pollDelay(sandbox, now)));
		}
	}

	/** Grows with the sandbox's age, from a few seconds to about thirty. */
	private static Duration pollDelay(Sandbox sandbox, Instant now) {
		Duration age = Duration.between(sandbox.createdAt(), now);
		Duration delay = FIRST_POLL.plus(age.dividedBy(10));
		return (delay.compareTo(SLOWEST_POLL) > 0) ? SLOWEST_POLL : delay;
	}

	private Task task(Sandbox sandbox) {
		return this.competitions.findTask(sandbox.taskId())
			.orElseThrow(() -> new IllegalStateException("Task " + sandbox.taskId() + " of a live sandbox is gone"));
	}

}
