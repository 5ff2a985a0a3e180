package dev.podium.scoring;

/**
 * A class label as classification metrics compare it. A column whose every value reads as
 * a number holds numbers, which compare by value, so {@code "1"} equals {@code "1.0"};
 * any other column holds text, which compares exactly, so there {@code "1"} and
 * {@code "1.0"} differ. That is how a CSV reader that knows numbers (pandas, as
 * huggingface/competitions uses) types a column before scikit-learn sees it. Numbers sort
 * by value and text by code point, as NumPy orders labels.
 */
sealed interface Label extends Comparable<Label> permits Label.Numeric, Label.Text {

	/**
	 * The label a lone value spells: a number when it reads as one, text otherwise.
	 */
	static Label of(String value) {
		String stripped = value.strip();
		var number = NumericText.parse(stripped);
		return number.isPresent() ? number(number.getAsDouble(), stripped) : new Text(stripped);
	}

	static Label number(double value, String text) {
		// Adding 0.0 turns -0.0 into 0.0 so that "-0" and "0" are the same label.
		return new Numeric(value + 0.0, text);
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
