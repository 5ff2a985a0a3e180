package dev.podium.scoring;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Quotes a value for a message shown to a participant: messages stay on one line and
 * short even when a cell holds a whole document.
 */
final class Excerpt {

	static final int MAX_CODE_POINTS = 40;

	private Excerpt() {
	}

	static String quoted(String value) {
		return "'" + shortened(value) + "'";
	}

	/**
	 * Quotes the first {@code few} values, separated by commas, noting how many were left
	 * out.
	 */
	static String quotedList(Collection<String> values, int few) {
		String listed = values.stream().limit(few).map(Excerpt::quoted).collect(Collectors.joining(", "));
		int leftOut = values.size() - few;
		return (leftOut > 0) ? listed + " and " + leftOut + " more" : listed;
	}

	private static String shortened(String value) {
		String text = (value.codePointCount(0, value.length()) > MAX_CODE_POINTS)
				? value.substring(0, value.offsetByCodePoints(0, MAX_CODE_POINTS)) + "..." : value;
		StringBuilder printable = new StringBuilder(text.length());
		text.codePoints().forEach((codePoint) -> {
			switch (codePoint) {
				case '\n' -> printable.append("\\n");
				case '\r' -> printable.append("\\r");
				case '\t' -> printable.append("\\t");
				default -> {
					if (Character.isISOControl(codePoint)) {
						printable.append('?');
					}
					else {
						printable.appendCodePoint(codePoint);
					}
				}
			}
		});
		return printable.toString();
	}

}
