package dev.podium.sandbox.hub;

import java.util.Set;

/**
 * A Space's runtime as the Hub reports it. Stages are kept as the Hub's strings: a stage
 * this code does not know yet passes through as {@link Phase#UNKNOWN}, which callers
 * treat as "not ready yet" until their own timeout.
 *
 * @param errorMessage why a build or run failed, when the Hub says
 * @param requestedHardware the flavor asked for; {@code null} when not reported
 * @param currentHardware the flavor it runs on; {@code null} while not running
 */
public record SpaceRuntime(String stage, String errorMessage, String requestedHardware, String currentHardware) {

	private static final Set<String> STARTING = Set.of("BUILDING", "RUNNING_BUILDING", "APP_STARTING",
			"RUNNING_APP_STARTING");

	private static final Set<String> FAILED = Set.of("BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE");

	/** Paused (by hand or for want of hardware quota), stopped, or asleep. */
	private static final Set<String> HALTED = Set.of("PAUSED", "STOPPED", "SLEEPING");

	public SpaceRuntime(String stage, String errorMessage) {
		this(stage, errorMessage, null, null);
	}

	/** Where the stage leaves a sandbox. */
	public enum Phase {

		/** Building or starting; {@code RUNNING_*} stages still run an older app. */
		STARTING,

		/** Running the app of its latest build. */
		RUNNING,

		/** Failed for good: it will not run without a new commit. */
		FAILED,

		/** Not running and not going to by itself. */
		HALTED,

		DELETING,

		/** A stage this client does not know yet. */
		UNKNOWN

	}

	public Phase phase() {
		if ("RUNNING".equals(this.stage)) {
			return Phase.RUNNING;
		}
		if (STARTING.contains(this.stage)) {
			return Phase.STARTING;
		}
		if (FAILED.contains(this.stage)) {
			return Phase.FAILED;
		}
		if (HALTED.contains(this.stage)) {
			return Phase.HALTED;
		}
		if ("DELETING".equals(this.stage)) {
			return Phase.DELETING;
		}
		return Phase.UNKNOWN;
	}

	public boolean isRunning() {
		return phase() == Phase.RUNNING;
	}

	public boolean isFailed() {
		return phase() == Phase.FAILED;
	}

}
