package dev.podium.scoring;

import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleBiFunction;

/**
 * A metric implemented here after the scikit-learn function of the same name.
 *
 * @param name the scikit-learn function name
 * @param values what the predicted values must be
 * @param indicatorColumns whether several target columns mean scikit-learn's multilabel
 * indicator format, in which every predicted value is 0 or 1
 * @param formula computes the score on non-empty rows of equal width
 */
record SklearnMetric(String name, Values values, boolean indicatorColumns,
		ToDoubleBiFunction<List<String[]>, List<String[]>> formula) implements Metric {

	enum Values {

		LABELS, NUMBERS, PROBABILITIES

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
		return this.formula.applyAsDouble(truth, predicted);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
