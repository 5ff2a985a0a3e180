package dev.podium.sandbox.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.sandbox.SandboxCallbacks.SandboxJob;

/**
 * What the evaluation app in a Space does, done on this machine: once "built", ask for
 * the next job, run it, report it, and ask again, until Podium retires the sandbox. A
 * FILE job's CSV is handed in as it is; a MODEL job runs the task's {@code localCommand},
 * which writes its predictions to {@code $OUTPUT_PATH}, and Podium scores that file
 * itself.
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

	private volatile boolean retired;

	LocalJobLoop(UUID sandboxId, Path directory, Instant readyAt, SandboxCallbacks callbacks, Semaphore evaluations,
			Clock clock) {
		this.sandboxId = sandboxId;
		this.directory = directory;
		this.readyAt = readyAt;
		this.callbacks = callbacks;
		this.evaluations = evaluations;
		this.clock = clock;
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
			this.callbacks.predictions(this.sandboxId, job.jobId(), new ByteArrayInputStream(csv.get()));
			return;
		}
		runModel(job);
	}

	private void runModel(SandboxJob job) throws InterruptedException {
		Path work = this.directory.resolve(job.jobId().toString());
		Path output = work.resolve("predictions.csv");
		Path log = work.resolve("output.log");
		try {
			Files.createDirectories(work);
			ProcessBuilder builder = new ProcessBuilder(List.of("sh", "-c", job.task().localCommand()))
				.directory(work.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			Map<String, String> environment = builder.environment();
			// The organizer's command sees what it evaluates, and nothing of Podium's.
			environment.clear();
			environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
			environment.put("HOME", work.toString());
			environment.put("OUTPUT_PATH", output.toString());
			environment.put("PODIUM_MODEL_ID", job.model());
			environment.put("PODIUM_MODEL_REVISION", job.revision());
			environment.put("PODIUM_TASK", job.task().slug());
			environment.put("PODIUM_METRIC", job.task().metric());
			environment.put("PODIUM_ID_COLUMN", job.task().idColumn());
			environment.put("PODIUM_SUBMISSION_ID", job.submissionId().toString());
			this.callbacks.jobStarted(this.sandboxId, job.jobId());
			Process process = builder.start();
			if (!process.waitFor(job.timeLimit().toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				this.callbacks.failure(this.sandboxId, job.jobId(), true,
						"the evaluation ran over its time limit of " + job.timeLimit());
				return;
			}
			if (process.exitValue() != 0) {
				this.callbacks.failure(this.sandboxId, job.jobId(), true,
						"the evaluation exited with status " + process.exitValue());
				return;
			}
			if (!Files.isRegularFile(output) || Files.size(output) == 0) {
				this.callbacks.failure(this.sandboxId, job.jobId(), true,
						"the evaluation wrote no predictions to $OUTPUT_PATH");
				return;
			}
			try (InputStream predictions = Files.newInputStream(output)) {
				this.callbacks.predictions(this.sandboxId, job.jobId(), predictions);
			}
		}
		catch (IOException ex) {
			this.callbacks.failure(this.sandboxId, job.jobId(), false,
					"the evaluation command could not run: " + ex.getMessage());
		}
		finally {
			LocalSandboxProvider.deleteDirectory(work);
		}
	}

}
