package dev.podium.evaluation;

import java.time.Duration;

import dev.podium.competition.Hardware;
import dev.podium.competition.Task;

/**
 * How long a sandbox of a task may serve: at most {@code maxJobs} jobs, at most
 * {@code lifetime}, and no longer than {@code idleTimeout} without work. Tasks that set
 * none take the defaults; free hardware may linger idle, paid hardware (billed by the
 * minute) goes soon.
 */
record SandboxRules(int maxJobs, Duration lifetime, Duration idleTimeout) {

	static SandboxRules of(Task task, EvaluationProperties defaults) {
		Duration lifetime = (task.sandboxLifetime() != null) ? task.sandboxLifetime() : defaults.sandboxLifetime();
		Duration idle = (task.idleTimeout() != null) ? task.idleTimeout()
				: (isFree(task.hardware()) ? defaults.freeIdleTimeout() : defaults.paidIdleTimeout());
		return new SandboxRules(task.evaluationsPerSandbox(), lifetime, idle);
	}

	/** The Hub bills every flavor by the minute but the free ones. */
	static boolean isFree(String hardware) {
		return Hardware.ofFlavor(hardware).map(Hardware::isFree).orElse(false);
	}

}
