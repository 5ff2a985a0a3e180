package dev.podium.sandbox;

import java.util.List;
import java.util.UUID;

/**
 * The job a sandbox fetches: one task and the submissions it evaluates, one after
 * another. The hidden solution is not part of it: predictions come back and Podium scores
 * them.
 */
public record SandboxWork(UUID sandboxId, TaskInfo task, List<Item> submissions) {

	public record TaskInfo(String competition, String slug, String metric, String idColumn, String localCommand,
			long timeoutSeconds) {
	}

	/**
	 * @param fileUrl where the sandbox downloads a FILE submission's CSV, relative to its
	 * callback URL
	 */
	public record Item(UUID id, String kind, String model, String revision, String fileUrl) {
	}

}
