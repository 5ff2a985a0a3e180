package dev.podium.sandbox.hub;

import java.util.Set;

/**
 * A Space's runtime as the Hub reports it. Stages are kept as the Hub's strings: a stage
 * this code does not know yet passes through and counts as neither running nor failed.
 *
 * @param errorMessage why a build or run failed, when the Hub says
 */
public record SpaceRuntime(String stage, String errorMessage) {

	private static final Set<String> FAILED = Set.of("BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE");

	/**
	 * Running the app of its latest commit ({@code RUNNING_BUILDING} still runs an old
	 * one).
	 */
	public boolean isRunning() {
		return "RUNNING".equals(this.stage);
	}

	/** Failed for good: it will not run without a new commit. */
	public boolean isFailed() {
		return FAILED.contains(this.stage);
	}

}
