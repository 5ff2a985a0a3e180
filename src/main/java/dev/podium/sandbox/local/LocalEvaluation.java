package dev.podium.sandbox.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxWork;

/**
 * What the evaluation app in a Space does, done on this machine: fetch the job, and for
 * each submission hand in predictions (a FILE submission's CSV as it is) or run the
 * task's {@code localCommand} for a model, which prints its scores as JSON on its last
 * line.
 */
class LocalEvaluation implements Runnable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final UUID sandboxId;

	private final Path directory;

	private final SandboxCallbacks callbacks;

	LocalEvaluation(UUID sandboxId, Path directory, SandboxCallbacks callbacks) {
		this.sandboxId = sandboxId;
		this.directory = directory;
		this.callbacks = callbacks;
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
		try {
			Path output = this.directory.resolve(item.id() + ".out");
			ProcessBuilder builder = new ProcessBuilder(List.of("sh", "-c", task.localCommand()))
				.directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile());
			Map<String, String> environment = builder.environment();
			// The organizer's command sees what it evaluates, and no token of Podium's.
			environment.keySet().removeIf((name) -> name.contains("TOKEN") || name.contains("SECRET"));
			environment.put("PODIUM_MODEL_ID", item.model());
			environment.put("PODIUM_MODEL_REVISION", item.revision());
			environment.put("PODIUM_TASK", task.slug());
			environment.put("PODIUM_METRIC", task.metric());
			environment.put("PODIUM_SUBMISSION_ID", item.id().toString());
			Process process = builder.start();
			if (!process.waitFor(task.timeoutSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				this.callbacks.failure(this.sandboxId, item.id(), false,
						"the evaluation command timed out after " + task.timeoutSeconds() + " s");
				return;
			}
			List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				this.callbacks.failure(this.sandboxId, item.id(), true,
						"the evaluation exited with status " + process.exitValue() + ": " + tail(lines));
				return;
			}
			JsonNode scores = json.readTree(lines.isEmpty() ? "{}" : lines.get(lines.size() - 1));
			if (!scores.has("public_score")) {
				this.callbacks.failure(this.sandboxId, item.id(), false,
						"the evaluation command printed no JSON scores on its last line");
				return;
			}
			this.callbacks.scores(this.sandboxId, item.id(), number(scores, "public_score"),
					number(scores, "private_score"));
		}
		catch (IOException ex) {
			this.callbacks.failure(this.sandboxId, item.id(), false,
					"the evaluation command could not run: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			this.callbacks.failure(this.sandboxId, item.id(), false, "the evaluation's output was unreadable");
		}
	}

	private static Double number(JsonNode scores, String field) {
		JsonNode value = scores.get(field);
		return (value == null || value.isNull()) ? null : value.asDouble();
	}

	private static String tail(List<String> lines) {
		String joined = String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
		return (joined.length() > 500) ? joined.substring(joined.length() - 500) : joined;
	}

}
