package dev.podium.competition;

/** What a participant hands in for a task. */
public enum SubmissionKind {

	/** A predictions CSV. */
	FILE,

	/** A Hub model repository at a revision, run inside a sandbox. */
	MODEL

}
