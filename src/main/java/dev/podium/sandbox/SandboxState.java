package dev.podium.sandbox;

import java.time.Instant;

/** Where a sandbox stands, as its provider sees it. */
public sealed interface SandboxState {

	/** Being built or started; also any stage the provider does not know yet. */
	record Starting(String stage) implements SandboxState {
	}

	/** Running: it asks for jobs and reports results through the sandbox API. */
	record Ready(String stage) implements SandboxState {
	}

	/** It cannot run (a build or runtime error, paused); the platform's fault. */
	record Failed(String reason) implements SandboxState {
	}

	/** It does not exist (never made, destroyed, or lost with a crash). */
	record Gone() implements SandboxState {
	}

	/**
	 * The provider could not be asked now (an outage, its API quota): nothing is known,
	 * nothing changes; ask again at {@code retryAt} ({@code null}: the caller's backoff).
	 */
	record Unobservable(String reason, Instant retryAt) implements SandboxState {
	}

}
