package dev.podium.scoring;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Metrics on predicted scores and probabilities, as scikit-learn computes them. ROC AUC
 * and average precision rank rows by any real score (probabilities, decision-function
 * values, margins); only log loss needs probabilities. One target column is a binary
 * task: the truth holds at most two classes and the prediction scores the positive one.
 * Several target columns are one 0/1 column per class or label in the truth and one score
 * per column in the predictions, averaged as scikit-learn's {@code average} says
 * ({@code 'macro'} by default).
 */
final class ProbabilityMetrics {

	/**
	 * {@code np.finfo(np.float64).eps}: the clipping scikit-learn applies in log_loss
	 * since 1.2 ({@code eps='auto'}, the only behaviour once the parameter was removed in
	 * 1.5), in place of the older fixed 1e-15.
	 */
	static final double LOG_LOSS_EPS = Math.ulp(1.0);

	private static final int LABELS_NAMED = 5;

	private ProbabilityMetrics() {
	}

	/**
	 * The area under the ROC curve by the trapezoidal rule over distinct thresholds, so
	 * that tied scores count half. The positive class of one column is the greater label.
	 */
	static double rocAuc(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		String metric = "roc_auc_score";
		if (truth.get(0).length == 1) {
			List<Label> labels = TargetValues.labels(truth, 0, metric, "solution");
			TreeSet<Label> classes = binaryClasses(metric, labels);
			if (classes.size() == 1) {
				throw singleClass(metric, classes.first(), "");
			}
			return binaryRocAuc(positives(labels, classes.last()), TargetValues.numbers(predicted, 0, "predicted"));
		}
		return averageOverColumns(metric, truth, predicted, arguments.averageOr("macro"), (positive, scores, where) -> {
			if (allSame(positive)) {
				throw singleClass(metric, Label.of(positive[0] ? "1" : "0"), where);
			}
			return binaryRocAuc(positive, scores);
		});
	}

	/**
	 * The step-wise area under the precision-recall curve (no interpolation), as
	 * scikit-learn. The positive class of one column is {@code pos_label} (1 by default),
	 * which must be one of the labels when the truth holds two. A truth without positives
	 * scores 0 and one without negatives 1, as in scikit-learn.
	 */
	static double averagePrecision(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		String metric = "average_precision_score";
		Label positive = arguments.posLabelOr(Arguments.ONE);
		if (truth.get(0).length == 1) {
			List<Label> labels = TargetValues.labels(truth, 0, metric, "solution");
			TreeSet<Label> classes = binaryClasses(metric, labels);
			if (classes.first() instanceof Label.Numeric && positive instanceof Label.Text) {
				throw new ScoringException(metric + " scores the positive label " + Excerpt.quoted(positive.text())
						+ " (pos_label), which is text, but the solution's labels are numbers.");
			}
			if (classes.size() == 2 && !classes.contains(positive)) {
				throw new ScoringException(metric + " scores the positive label " + Excerpt.quoted(positive.text())
						+ " (pos_label), which is not one of the labels " + TargetValues.quotedLabels(classes, 2)
						+ "; name it, e.g. " + metric + "(pos_label='" + classes.last().text() + "').");
			}
			return binaryAveragePrecision(positives(labels, positive), TargetValues.numbers(predicted, 0, "predicted"));
		}
		if (!positive.equals(Arguments.ONE)) {
			throw new ScoringException(metric + " with several 0/1 target columns scores the 1s; pos_label cannot be "
					+ Excerpt.quoted(positive.text()) + ".");
		}
		return averageOverColumns(metric, truth, predicted, arguments.averageOr("macro"),
				(flags, scores, where) -> binaryAveragePrecision(flags, scores));
	}

	/**
	 * Several 0/1 columns, as scikit-learn's {@code _average_binary_score}: {@code macro}
	 * averages the columns' scores, {@code weighted} weighs them by their positives,
	 * {@code micro} scores all cells as one column and {@code samples} scores each row
	 * across the columns.
	 */
	private static double averageOverColumns(String metric, List<String[]> truth, List<String[]> predicted,
			String average, BinaryScore score) {
		int columns = truth.get(0).length;
		int rows = truth.size();
		boolean[][] actual = new boolean[columns][];
		double[][] scores = new double[columns][];
		for (int column = 0; column < columns; column++) {
			actual[column] = TargetValues.indicators(truth, column, metric, "solution");
			scores[column] = TargetValues.numbers(predicted, column, "predicted");
		}
		switch (average) {
			case "micro" -> {
				boolean[] allActual = new boolean[rows * columns];
				double[] allScores = new double[rows * columns];
				for (int row = 0; row < rows; row++) {
					for (int column = 0; column < columns; column++) {
						allActual[row * columns + column] = actual[column][row];
						allScores[row * columns + column] = scores[column][row];
					}
				}
				return score.apply(allActual, allScores, " over all target columns");
			}
			case "samples" -> {
				double sum = 0;
				for (int row = 0; row < rows; row++) {
					boolean[] rowActual = new boolean[columns];
					double[] rowScores = new double[columns];
					for (int column = 0; column < columns; column++) {
						rowActual[column] = actual[column][row];
						rowScores[column] = scores[column][row];
					}
					sum += score.apply(rowActual, rowScores, " on row " + (row + 1) + " (average='samples')");
				}
				return sum / rows;
			}
			case "weighted" -> {
				long total = 0;
				for (boolean[] column : actual) {
					total += count(column);
				}
				if (total == 0) {
					return 0.0;
				}
				double sum = 0;
				for (int column = 0; column < columns; column++) {
					sum += score.apply(actual[column], scores[column],
							" in target column " + (column + 1) + " of " + columns) * count(actual[column]);
				}
				return sum / total;
			}
			default -> {
				double sum = 0;
				for (int column = 0; column < columns; column++) {
					sum += score.apply(actual[column], scores[column],
							" in target column " + (column + 1) + " of " + columns);
				}
				return sum / columns;
			}
		}
	}

