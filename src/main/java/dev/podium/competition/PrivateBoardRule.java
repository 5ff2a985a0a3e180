package dev.podium.competition;

/**
 * Which of an entrant's submissions stand for it on the private board. Selected
 * submissions always do; the rule says which stand when the entrant selected none.
 */
public enum PrivateBoardRule {

	/**
	 * The best private score among the entrant's top {@code selectionLimit} public ones
	 * (Kaggle's rule).
	 */
	BEST_PRIVATE_OF_TOP_SELECTION,

	/**
	 * The private score of the entrant's single best public submission (the rule of
	 * huggingface/competitions).
	 */
	BEST_PUBLIC

}
