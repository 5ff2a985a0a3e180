package dev.podium.sandbox;

import java.util.Optional;
import java.util.Set;

/**
 * What a provider does with a sandbox. Every operation is safe to repeat: {@link #create}
 * finds the sandbox it already made under the same name, and {@link #destroy} of a
 * sandbox that is gone succeeds. Platform trouble is a {@link SandboxException}.
 */
public interface SandboxProvider {

	/** The provider's name in configuration ({@code podium.sandbox.provider}). */
	String name();

	/**
	 * Checks, before any budget is spent, that a submission can be evaluated at all.
	 * @param accessToken the participant's read token for a private model, or
	 * {@code null}
	 * @return why it cannot; empty when it can
	 */
	Optional<Refusal> preflight(SandboxWork.Item item, SandboxWork.TaskInfo task, String accessToken);

	/**
	 * Whether new sandboxes should be started now; false while the provider is known to
	 * be down, so that queued work waits instead of being sent into an outage.
	 */
	default boolean acceptsWork() {
		return true;
	}

	/**
	 * Why a submission cannot be evaluated by this provider; retrying would not help.
	 *
	 * @param submissionFault whether it is the submission's own fault (a missing model)
	 * or not (the task is not set up for this provider)
	 */
	record Refusal(boolean submissionFault, String message) {
	}

	/**
	 * Creates the sandbox, or finds the one already made under {@code spec.name()} and
	 * gives it the spec's callback token.
	 * @throws CreationRefusedException when a creation limit was hit and nothing was made
	 */
	void create(SandboxSpec spec);

	/** Where the sandbox stands now. */
	SandboxState state(String name);

	/** Destroys the sandbox; one that does not exist counts as destroyed. */
	void destroy(String name);

	/** The names of every sandbox of this provider that still exists, for the reaper. */
	Set<String> list();

}
