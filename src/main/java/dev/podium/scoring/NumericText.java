package dev.podium.scoring;

import java.util.Locale;
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
		if (!isDecimal(number)) {
			return OptionalDouble.empty();
		}
		double value = Double.parseDouble(number);
		return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
	}

	/**
	 * Whether the cell reads as a number that is not finite: {@code nan} or {@code inf}
	 * (in any case, signed or not, {@code infinity} too), or a decimal literal too large
	 * for a double such as {@code 1e400}. CSV readers that know numbers (pandas) read
	 * such cells as NaN or infinity, never as text, so no metric can take them as labels.
	 */
	static boolean isNonFinite(String text) {
		String word = text.strip().toLowerCase(Locale.ROOT);
		if (word.startsWith("+") || word.startsWith("-")) {
			word = word.substring(1);
		}
		if (word.equals("nan") || word.equals("inf") || word.equals("infinity")) {
			return true;
		}
		return parse(text).isEmpty() && isDecimal(text.strip());
	}

	private static boolean isDecimal(String number) {
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
			return false;
		}
		if (i < length && (number.charAt(i) == 'e' || number.charAt(i) == 'E')) {
			i = skipSign(number, i + 1);
			int exponentDigits = countDigits(number, i);
			if (exponentDigits == 0) {
				return false;
			}
			i += exponentDigits;
		}
		return i == length;
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
