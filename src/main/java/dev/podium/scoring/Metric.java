package dev.podium.scoring;

import java.util.List;
import java.util.Optional;

/**
 * A metric known by its scikit-learn function name.
 */
public interface Metric {

	/**
	 * The scikit-learn function name, e.g. {@code accuracy_score}, followed by the
	 * keyword arguments it is called with when there are any, e.g.
	 * {@code f1_score(average='macro')}.
	 */
	String name();

	/**
	 * Whether prediction values must parse as finite numbers (regression, probabilities).
	 */
	boolean needsNumbers();

	/**
	 * Computes the metric on rows already joined by id.
	 * @param truth one array per row holding the target column values of the solution
	 * @param predicted one array per row holding the predicted values, in the same row
	 * and column order as {@code truth}
	 * @return the score
	 * @throws ScoringException when the metric is undefined for these rows, e.g. ROC AUC
	 * when the truth holds a single class
	 */
	double compute(List<String[]> truth, List<String[]> predicted);

	/**
	 * Whether a higher score ranks better. Follows scikit-learn's naming convention:
	 * functions ending in {@code _error} or {@code _loss} are minimised, the others
	 * maximised.
	 */
	default boolean greaterIsBetter() {
		String function = (name().indexOf('(') < 0) ? name() : name().substring(0, name().indexOf('('));
		return !(function.endsWith("_error") || function.endsWith("_loss"));
	}

	/**
	 * Whether predicted values must be probabilities in [0, 1].
	 */
	default boolean needsProbabilities() {
		return false;
	}

	/**
	 * What is wrong with one predicted value, worded for a participant without naming the
	 * row or column; empty when the metric accepts the value.
	 * @param value the predicted value, already stripped of surrounding whitespace
	 * @param targetColumnCount how many target columns the solution has
	 */
	default Optional<String> checkPredictedValue(String value, int targetColumnCount) {
		if (!needsNumbers()) {
			if (NumericText.isNonFinite(value)) {
				return Optional.of(Excerpt.quoted(value) + " reads as a missing or infinite number, not a label");
			}
			return value.isEmpty() ? Optional.of("empty value") : Optional.empty();
		}
		var number = NumericText.parse(value);
		if (number.isEmpty()) {
			return Optional.of(Excerpt.quoted(value) + " is not a finite number");
		}
		if (needsProbabilities() && !(number.getAsDouble() >= 0 && number.getAsDouble() <= 1)) {
			return Optional.of(Excerpt.quoted(value) + " is outside [0, 1]");
		}
		return Optional.empty();
	}

}
