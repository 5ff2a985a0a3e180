package dev.podium.sandbox;

/** Where a sandbox stands, as its provider sees it. */
public sealed interface SandboxState {

	/** Being built or started; also any stage the provider does not know yet. */
	record Starting(String stage) implements SandboxState {
	}

	/** Running: it fetches its job and reports results through the sandbox API. */
	record Ready() implements SandboxState {
	}

	/** It cannot run (a build or runtime error); the platform's fault. */
	record Failed(String reason) implements SandboxState {
	}

	/** It does not exist (never made, destroyed, or lost with a crash). */
	record Gone() implements SandboxState {
	}

}
