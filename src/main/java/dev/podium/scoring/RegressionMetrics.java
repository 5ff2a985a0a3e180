package dev.podium.scoring;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Metrics on predicted numbers, as scikit-learn computes them with default arguments.
 * With several target columns each column is scored alone and the scores are averaged
 * with equal weights ({@code multioutput='uniform_average'}). Sums run in the order
 * NumPy's run them (see {@link Summation}), so that scores agree to the last digits even
 * where rounding matters, as with large offsets and a small spread.
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
		return averageOverColumns(truth, predicted,
				(actual, guessed, summation) -> Math.sqrt(meanSquaredError(actual, guessed, summation)));
	}

	static double meanAbsoluteError(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averageOverColumns(truth, predicted, (actual, guessed,
				summation) -> summation.sum(actual.length, (i) -> Math.abs(actual[i] - guessed[i])) / actual.length);
	}

	static double medianAbsoluteError(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averageOverColumns(truth, predicted, (actual, guessed, summation) -> {
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
		return averageOverColumns(truth, predicted,
				(actual, guessed,
						summation) -> summation.sum(actual.length,
								(i) -> Math.abs(actual[i] - guessed[i]) / Math.max(Math.abs(actual[i]), FLOAT64_EPS))
								/ actual.length);
	}

	/**
	 * With scikit-learn's {@code force_finite=True}: a constant truth column scores 1.0
	 * when predicted exactly and 0.0 otherwise. Constancy is tested on the values
	 * themselves rather than on a zero sum of squares, which rounding in the mean can
	 * make tiny but non-zero: scikit-learn scores a truth of 0.1 three times, predicted
	 * as 0.2, about -5e31, where Podium says 0.0.
	 */
	static double r2(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		if (truth.size() < 2) {
			throw new ScoringException("r2_score is not well-defined with fewer than two rows.");
		}
		return averageOverColumns(truth, predicted, (actual, guessed, summation) -> {
			double mean = summation.sum(actual.length, (i) -> actual[i]) / actual.length;
			double residual = summation.sum(actual.length, (i) -> (actual[i] - guessed[i]) * (actual[i] - guessed[i]));
			double total = summation.sum(actual.length, (i) -> (actual[i] - mean) * (actual[i] - mean));
			boolean constant = true;
			for (double value : actual) {
				constant &= value == actual[0];
			}
			if (constant) {
				return (residual == 0) ? 1.0 : 0.0;
			}
			return 1 - residual / total;
		});
	}

	private static double meanSquaredError(double[] actual, double[] guessed, Summation summation) {
		return summation.sum(actual.length, (i) -> (actual[i] - guessed[i]) * (actual[i] - guessed[i])) / actual.length;
	}

	private static double averageOverColumns(List<String[]> truth, List<String[]> predicted, ColumnScore score) {
		int columns = truth.get(0).length;
		Summation summation = (columns == 1) ? Summation.PAIRWISE : Summation.SEQUENTIAL;
		double[] scores = new double[columns];
		for (int column = 0; column < columns; column++) {
			scores[column] = score.apply(TargetValues.numbers(truth, column, "solution"),
					TargetValues.numbers(predicted, column, "predicted"), summation);
		}
		// The columns' scores are one 1-D array to NumPy.
		return Summation.PAIRWISE.sum(columns, (column) -> scores[column]) / columns;
	}

	/**
	 * How NumPy adds up a column when scikit-learn reduces an array over its rows. One
	 * target column is an (n, 1) array, which NumPy sums pairwise; several columns are
	 * summed row after row, each column in sequence.
	 */
	enum Summation {

		/**
		 * NumPy's {@code pairwise_sum}: below 8 values a plain loop; up to 128, eight
		 * interleaved partial sums combined as a tree, then the remainder; above, two
		 * halves (the first a multiple of 8) summed alike.
		 */
		PAIRWISE {
			@Override
			double sum(int count, IntToDoubleFunction value) {
				return pairwise(0, count, value);
			}
		},

		SEQUENTIAL {
			@Override
			double sum(int count, IntToDoubleFunction value) {
				double sum = 0;
				for (int i = 0; i < count; i++) {
					sum += value.applyAsDouble(i);
				}
				return sum;
			}
		};

		private static final int BLOCK = 128;

		abstract double sum(int count, IntToDoubleFunction value);

		private static double pairwise(int from, int count, IntToDoubleFunction value) {
			if (count < 8) {
				double sum = 0;
				for (int i = from; i < from + count; i++) {
					sum += value.applyAsDouble(i);
				}
				return sum;
			}
			if (count <= BLOCK) {
				double[] partial = new double[8];
				for (int j = 0; j < 8; j++) {
					partial[j] = value.applyAsDouble(from + j);
				}
				int i = 8;
				for (; i < count - (count % 8); i += 8) {
					for (int j = 0; j < 8; j++) {
						partial[j] += value.applyAsDouble(from + i + j);
					}
				}
				double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
						+ ((partial[4] + partial[5]) + (partial[6] + partial[7]));
				for (; i < count; i++) {
					sum += value.applyAsDouble(from + i);
				}
				return sum;
			}
			int half = count / 2;
			half -= half % 8;
			return pairwise(from, half, value) + pairwise(from + half, count - half, value);
		}

	}

	@FunctionalInterface
	private interface ColumnScore {

		double apply(double[] actual, double[] guessed, Summation summation);

	}

}
