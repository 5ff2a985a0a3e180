package dev.podium.scoring;

import java.util.List;
import java.util.Optional;

/**
 * A metric implemented here after the scikit-learn function of the same name, called with
 * the spec's keyword arguments.
 *
 * @param name the spec, e.g. {@code f1_score} or {@code f1_score(average='macro')}
 * @param function the scikit-learn function name
 * @param values what the predicted values must be
 * @param indicatorColumns whether several target columns mean scikit-learn's multilabel
 * indicator format, in which every predicted value is 0 or 1
 * @param arguments the keyword arguments of the spec
 * @param formula computes the score on non-empty rows of equal width
 */
record SklearnMetric(String name, String function, Values values, boolean indicatorColumns, Arguments arguments,
		Formula formula) implements Metric {

	enum Values {

		/**
		 * Class labels.
		 */
		LABELS,

		/**
		 * Any finite numbers.
		 */
		NUMBERS,

		/**
		 * Finite numbers that rank rows (probabilities, decision-function values,
		 * margins).
		 */
		SCORES,

		/**
		 * Probabilities in [0, 1].
		 */
		PROBABILITIES

	}

	@FunctionalInterface
	interface Formula {

		double apply(List<String[]> truth, List<String[]> predicted, Arguments arguments);

	}

	@Override
	public boolean needsNumbers() {
		return this.values != Values.LABELS;
	}

	@Override
	public boolean needsProbabilities() {
		return this.values == Values.PROBABILITIES;
	}

	@Override
	public boolean greaterIsBetter() {
		return !(this.function.endsWith("_error") || this.function.endsWith("_loss"));
	}

	@Override
	public Optional<String> checkPredictedValue(String value, int targetColumnCount) {
		if (this.indicatorColumns && targetColumnCount > 1) {
			var number = NumericText.parse(value);
			boolean indicator = number.isPresent() && (number.getAsDouble() == 0 || number.getAsDouble() == 1);
			return indicator ? Optional.empty() : Optional.of(Excerpt.quoted(value) + " is not 0 or 1");
		}
		return Metric.super.checkPredictedValue(value, targetColumnCount);
	}

	@Override
	public double compute(List<String[]> truth, List<String[]> predicted) {
		if (truth.size() != predicted.size()) {
			throw new IllegalArgumentException(
					"truth has " + truth.size() + " rows but predicted has " + predicted.size());
		}
		if (truth.isEmpty()) {
			throw new ScoringException(this.name + " is undefined on zero rows.");
		}
		int width = truth.get(0).length;
		for (int row = 0; row < truth.size(); row++) {
			if (truth.get(row).length != width || predicted.get(row).length != width) {
				throw new IllegalArgumentException("row " + row + " does not have " + width + " values in both lists");
			}
		}
		if (width == 0) {
			throw new IllegalArgumentException("rows have no target value");
		}
		return this.formula.apply(truth, predicted, this.arguments);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
