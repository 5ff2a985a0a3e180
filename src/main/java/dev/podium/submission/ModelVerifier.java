package dev.podium.submission;

import java.util.UUID;

/**
 * Checks, before a MODEL submission is accepted, that the model can be evaluated as
 * submitted, and pins it: the id after any rename, the commit its revision points to.
 * Implemented by the evaluation pipeline, which knows the sandbox provider. Called with
 * no transaction open: it may ask the Hub.
 */
public interface ModelVerifier {

	Verdict verify(UUID taskId, String model, String revision, String accessToken);

	/** What intake does with the submission. */
	sealed interface Verdict {

		/** Accept it, pinned to this model at this revision. */
		record Usable(String model, String revision) implements Verdict {
		}

		/**
		 * Refuse it: it can never be evaluated.
		 *
		 * @param submissionFault the submission's own fault (a missing model) rather than
		 * the task's (not set up to evaluate models)
		 */
		record Unusable(boolean submissionFault, String message) implements Verdict {
		}

		/** Accept it unchecked: pre-flight decides before it is evaluated. */
		record Undecided(String message) implements Verdict {
		}

	}

}
