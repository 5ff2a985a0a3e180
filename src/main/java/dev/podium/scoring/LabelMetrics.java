package dev.podium.scoring;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Metrics on predicted class labels, as scikit-learn computes them with default
 * arguments. Precision, recall and F1 average over classes with {@code average='macro'},
 * and a class that is never predicted (or never true) scores 0, which is what
 * scikit-learn's default {@code zero_division='warn'} returns.
 */
final class LabelMetrics {

	private LabelMetrics() {
	}

	/**
	 * With several target columns this is subset accuracy: the whole row must match.
	 */
	static double accuracy(List<String[]> truth, List<String[]> predicted) {
		long matches = 0;
		for (int row = 0; row < truth.size(); row++) {
			boolean match = true;
			for (int column = 0; column < truth.get(row).length && match; column++) {
				match = Label.of(truth.get(row)[column]).equals(Label.of(predicted.get(row)[column]));
			}
			if (match) {
				matches++;
			}
		}
		return (double) matches / truth.size();
	}

	/**
	 * The mean recall of the classes present in the truth; a class only ever predicted
	 * has no recall and is left out, as scikit-learn does after warning.
	 */
	static double balancedAccuracy(List<String[]> truth, List<String[]> predicted) {
		TargetValues.requireOneColumn("balanced_accuracy_score", truth);
		ConfusionMatrix matrix = matrix(truth, predicted);
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

	static double precision(List<String[]> truth, List<String[]> predicted) {
		return macroAverage("precision_score", truth, predicted, Counts::precision);
	}

	static double recall(List<String[]> truth, List<String[]> predicted) {
		return macroAverage("recall_score", truth, predicted, Counts::recall);
	}

	static double f1(List<String[]> truth, List<String[]> predicted) {
		return macroAverage("f1_score", truth, predicted, Counts::f1);
	}

	/**
	 * The multiclass form (Gorodkin's R_K) that scikit-learn uses for binary labels too,
	 * 0 when either the truth or the predictions hold a single class.
	 */
	static double matthewsCorrelation(List<String[]> truth, List<String[]> predicted) {
		TargetValues.requireOneColumn("matthews_corrcoef", truth);
		ConfusionMatrix matrix = matrix(truth, predicted);
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
	static double cohenKappa(List<String[]> truth, List<String[]> predicted) {
		TargetValues.requireOneColumn("cohen_kappa_score", truth);
		ConfusionMatrix matrix = matrix(truth, predicted);
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

	private static ConfusionMatrix matrix(List<String[]> truth, List<String[]> predicted) {
		return ConfusionMatrix.of(TargetValues.labels(truth, 0), TargetValues.labels(predicted, 0));
	}

	/**
	 * One column: one-vs-rest counts for each label in the union of true and predicted
	 * labels. Several columns: scikit-learn's multilabel indicator format, one 0/1 column
	 * per label.
	 */
	private static double macroAverage(String metric, List<String[]> truth, List<String[]> predicted,
			ToDoubleFunction<Counts> score) {
		int columns = truth.get(0).length;
		double sum = 0;
		int labels;
		if (columns == 1) {
			ConfusionMatrix matrix = matrix(truth, predicted);
			labels = matrix.size();
			for (int i = 0; i < labels; i++) {
				long truePositives = matrix.count(i, i);
				sum += score.applyAsDouble(new Counts(truePositives, matrix.predictedCount(i) - truePositives,
						matrix.trueCount(i) - truePositives));
			}
		}
		else {
			labels = columns;
			for (int column = 0; column < columns; column++) {
				boolean[] actual = TargetValues.indicators(truth, column, metric, "solution");
				boolean[] guessed = TargetValues.indicators(predicted, column, metric, "predicted");
				long truePositives = 0;
				long falsePositives = 0;
				long falseNegatives = 0;
				for (int row = 0; row < actual.length; row++) {
					truePositives += (actual[row] && guessed[row]) ? 1 : 0;
					falsePositives += (!actual[row] && guessed[row]) ? 1 : 0;
					falseNegatives += (actual[row] && !guessed[row]) ? 1 : 0;
				}
				sum += score.applyAsDouble(new Counts(truePositives, falsePositives, falseNegatives));
			}
		}
		return sum / labels;
	}

	/**
	 * One label's counts; every ratio with a zero denominator is 0 (scikit-learn's
	 * {@code zero_division} default).
	 */
	private record Counts(long truePositives, long falsePositives, long falseNegatives) {

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
