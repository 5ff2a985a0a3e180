package dev.podium.evaluation;

import dev.podium.problem.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A sandbox asked for something that is not its own, or no longer lives. Leaves the
 * sandbox API as 404, so that ids of other sandboxes' work do not leak.
 */
class SandboxAccessDenied extends ProblemException {

	SandboxAccessDenied(String message) {
		super(HttpStatus.NOT_FOUND, "not-found", "Not found", message);
	}

}
