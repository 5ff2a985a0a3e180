package dev.podium.sandbox.local;

import java.time.Duration;
import java.util.UUID;

import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxWork;
import dev.podium.sandbox.local.LocalCommand.Fault;
import dev.podium.sandbox.local.LocalCommand.Outcome;

/**
 * What the evaluation app in a Space does, done on this machine: fetch the job, and for
 * each submission hand in predictions: a FILE submission's CSV as it is, or for a model
 * what the task's {@code localCommand} wrote to {@code $OUTPUT_PATH}, which Podium then
 * scores against the hidden solution like any other predictions.
 */
class LocalEvaluation implements Runnable {

	/**
	 * The largest predictions file any task may allow; the job does not carry its task's
	 * own {@code maxFileBytes} yet.
	 */
	static final long MAX_PREDICTION_BYTES = 100L * 1024 * 1024;

	private final UUID sandboxId;

	private final SandboxCallbacks callbacks;

	private final LocalCommand command;

	LocalEvaluation(UUID sandboxId, SandboxCallbacks callbacks, LocalCommand command) {
		this.sandboxId = sandboxId;
		this.callbacks = callbacks;
		this.command = command;
	}

	@Override
	public void run() {
		SandboxWork work = this.callbacks.job(this.sandboxId);
		for (SandboxWork.Item item : work.submissions()) {
			if (Thread.currentThread().isInterrupted()) {
				return;
			}
			if ("FILE".equals(item.kind())) {
				this.callbacks.predictions(this.sandboxId, item.id(),
						this.callbacks.submissionFile(this.sandboxId, item.id()));
			}
			else {
				runModel(work.task(), item);
			}
		}
	}

	private void runModel(SandboxWork.TaskInfo task, SandboxWork.Item item) {
		Outcome outcome = this.command.run(new LocalCommand.Request(task.localCommand(),
				LocalCommand.variables("PODIUM_MODEL_ID", item.model(), "PODIUM_MODEL_REVISION", item.revision(),
						"PODIUM_TASK", task.slug(), "PODIUM_METRIC", task.metric(), "PODIUM_ID_COLUMN", task.idColumn(),
						"PODIUM_SUBMISSION_ID", item.id().toString()),
				Duration.ofSeconds(task.timeoutSeconds()), MAX_PREDICTION_BYTES));
		if (outcome instanceof Outcome.Predictions predictions) {
			this.callbacks.predictions(this.sandboxId, item.id(), predictions.csv());
		}
		else if (outcome instanceof Outcome.Failed failed) {
			this.callbacks.failure(this.sandboxId, item.id(), failed.fault() == Fault.SUBMISSION, failed.message());
		}
		else if (outcome instanceof Outcome.TimedOut timedOut) {
			// the participant's model took too long: counted, not retried
			this.callbacks.failure(this.sandboxId, item.id(), true,
					"the evaluation ran over its time limit of " + timedOut.limit().toSeconds() + " s");
		}
	}

}
