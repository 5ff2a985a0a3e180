package dev.podium.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one target column out of joined rows as the kind of values a metric works on.
 * {@code whose} names where the values came from ("solution" or "predicted") so that a
 * failure says whose file to fix.
 */
final class TargetValues {

	private TargetValues() {
	}

	/**
	 * One column as class labels, typed as a whole (see {@link Label}).
	 * @throws ScoringException when a value is NaN or infinite (a missing value to
	 * scikit-learn), or when the column holds numbers that are not whole, which
	 * scikit-learn reads as a continuous target rather than classes
	 */
	static List<Label> labels(List<String[]> rows, int column, String metric, String whose) {
		boolean numbers = true;
		for (String[] row : rows) {
			String value = row[column];
			if (NumericText.isNonFinite(value)) {
				throw new ScoringException(metric + " needs a class label on every row; the " + whose + " value "
						+ Excerpt.quoted(value.strip()) + " reads as a missing or infinite number.");
			}
			numbers &= NumericText.parse(value).isPresent();
		}
		List<Label> labels = new ArrayList<>(rows.size());
		for (String[] row : rows) {
			String value = row[column].strip();
			if (numbers) {
				double number = NumericText.parse(value).getAsDouble();
				if (number != Math.rint(number)) {
					throw new ScoringException(metric + " needs class labels, but the " + whose + " value "
							+ Excerpt.quoted(value)
							+ " is a number with a fraction, which makes the column continuous values, not classes.");
				}
				labels.add(Label.number(number, value));
			}
			else {
				labels.add(new Label.Text(value));
			}
		}
		return labels;
	}

	/**
	 * The true and predicted labels of a one-column task, which must be of one kind: a
	 * column of numbers never matches a column of text, and scikit-learn refuses to mix
	 * them.
	 */
	static Labels labels(String metric, List<String[]> truth, List<String[]> predicted) {
		List<Label> actual = labels(truth, 0, metric, "solution");
		List<Label> guessed = labels(predicted, 0, metric, "predicted");
		Label first = actual.get(0);
		Label other = guessed.get(0);
		if (first.getClass() != other.getClass()) {
			boolean textTruth = first instanceof Label.Text;
			throw new ScoringException(metric + " compares labels of one kind, but the solution's labels are "
					+ (textTruth ? "text" : "numbers") + " (e.g. " + Excerpt.quoted(example(actual))
					+ ") and the predicted labels are " + (textTruth ? "numbers" : "text") + " (e.g. "
					+ Excerpt.quoted(example(guessed)) + ").");
		}
		return new Labels(actual, guessed);
	}

	/**
	 * A label that shows the column's kind: in a column of text, one that is not a
	 * number.
	 */
	private static String example(List<Label> labels) {
		return labels.stream()
			.filter((label) -> label instanceof Label.Numeric || NumericText.parse(label.text()).isEmpty())
			.findFirst()
			.orElse(labels.get(0))
			.text();
	}

	record Labels(List<Label> truth, List<Label> predicted) {
	}

	static double[] numbers(List<String[]> rows, int column, String whose) {
		double[] numbers = new double[rows.size()];
		for (int i = 0; i < numbers.length; i++) {
			String value = rows.get(i)[column];
			var number = NumericText.parse(value);
			if (number.isEmpty()) {
				throw new ScoringException(
						"The " + whose + " value " + Excerpt.quoted(value) + " is not a finite number.");
			}
			numbers[i] = number.getAsDouble();
		}
		return numbers;
	}

	/**
	 * Reads 0/1 values, the label indicator format scikit-learn needs for several
	 * columns.
	 */
	static boolean[] indicators(List<String[]> rows, int column, String metric, String whose) {
		boolean[] indicators = new boolean[rows.size()];
		for (int i = 0; i < indicators.length; i++) {
			String value = rows.get(i)[column];
			var number = NumericText.parse(value);
			if (number.isEmpty() || (number.getAsDouble() != 0 && number.getAsDouble() != 1)) {
				throw new ScoringException(metric + " with several target columns needs 0/1 values in each column; the "
						+ whose + " value " + Excerpt.quoted(value) + " is neither.");
			}
			indicators[i] = number.getAsDouble() == 1;
		}
		return indicators;
	}

	static void requireOneColumn(String metric, List<String[]> truth) {
		int columns = truth.get(0).length;
		if (columns != 1) {
			throw new ScoringException(
					metric + " needs exactly one target column, but the solution has " + columns + ".");
		}
	}

	static String quotedLabels(Iterable<Label> labels, int few) {
		List<String> texts = new ArrayList<>();
		labels.forEach((label) -> texts.add(label.text()));
		return Excerpt.quotedList(texts, few);
	}

}
