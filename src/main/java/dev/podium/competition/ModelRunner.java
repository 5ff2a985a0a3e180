package dev.podium.competition;

/** How a MODEL task runs a participant's repo in its sandbox. */
public enum ModelRunner {

	/** The organizer's prediction entry point, given the participant's model. */
	PREDICT,

	/**
	 * The participant's own {@code script.py}, which writes {@code submission.csv}:
	 * huggingface/competitions' contract.
	 */
	SCRIPT

}
