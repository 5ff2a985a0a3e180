package dev.podium.sandbox;

import java.util.Map;
import java.util.UUID;

/**
 * What a sandbox is created with.
 *
 * @param name deterministic from the sandbox id, so that a repeated create finds it
 * @param callbackToken the bearer token with which the sandbox calls Podium's sandbox
 * API; valid only for this sandbox while it lives
 * @param secrets further secrets the sandbox needs (a participant's read token); never
 * the organizer's token
 */
public record SandboxSpec(UUID sandboxId, String name, String hardware, String callbackToken,
		Map<String, String> secrets) {

	@Override
	public String toString() {
		return "SandboxSpec[sandboxId=%s, name=%s, hardware=%s, secrets=%s]".formatted(this.sandboxId, this.name,
				this.hardware, this.secrets.keySet());
	}

}
