package dev.podium.scoring;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Metrics on predicted class labels, as scikit-learn computes them. Precision, recall and
 * F1 take scikit-learn's {@code average} (by default {@code 'binary'}: the score of the
 * positive label alone, which needs at most two labels) and {@code pos_label} (by default
 * 1); a label that is never predicted (or never true) scores 0, which is what
 * scikit-learn's default {@code zero_division='warn'} returns.
 */
final class LabelMetrics {

	private LabelMetrics() {
	}

	/**
	 * With several target columns this is subset accuracy over 0/1 indicator columns: the
	 * whole row must match.
	 */
	static double accuracy(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		String metric = "accuracy_score";
		long matches = 0;
		int columns = truth.get(0).length;
		if (columns == 1) {
			TargetValues.Labels labels = TargetValues.labels(metric, truth, predicted);
			for (int row = 0; row < truth.size(); row++) {
				matches += labels.truth().get(row).equals(labels.predicted().get(row)) ? 1 : 0;
			}
			return (double) matches / truth.size();
		}
		boolean[][] actual = new boolean[columns][];
		boolean[][] guessed = new boolean[columns][];
		for (int column = 0; column < columns; column++) {
			actual[column] = TargetValues.indicators(truth, column, metric, "solution");
			guessed[column] = TargetValues.indicators(predicted, column, metric, "predicted");
		}
		for (int row = 0; row < truth.size(); row++) {
			boolean match = true;
			for (int column = 0; column < columns && match; column++) {
				match = actual[column][row] == guessed[column][row];
			}
			matches += match ? 1 : 0;
		}
		return (double) matches / truth.size();
	}

	/**
	 * The mean recall of the classes present in the truth; a class only ever predicted
	 * has no recall and is left out, as scikit-learn does after warning.
	 */
	static double balancedAccuracy(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		ConfusionMatrix matrix = matrix("balanced_accuracy_score", truth, predicted);
		double sum = 0;
		int classes = 0;
		for (int i = 0; i < matrix.size(); i++) {
			long support = matrix.trueCount(i);
			if (support > 0) {
				sum += (double) matrix.count(i, i) / support;
				classes++;
			}
		}
		return sum / classes;
	}

	static double precision(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averaged("precision_score", truth, predicted, arguments, Counts::precision);
	}

	static double recall(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averaged("recall_score", truth, predicted, arguments, Counts::recall);
	}

	static double f1(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		return averaged("f1_score", truth, predicted, arguments, Counts::f1);
	}

	/**
	 * The multiclass form (Gorodkin's R_K) that scikit-learn uses for binary labels too,
	 * 0 when either the truth or the predictions hold a single class.
	 */
	static double matthewsCorrelation(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		ConfusionMatrix matrix = matrix("matthews_corrcoef", truth, predicted);
		double samples = matrix.total();
		double correct = 0;
		double truePredicted = 0;
		double predictedSquares = 0;
		double trueSquares = 0;
		for (int i = 0; i < matrix.size(); i++) {
			double trueCount = matrix.trueCount(i);
			double predictedCount = matrix.predictedCount(i);
			correct += matrix.count(i, i);
			truePredicted += trueCount * predictedCount;
			predictedSquares += predictedCount * predictedCount;
			trueSquares += trueCount * trueCount;
		}
		double covarianceTruePredicted = correct * samples - truePredicted;
		double covariancePredicted = samples * samples - predictedSquares;
		double covarianceTrue = samples * samples - trueSquares;
		if (covariancePredicted * covarianceTrue == 0) {
			return 0.0;
		}
		return covarianceTruePredicted / Math.sqrt(covarianceTrue * covariancePredicted);
	}

	/**
	 * Unweighted kappa. Where scikit-learn returns NaN (truth and predictions are one and
	 * the same single class, so chance agreement is total) this throws instead, as a
	 * leaderboard cannot rank NaN.
	 */
	static double cohenKappa(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		ConfusionMatrix matrix = matrix("cohen_kappa_score", truth, predicted);
		double samples = matrix.total();
		double observedDisagreement = 0;
		double expectedDisagreement = 0;
		for (int i = 0; i < matrix.size(); i++) {
			for (int j = 0; j < matrix.size(); j++) {
				if (i != j) {
					observedDisagreement += matrix.count(i, j);
					expectedDisagreement += (double) matrix.predictedCount(i) * matrix.trueCount(j) / samples;
				}
			}
		}
		if (expectedDisagreement == 0) {
			throw new ScoringException(
					"cohen_kappa_score is undefined when the truth and the predictions hold one and the same single class.");
		}
		return 1 - observedDisagreement / expectedDisagreement;
	}

	private static ConfusionMatrix matrix(String metric, List<String[]> truth, List<String[]> predicted) {
		TargetValues.requireOneColumn(metric, truth);
		TargetValues.Labels labels = TargetValues.labels(metric, truth, predicted);
		return ConfusionMatrix.of(labels.truth(), labels.predicted());
	}

