package dev.podium.budget;

/** How the creation budget's window moves. */
public enum WindowMode {

	/**
	 * Calendar windows aligned to midnight in the budget's zone: the Hub's daily reset.
	 */
	FIXED,

	/**
	 * The last window length before now: a charge frees its place one window after it was
	 * made.
	 */
	ROLLING

}
