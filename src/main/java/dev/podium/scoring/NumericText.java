package dev.podium.scoring;

import java.util.OptionalDouble;

/**
 * Reads a cell as a finite decimal number: an optional sign, digits with an optional
 * decimal point, and an optional exponent. Stricter than {@link Double#parseDouble},
 * which also takes hexadecimal, {@code NaN}, {@code Infinity} and a trailing {@code d} or
 * {@code f} that no CSV writer means as a number. Scanned by hand rather than with a
 * regular expression because it runs on every cell of large files.
 */
final class NumericText {

	private NumericText() {
	}

	static OptionalDouble parse(String text) {
		String number = text.strip();
		int length = number.length();
		int i = skipSign(number, 0);
		int integerDigits = countDigits(number, i);
		i += integerDigits;
		int fractionDigits = 0;
		if (i < length && number.charAt(i) == '.') {
			fractionDigits = countDigits(number, i + 1);
			i += 1 + fractionDigits;
		}
		if (integerDigits + fractionDigits == 0) {
			return OptionalDouble.empty();
		}
		if (i < length && (number.charAt(i) == 'e' || number.charAt(i) == 'E')) {
			i = skipSign(number, i + 1);
			int exponentDigits = countDigits(number, i);
			if (exponentDigits == 0) {
				return OptionalDouble.empty();
			}
			i += exponentDigits;
		}
		if (i != length) {
			return OptionalDouble.empty();
		}
		double value = Double.parseDouble(number);
		return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
	}

	private static int skipSign(String text, int at) {
		return (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) ? at + 1 : at;
	}

	private static int countDigits(String text, int from) {
		int at = from;
		while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
			at++;
		}
		return at - from;
	}

}
