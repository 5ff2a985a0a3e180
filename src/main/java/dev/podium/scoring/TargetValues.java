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

	static List<Label> labels(List<String[]> rows, int column) {
		List<Label> labels = new ArrayList<>(rows.size());
		for (String[] row : rows) {
			labels.add(Label.of(row[column]));
		}
		return labels;
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
