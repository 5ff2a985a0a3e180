package dev.podium.scoring;

/**
 * A class label as classification metrics compare it: trimmed text, except that labels
 * that read as numbers compare as numbers, so {@code "1"} equals {@code "1.0"}. Numbers
 * sort before text, numbers by value and text by code point, which is how NumPy orders
 * the labels of a column once scikit-learn has them.
 */
sealed interface Label extends Comparable<Label> permits Label.Numeric, Label.Text {

	static Label of(String value) {
		String stripped = value.strip();
		var number = NumericText.parse(stripped);
		// Adding 0.0 turns -0.0 into 0.0 so that "-0" and "0" are the same label.
		return number.isPresent() ? new Numeric(number.getAsDouble() + 0.0, stripped) : new Text(stripped);
	}

	/**
	 * How the label was first written, for messages.
	 */
	String text();

	@Override
	default int compareTo(Label other) {
		if (this instanceof Numeric left && other instanceof Numeric right) {
			return Double.compare(left.value(), right.value());
		}
		if (this instanceof Text left && other instanceof Text right) {
			return compareCodePoints(left.text(), right.text());
		}
		return (this instanceof Numeric) ? -1 : 1;
	}

	private static int compareCodePoints(String left, String right) {
		int i = 0;
		int j = 0;
		while (i < left.length() && j < right.length()) {
			int a = left.codePointAt(i);
			int b = right.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Boolean.compare(i < left.length(), j < right.length());
	}

	record Numeric(double value, String text) implements Label {

		@Override
		public boolean equals(Object other) {
			return other instanceof Numeric numeric && numeric.value == this.value;
		}

		@Override
		public int hashCode() {
			return Double.hashCode(this.value);
		}

	}

	record Text(String text) implements Label {

	}

}
