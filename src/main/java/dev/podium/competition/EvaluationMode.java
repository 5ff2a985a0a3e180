package dev.podium.competition;

/** Where a task's submissions are evaluated. */
public enum EvaluationMode {

	/** In an ephemeral sandbox (a Space), charged to the daily creation budget. */
	SANDBOX,

	/** Scored inside Podium: no sandbox, no budget. Only for FILE tasks. */
	INLINE

}
