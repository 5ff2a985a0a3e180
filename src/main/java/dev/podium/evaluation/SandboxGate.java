package dev.podium.evaluation;

import java.util.UUID;

import dev.podium.problem.ProblemException;
import dev.podium.security.Tokens;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks the bearer token a sandbox calls with: valid only for that sandbox while it
 * lives.
 */
@Component
public class SandboxGate {

	private final SandboxJobDesk desk;

	SandboxGate(SandboxJobDesk desk) {
		this.desk = desk;
	}

	public void check(UUID sandboxId, String authorization) {
		String token = Tokens.fromBearerHeader(authorization).orElseThrow(SandboxGate::unauthorized);
		switch (this.desk.authenticate(sandboxId, Tokens.hash(token))) {
			case UNKNOWN -> throw ProblemException.notFound("Sandbox " + sandboxId);
			case WRONG_TOKEN -> throw unauthorized();
			case OK -> {
			}
		}
	}

	private static ProblemException unauthorized() {
		return new ProblemException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
				"Send this sandbox's token as 'Authorization: Bearer <PODIUM_SANDBOX_TOKEN>'");
	}

}
