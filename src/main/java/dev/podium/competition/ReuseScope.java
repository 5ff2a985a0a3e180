package dev.podium.competition;

/**
 * Whose submissions one streaming sandbox serves while it lives. Wider scopes serve more
 * jobs per creation; the evaluation app isolates consecutive jobs from each other.
 */
public enum ReuseScope {

	/**
	 * Only one participant's submissions of the task: participant code never meets
	 * another's.
	 */
	PARTICIPANT,

	/** Any participant's submissions of the task. */
	TASK,

	/**
	 * Any submission of any task of the competition that shares the task's hardware and
	 * scope: each job tells the sandbox which task it evaluates.
	 */
	COMPETITION

}
