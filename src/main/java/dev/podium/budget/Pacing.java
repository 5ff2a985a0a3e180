package dev.podium.budget;

/** Whether scarce creations are saved for fuller sandboxes. */
public enum Pacing {

	/**
	 * Hold a lone submission for a while when creations are scarce for the expected
	 * demand.
	 */
	ADAPTIVE,

	/** Create as soon as anything waits. */
	NONE

}
