package dev.podium.competition;

/** Whose submissions may share one sandbox when a task evaluates several per sandbox. */
public enum ReuseScope {

	/**
	 * Only one participant's submissions: participant code never meets another's data.
	 */
	PARTICIPANT,

	/** Any submissions of the task: for evaluations that run no participant code. */
	TASK

}
