package dev.podium.sandbox;

import java.io.InputStream;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Podium's side of the sandbox API: a sandbox lives for a while and asks for its next
 * job, one at a time, until it is retired. The HTTP adapter and the local provider's job
 * loop both call it. A sandbox only ever reaches its own current job: every report names
 * the job id it was given, and a report for a job that is no longer its own changes
 * nothing ({@link JobReport#STALE}).
 */
public interface SandboxCallbacks {

	/**
	 * The sandbox's next job: completes as soon as one is handed to it, with
	 * {@link JobOffer.NoJob} after {@code wait}, or with {@link JobOffer.Retired} once
	 * the sandbox is to take no more work.
	 */
	CompletableFuture<JobOffer> nextJob(UUID sandboxId, Duration wait);

	/** A FILE job's CSV; empty when the job is not this sandbox's current one. */
	java.util.Optional<byte[]> jobFile(UUID sandboxId, UUID jobId);

	/** The job's downloads are done: its time limit counts from now. */
	JobReport jobStarted(UUID sandboxId, UUID jobId);

	/**
	 * Predictions to score against the hidden solution; read up to the task's size limit
	 * and no further, and not at all when {@code declaredLength} already exceeds it.
	 * @param declaredLength the body's declared length, or -1 when unknown
	 */
	JobReport predictions(UUID sandboxId, UUID jobId, InputStream csv, long declaredLength);

	/**
	 * The most bytes of predictions the job takes; empty when the job is not this
	 * sandbox's current one.
	 */
	java.util.OptionalLong predictionLimit(UUID sandboxId, UUID jobId);

	/**
	 * The job could not be evaluated.
	 * @param submissionFault the submission's own fault (shown to the participant,
	 * counts) or the platform's (retried)
	 */
	JobReport failure(UUID sandboxId, UUID jobId, boolean submissionFault, String message);

	/** What a sandbox hears back when it asks for work. */
	sealed interface JobOffer {

		record Assigned(SandboxJob job) implements JobOffer {
		}

		record NoJob() implements JobOffer {
		}

		/** No more jobs for this sandbox: stop asking. */
		record Retired(String reason) implements JobOffer {
		}

	}

	/** What Podium made of a sandbox's report. */
	enum JobReport {

		/** Recorded. */
		ACCEPTED,

		/** The job is no longer this sandbox's: nothing was recorded. */
		STALE,

		/**
		 * The predictions exceed the task's limit: the submission failed for it, and the
		 * job is over.
		 */
		TOO_LARGE

	}

	/**
	 * One job as a sandbox receives it.
	 *
	 * @param jobId the attempt that fences every report about this job
	 * @param model for a MODEL job: the Hub id, resolved after any rename
	 * @param revision for a MODEL job: the pinned commit
	 * @param hubToken the participant's read token for a private model: for this job's
	 * download only
	 */
	record SandboxJob(UUID jobId, UUID submissionId, String kind, JobTask task, Duration timeLimit, String model,
			String revision, String hubToken) {

		@Override
		public String toString() {
			return "SandboxJob[jobId=%s, submission=%s, kind=%s, task=%s]".formatted(this.jobId, this.submissionId,
					this.kind, this.task.slug());
		}

	}

	/**
	 * The task a job belongs to (in a COMPETITION-scope sandbox, consecutive jobs may be
	 * of different tasks).
	 *
	 * @param localCommand the organizer's command for the local provider; never sent to a
	 * Space
	 * @param maxFileBytes the most bytes of predictions the task takes
	 */
	record JobTask(String competition, String slug, String metric, String idColumn, SandboxProvider.TaskRunner runner,
			String dataset, String localCommand, long maxFileBytes) {
	}

}
