package dev.podium.scoring;

/**
 * A metric that cannot be computed on the given rows, like scikit-learn's
 * {@code ValueError}: ROC AUC on a single class, a binary metric on several classes,
 * truth values that are not numbers for a regression metric.
 */
public class ScoringException extends RuntimeException {

	public ScoringException(String message) {
		super(message);
	}

	public ScoringException(String message, Throwable cause) {
		super(message, cause);
	}

}