	/**
	 * One column: one-vs-rest counts for each label in the union of true and predicted
	 * labels. Several columns: scikit-learn's multilabel indicator format, one 0/1 column
	 * per label, where {@code average='samples'} scores each row on its own.
	 */
	private static double averaged(String metric, List<String[]> truth, List<String[]> predicted, Arguments arguments,
			ToDoubleFunction<Counts> score) {
		String average = arguments.averageOr("binary");
		int columns = truth.get(0).length;
		Counts[] perLabel;
		if (columns == 1) {
			if (average.equals("samples")) {
				throw new ScoringException(metric + " with average='samples' needs several 0/1 target columns "
						+ "(multilabel); the solution has one.");
			}
			ConfusionMatrix matrix = matrix(metric, truth, predicted);
			if (average.equals("binary")) {
				return score.applyAsDouble(positiveCounts(metric, matrix, arguments.posLabelOr(Arguments.ONE)));
			}
			perLabel = new Counts[matrix.size()];
			for (int i = 0; i < perLabel.length; i++) {
				perLabel[i] = Counts.of(matrix, i);
			}
		}
		else {
			if (average.equals("binary")) {
				throw new ScoringException(metric + " is binary by default (scikit-learn's average='binary'), but "
						+ "the solution has " + columns + " target columns (multilabel); choose an average, e.g. "
						+ metric + "(average='macro').");
			}
			boolean[][] actual = new boolean[columns][];
			boolean[][] guessed = new boolean[columns][];
			for (int column = 0; column < columns; column++) {
				actual[column] = TargetValues.indicators(truth, column, metric, "solution");
				guessed[column] = TargetValues.indicators(predicted, column, metric, "predicted");
			}
			if (average.equals("samples")) {
				double sum = 0;
				for (int row = 0; row < truth.size(); row++) {
					Counts counts = Counts.NONE;
					for (int column = 0; column < columns; column++) {
						counts = counts.plus(Counts.of(actual[column][row], guessed[column][row]));
					}
					sum += score.applyAsDouble(counts);
				}
				return sum / truth.size();
			}
			perLabel = new Counts[columns];
			for (int column = 0; column < columns; column++) {
				Counts counts = Counts.NONE;
				for (int row = 0; row < truth.size(); row++) {
					counts = counts.plus(Counts.of(actual[column][row], guessed[column][row]));
				}
				perLabel[column] = counts;
			}
		}
		return combine(average, perLabel, score);
	}

	/**
	 * The counts of the positive label, which binary averaging needs to be one of at most
	 * two labels; when the rows hold a single other label it has no rows and scores 0.
	 */
	private static Counts positiveCounts(String metric, ConfusionMatrix matrix, Label positive) {
		if (matrix.size() > 2) {
			throw new ScoringException(metric + " is binary by default (scikit-learn's average='binary'), but the "
					+ "truth and predictions hold " + matrix.size() + " labels ("
					+ TargetValues.quotedLabels(matrix.labels(), 5) + "); choose an average, e.g. " + metric
					+ "(average='macro').");
		}
		int index = matrix.indexOf(positive);
		if (index < 0 && matrix.size() == 2) {
			throw new ScoringException(metric + " scores the positive label " + Excerpt.quoted(positive.text())
					+ " (pos_label), which is not one of the labels " + TargetValues.quotedLabels(matrix.labels(), 5)
					+ "; name it, e.g. " + metric + "(pos_label='" + matrix.labels().get(1).text() + "').");
		}
		return (index < 0) ? Counts.NONE : Counts.of(matrix, index);
	}

	private static double combine(String average, Counts[] perLabel, ToDoubleFunction<Counts> score) {
		switch (average) {
			case "micro" -> {
				Counts total = Counts.NONE;
				for (Counts counts : perLabel) {
					total = total.plus(counts);
				}
				return score.applyAsDouble(total);
			}
			case "weighted" -> {
				double sum = 0;
				long support = 0;
				for (Counts counts : perLabel) {
					sum += score.applyAsDouble(counts) * counts.support();
					support += counts.support();
				}
				return (support == 0) ? 0.0 : sum / support;
			}
			default -> {
				double sum = 0;
				for (Counts counts : perLabel) {
					sum += score.applyAsDouble(counts);
				}
				return sum / perLabel.length;
			}
		}
	}

	/**
	 * One label's counts; every ratio with a zero denominator is 0 (scikit-learn's
	 * {@code zero_division} default).
	 */
	private record Counts(long truePositives, long falsePositives, long falseNegatives) {

		static final Counts NONE = new Counts(0, 0, 0);

		static Counts of(ConfusionMatrix matrix, int label) {
			long truePositives = matrix.count(label, label);
			return new Counts(truePositives, matrix.predictedCount(label) - truePositives,
					matrix.trueCount(label) - truePositives);
		}

		static Counts of(boolean actual, boolean guessed) {
			return new Counts((actual && guessed) ? 1 : 0, (!actual && guessed) ? 1 : 0, (actual && !guessed) ? 1 : 0);
		}

		Counts plus(Counts other) {
			return new Counts(this.truePositives + other.truePositives, this.falsePositives + other.falsePositives,
					this.falseNegatives + other.falseNegatives);
		}

		long support() {
			return this.truePositives + this.falseNegatives;
		}

		double precision() {
			return ratio(this.truePositives, this.truePositives + this.falsePositives);
		}

		double recall() {
			return ratio(this.truePositives, this.truePositives + this.falseNegatives);
		}

		double f1() {
			return ratio(2 * this.truePositives, 2 * this.truePositives + this.falsePositives + this.falseNegatives);
		}

		private static double ratio(long numerator, long denominator) {
			return (denominator == 0) ? 0.0 : (double) numerator / denominator;
		}

	}

}
