package dev.podium.sandbox;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a provider does with a sandbox. Every answer is a fact to act on, never an
 * exception to catch: a refusal, a limit, an outage and an unknown outcome are told apart
 * by the sealed types each operation returns. Every operation is safe to repeat: a
 * repeated {@link #create} of a name finds the sandbox it made, and {@link #destroy} of a
 * sandbox that is gone answers {@link DestroyResult.Destroyed}. The engine calls these
 * with no database transaction open.
 */
public interface SandboxProvider {

	/** The provider's name in configuration ({@code podium.sandbox.provider}). */
	String name();

	/**
	 * Checks, before anything is spent, that a MODEL submission can be evaluated as
	 * submitted, with the token the sandbox will use, and pins what will be downloaded.
	 * @param accessToken the participant's read token for a private model, or
	 * {@code null}
	 * @param task the task it is submitted to (how its models are run)
	 */
	Preflight preflight(String model, String revision, String accessToken, SandboxCallbacks.JobTask task);

	/**
	 * Whether new sandboxes should be created now; false while the provider is known to
	 * be down, so that queued work waits instead of being sent into an outage.
	 */
	default boolean acceptsWork() {
		return true;
	}

	/** Creates the sandbox, or finds the one made under {@code spec.name()} already. */
	CreateResult create(SandboxSpec spec);

	/** Where one sandbox stands now. */
	SandboxState state(String name);

	/**
	 * Where each of the named sandboxes stands, in as few calls as the provider allows
	 * (the Hub lists a namespace's Spaces with their runtime in one paged call).
	 */
	default Map<String, SandboxState> states(Collection<String> names) {
		Map<String, SandboxState> states = new LinkedHashMap<>();
		names.forEach((name) -> states.put(name, state(name)));
		return states;
	}

	/** Destroys the sandbox; one that does not exist counts as destroyed. */
	DestroyResult destroy(String name);

	/**
	 * The sandboxes of this provider that exist and whose names this deployment made
	 * ({@link SandboxNames#parse}), for the reaper; nothing else is ever listed.
	 */
	Listing list();

	/** How a task's MODEL submissions are run (the provider may support only some). */
	enum TaskRunner {

		/** The organizer's prediction entry point, given the participant's model. */
		PREDICT,

		/**
		 * The participant's own {@code script.py} (huggingface/competitions' contract).
		 */
		SCRIPT

	}

}
