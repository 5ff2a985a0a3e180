package dev.podium.evaluation;

/** Where a sandbox is in its life, as Podium drives it. */
enum SandboxStatus {

	/** Recorded; the provider has not confirmed its creation yet. */
	CREATING,

	/** Created; being built or started. */
	STARTING,

	/** Running its job. */
	RUNNING,

	/** Its work is over; it is being deleted. */
	DESTROYING,

	/** Deleted. */
	DESTROYED

}
