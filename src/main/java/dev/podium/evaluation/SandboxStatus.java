package dev.podium.evaluation;

/**
 * Where a sandbox is in its life, as Podium drives it: CREATING, STARTING, RUNNING,
 * DRAINING, DESTROYING, DESTROYED. Every state but the last has a deadline.
 */
enum SandboxStatus {

	/**
	 * Recorded and charged; the provider has not confirmed its creation yet (an unknown
	 * outcome is checked by name before creating again).
	 */
	CREATING,

	/** Created; being built or started. It may already ask for its first job. */
	STARTING,

	/** Serving its scope: it takes jobs one at a time as they arrive. */
	RUNNING,

	/**
	 * Takes no new job (its job limit, lifetime or idle timeout is reached, or it
	 * misbehaved); deleted once its current job is over.
	 */
	DRAINING,

	/** Its work is over; it is being deleted. */
	DESTROYING,

	/** Deleted. */
	DESTROYED;

	/** Whether it may be handed jobs. */
	boolean serves() {
		return this == STARTING || this == RUNNING;
	}

}
