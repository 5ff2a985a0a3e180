package dev.podium.evaluation;

/**
 * A sandbox asked for something that is not its own, or no longer lives. Leaves the
 * sandbox API as 404, so that ids of other sandboxes' work do not leak.
 */
class SandboxAccessDenied extends RuntimeException {

	SandboxAccessDenied(String message) {
		super(message);
	}

}
