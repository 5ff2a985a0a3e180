package dev.podium.sandbox;

import java.util.UUID;

/**
 * What a sandbox is created with. Its only secret is its own callback token: a
 * participant's Hub token travels with that participant's job, never as a secret of a
 * sandbox that others' jobs may run in.
 *
 * @param name deterministic from the sandbox id ({@link SandboxNames}), so that a
 * repeated create finds it
 * @param callbackToken the bearer token with which the sandbox calls Podium's sandbox
 * API; valid only for this sandbox while it lives
 */
public record SandboxSpec(UUID sandboxId, String name, String hardware, String callbackToken) {

	@Override
	public String toString() {
		return "SandboxSpec[sandboxId=%s, name=%s, hardware=%s]".formatted(this.sandboxId, this.name, this.hardware);
	}

}
