package dev.podium.sandbox.local;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.sandbox.SandboxCallbacks.SandboxJob;
import dev.podium.sandbox.local.LocalCommand.Fault;
import dev.podium.sandbox.local.LocalCommand.Outcome;

/**
 * What the evaluation app in a Space does, done on this machine: once "built", ask for
 * the next job, run it, report it, and ask again, until Podium retires the sandbox. A
 * FILE job's CSV is handed in as it is; a MODEL job runs the task's {@code localCommand}
 * apart from Podium ({@link LocalCommand}), which writes its predictions to
 * {@code $OUTPUT_PATH}, and Podium scores that file itself.
 */
class LocalJobLoop implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(LocalJobLoop.class);

	/** How long one request for the next job waits. */
	static final Duration ASK = Duration.ofSeconds(1);

	private final UUID sandboxId;

	private final Path directory;

	private final Instant readyAt;

	private final SandboxCallbacks callbacks;

	private final Semaphore evaluations;

	private final Clock clock;

	private final Supplier<LocalCommand> command;

	private volatile boolean retired;

	LocalJobLoop(UUID sandboxId, Path directory, Instant readyAt, SandboxCallbacks callbacks, Semaphore evaluations,
			Clock clock, Supplier<LocalCommand> command) {
		this.sandboxId = sandboxId;
		this.directory = directory;
		this.readyAt = readyAt;
		this.callbacks = callbacks;
		this.evaluations = evaluations;
		this.clock = clock;
		this.command = command;
	}

	boolean isReady() {
		return !this.clock.instant().isBefore(this.readyAt);
	}

	boolean isRetired() {
		return this.retired;
	}

	@Override
	public void run() {
		try {
			while (!Thread.currentThread().isInterrupted()) {
				if (!isReady()) {
					Thread.sleep(50);
					continue;
				}
				JobOffer offer;
				try {
					offer = this.callbacks.nextJob(this.sandboxId, ASK)
						.get(ASK.toMillis() + 30_000, TimeUnit.MILLISECONDS);
				}
				catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
					// Podium's side hiccuped: as the Space app does, ask again a little
					// later.
					log.warn("Local sandbox {} could not get its next job: {}", this.sandboxId, ex.toString());
					Thread.sleep(500);
					continue;
				}
				if (offer instanceof JobOffer.Retired) {
					this.retired = true;
					return;
				}
				if (offer instanceof JobOffer.Assigned assigned) {
					this.evaluations.acquire();
					try {
						run(assigned.job());
					}
					finally {
						this.evaluations.release();
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run(SandboxJob job) throws InterruptedException {
		if ("FILE".equals(job.kind())) {
			Optional<byte[]> csv = this.callbacks.jobFile(this.sandboxId, job.jobId());
			if (csv.isEmpty()) {
				return;
			}
			this.callbacks.jobStarted(this.sandboxId, job.jobId());
			this.callbacks.predictions(this.sandboxId, job.jobId(), new ByteArrayInputStream(csv.get()),
					csv.get().length);
			return;
		}
		runModel(job);
	}

	private void runModel(SandboxJob job) {
		this.callbacks.jobStarted(this.sandboxId, job.jobId());
		Outcome outcome = this.command.get()
			.run(new LocalCommand.Request(job.task().localCommand(),
					LocalCommand.variables("PODIUM_MODEL_ID", job.model(), "PODIUM_MODEL_REVISION", job.revision(),
							"PODIUM_TASK", job.task().slug(), "PODIUM_METRIC", job.task().metric(), "PODIUM_ID_COLUMN",
							job.task().idColumn(), "PODIUM_SUBMISSION_ID", job.submissionId().toString()),
					job.timeLimit(), job.task().maxFileBytes()));
		if (outcome instanceof Outcome.Predictions predictions) {
			this.callbacks.predictions(this.sandboxId, job.jobId(), new ByteArrayInputStream(predictions.csv()),
					predictions.csv().length);
		}
		else if (outcome instanceof Outcome.Failed failed) {
			this.callbacks.failure(this.sandboxId, job.jobId(), failed.fault() == Fault.SUBMISSION, failed.message());
		}
		else if (outcome instanceof Outcome.TimedOut timedOut) {
			// the participant's model took too long: counted, not retried
			this.callbacks.failure(this.sandboxId, job.jobId(), true,
					"the evaluation ran over its time limit of " + timedOut.limit());
		}
	}

}