	@FunctionalInterface
	private interface BinaryScore {

		/**
		 * @param where where the rows come from, for messages
		 */
		double apply(boolean[] positive, double[] scores, String where);

	}

	/**
	 * Mean cross-entropy in nats. Probabilities are clipped to [eps, 1 - eps] with
	 * {@link #LOG_LOSS_EPS}, then each row is divided by its sum. scikit-learn
	 * renormalised rows up to 1.4; from 1.5 it only warns when rows do not sum to one.
	 * Renormalising keeps a submission of all ones from scoring a perfect 0, and changes
	 * nothing for rows that do sum to one.
	 */
	static double logLoss(List<String[]> truth, List<String[]> predicted, Arguments arguments) {
		String metric = "log_loss";
		double sum = 0;
		if (truth.get(0).length == 1) {
			List<Label> labels = TargetValues.labels(truth, 0, metric, "solution");
			TreeSet<Label> classes = binaryClasses(metric, labels);
			if (classes.size() == 1) {
				throw new ScoringException("log_loss is undefined when the truth holds a single class ("
						+ Excerpt.quoted(classes.first().text()) + ").");
			}
			boolean[] positive = positives(labels, classes.last());
			double[] probabilities = TargetValues.numbers(predicted, 0, "predicted");
			for (int row = 0; row < positive.length; row++) {
				double p = clip(probabilities[row]);
				double negative = 1 - p;
				double total = negative + p;
				sum -= Math.log((positive[row] ? p : negative) / total);
			}
			return sum / positive.length;
		}
		int columns = truth.get(0).length;
		boolean[][] actual = new boolean[columns][];
		double[][] probabilities = new double[columns][];
		for (int column = 0; column < columns; column++) {
			actual[column] = TargetValues.indicators(truth, column, metric, "solution");
			probabilities[column] = TargetValues.numbers(predicted, column, "predicted");
		}
		for (int row = 0; row < truth.size(); row++) {
			double total = 0;
			for (int column = 0; column < columns; column++) {
				total += clip(probabilities[column][row]);
			}
			for (int column = 0; column < columns; column++) {
				if (actual[column][row]) {
					sum -= Math.log(clip(probabilities[column][row]) / total);
				}
			}
		}
		return sum / truth.size();
	}

	private static double clip(double probability) {
		return Math.min(Math.max(probability, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
	}

	static double binaryRocAuc(boolean[] positive, double[] scores) {
		int[] order = descending(scores);
		long positives = count(positive);
		long negatives = positive.length - positives;
		double area = 0;
		double previousFalseRate = 0;
		double previousTrueRate = 0;
		long truePositives = 0;
		long falsePositives = 0;
		for (int k = 0; k < order.length; k++) {
			if (positive[order[k]]) {
				truePositives++;
			}
			else {
				falsePositives++;
			}
			if (k + 1 == order.length || scores[order[k + 1]] != scores[order[k]]) {
				double falseRate = (double) falsePositives / negatives;
				double trueRate = (double) truePositives / positives;
				area += (falseRate - previousFalseRate) * (trueRate + previousTrueRate) / 2;
				previousFalseRate = falseRate;
				previousTrueRate = trueRate;
			}
		}
		return area;
	}

	static double binaryAveragePrecision(boolean[] positive, double[] scores) {
		long positives = count(positive);
		if (positives == 0) {
			return 0.0;
		}
		int[] order = descending(scores);
		double precisionSum = 0;
		double previousRecall = 0;
		long truePositives = 0;
		long predictedPositives = 0;
		for (int k = 0; k < order.length; k++) {
			predictedPositives++;
			if (positive[order[k]]) {
				truePositives++;
			}
			if (k + 1 == order.length || scores[order[k + 1]] != scores[order[k]]) {
				double recall = (double) truePositives / positives;
				double precision = (double) truePositives / predictedPositives;
				precisionSum += (recall - previousRecall) * precision;
				previousRecall = recall;
			}
		}
		return precisionSum;
	}

	/**
	 * The classes of a one-column truth, which binary metrics need to be at most two.
	 */
	private static TreeSet<Label> binaryClasses(String metric, List<Label> truth) {
		TreeSet<Label> classes = new TreeSet<>(truth);
		if (classes.size() > 2) {
			throw new ScoringException(metric + " with one target column needs two classes in the truth, but it holds "
					+ classes.size() + " (" + TargetValues.quotedLabels(classes, LABELS_NAMED)
					+ "). For several classes, give the solution one 0/1 column per class and predict one score per column.");
		}
		return classes;
	}

	private static ScoringException singleClass(String metric, Label only, String where) {
		return new ScoringException(metric + " is undefined when the truth holds a single class" + where + " ("
				+ Excerpt.quoted(only.text()) + "): it needs both positive and negative rows.");
	}

	private static boolean[] positives(List<Label> labels, Label positiveClass) {
		boolean[] positive = new boolean[labels.size()];
		for (int i = 0; i < positive.length; i++) {
			positive[i] = labels.get(i).equals(positiveClass);
		}
		return positive;
	}

	private static int[] descending(double[] scores) {
		return IntStream.range(0, scores.length)
			.boxed()
			.sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
			.mapToInt(Integer::intValue)
			.toArray();
	}

	private static long count(boolean[] flags) {
		long count = 0;
		for (boolean flag : flags) {
			count += flag ? 1 : 0;
		}
		return count;
	}

	private static boolean allSame(boolean[] flags) {
		for (boolean flag : flags) {
			if (flag != flags[0]) {
				return false;
			}
		}
		return true;
	}

}
