package dev.podium.sandbox;

import java.util.UUID;

/**
 * Podium's side of the sandbox API: what a running sandbox may ask and report. The HTTP
 * adapter and the local provider both call it; a sandbox only ever reaches its own
 * submissions, and only while it lives.
 */
public interface SandboxCallbacks {

	/** The sandbox's job; marks its submissions as evaluating. */
	SandboxWork job(UUID sandboxId);

	/** A FILE submission's CSV. */
	byte[] submissionFile(UUID sandboxId, UUID submissionId);

	/** Predictions to score against the hidden solution. */
	void predictions(UUID sandboxId, UUID submissionId, byte[] csv);

	/**
	 * A submission could not be evaluated.
	 * @param submissionFault the submission's own fault (shown to the participant,
	 * counts) or the platform's (retried)
	 */
	void failure(UUID sandboxId, UUID submissionId, boolean submissionFault, String message);

}
