package dev.podium.scoring;

import java.util.Arrays;
import java.util.List;

/**
 * Metrics on predicted numbers, as scikit-learn computes them with default arguments.
 * With several target columns each column is scored alone and the scores are averaged
 * with equal weights ({@code multioutput='uniform_average'}).
 */
final class RegressionMetrics {

	/**
	 * {@code np.finfo(np.float64).eps}, the floor scikit-learn puts under |y| when
	 * dividing by it in the mean absolute percentage error.
	 */
	private static final double FLOAT64_EPS = Math.ulp(1.0);

	private RegressionMetrics() {
	}

	static double meanSquaredError(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averageOverColumns(truth, predicted, RegressionMetrics::meanSquaredError);
	}

	/**
	 * The average of each column's root mean squared error, not the root of the average.
	 */
	static double rootMeanSquaredError(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averageOverColumns(truth, predicted, (actual, guessed) -> Math.sqrt(meanSquaredError(actual, guessed)));
	}

	static double meanAbsoluteError(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averageOverColumns(truth, predicted, (actual, guessed) -> {
			double sum = 0;
			for (int i = 0; i < actual.length; i++) {
				sum += Math.abs(actual[i] - guessed[i]);
			}
			return sum / actual.length;
		});
	}

	static double medianAbsoluteError(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averageOverColumns(truth, predicted, (actual, guessed) -> {
			double[] errors = new double[actual.length];
			for (int i = 0; i < actual.length; i++) {
				errors[i] = Math.abs(actual[i] - guessed[i]);
			}
			Arrays.sort(errors);
			int middle = errors.length / 2;
			return (errors.length % 2 == 1) ? errors[middle] : (errors[middle - 1] + errors[middle]) / 2;
		});
	}

	/**
	 * A fraction, not a percentage: 0.25 means 25%, as in scikit-learn.
	 */
	static double meanAbsolutePercentageError(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averageOverColumns(truth, predicted, (actual, guessed) -> {
			double sum = 0;
			for (int i = 0; i < actual.length; i++) {
				sum += Math.abs(actual[i] - guessed[i]) / Math.max(Math.abs(actual[i]), FLOAT64_EPS);
			}
			return sum / actual.length;
		});
	}

	/**
	 * With scikit-learn's {@code force_finite=True}: a constant truth column scores 1.0
	 * when predicted exactly and 0.0 otherwise. Constancy is tested on the values
	 * themselves rather than on a zero sum of squares, which rounding in the mean can
	 * make tiny but non-zero.
	 */
	static double r2(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		if (truth.size() < 2) {
			throw new ScoringException("r2_score is not well-defined with fewer than two rows.");
		}
		return averageOverColumns(truth, predicted, (actual, guessed) -> {
			double mean = 0;
			for (double value : actual) {
				mean += value;
			}
			mean /= actual.length;
			double residual = 0;
			double total = 0;
			boolean constant = true;
			for (int i = 0; i < actual.length; i++) {
				residual += (actual[i] - guessed[i]) * (actual[i] - guessed[i]);
				total += (actual[i] - mean) * (actual[i] - mean);
				constant &= actual[i] == actual[0];
			}
			if (constant) {
				return (residual == 0) ? 1.0 : 0.0;
			}
			return 1 - residual / total;
		});
	}

	private static double meanSquaredError(double[] actual, double[] guessed) {
		double sum = 0;
		for (int i = 0; i < actual.length; i++) {
			sum += (actual[i] - guessed[i]) * (actual[i] - guessed[i]);
		}
		return sum / actual.length;
	}

	private static double averageOverColumns(List<String[]> truth, List<String[]> predicted, ColumnScore score) {
		int columns = truth.get(0).length;
		double sum = 0;
		for (int column = 0; column < columns; column++) {
			sum += score.apply(TargetValues.numbers(truth, column, "solution"),
					TargetValues.numbers(predicted, column, "predicted"));
		}
		return sum / columns;
	}

	@FunctionalInterface
	private interface ColumnScore {

		double apply(double[] actual, double[] guessed);

	}

}
