package dev.podium.scoring;

import java.util.Optional;

/**
 * Reads a metric spec the way Python reads a call: a scikit-learn function name, then
 * optionally keyword arguments in parentheses whose values are quoted text or numbers,
 * e.g. {@code f1_score(average='weighted')} or {@code precision_score(pos_label='spam')}.
 * Only {@code average} and {@code pos_label} exist; which metric takes which is for
 * {@link Metrics} to say.
 *
 * @param function the function name
 * @param arguments the keyword arguments given
 */
record MetricSpec(String function, Arguments arguments) {

	static Optional<MetricSpec> parse(String spec) {
		String text = spec.strip();
		int open = text.indexOf('(');
		if (open < 0) {
			return Optional.of(new MetricSpec(text, Arguments.NONE));
		}
		if (!text.endsWith(")")) {
			return Optional.empty();
		}
		String function = text.substring(0, open).strip();
		String body = text.substring(open + 1, text.length() - 1).strip();
		String average = null;
		Label posLabel = null;
		while (!body.isEmpty()) {
			int equals = body.indexOf('=');
			if (equals < 0) {
				return Optional.empty();
			}
			String key = body.substring(0, equals).strip();
			String rest = body.substring(equals + 1).strip();
			String literal;
			Label value;
			if (rest.startsWith("'") || rest.startsWith("\"")) {
				int close = rest.indexOf(rest.charAt(0), 1);
				if (close < 0) {
					return Optional.empty();
				}
				literal = rest.substring(0, close + 1);
				value = new Label.Text(rest.substring(1, close));
			}
			else {
				int comma = rest.indexOf(',');
				literal = ((comma < 0) ? rest : rest.substring(0, comma)).strip();
				var number = NumericText.parse(literal);
				if (number.isEmpty()) {
					return Optional.empty();
				}
				value = Label.number(number.getAsDouble(), literal);
			}
			body = rest.substring(literal.length()).strip();
			if (body.startsWith(",")) {
				body = body.substring(1).strip();
				if (body.isEmpty()) {
					return Optional.empty();
				}
			}
			else if (!body.isEmpty()) {
				return Optional.empty();
			}
			if (key.equals("average") && average == null && value instanceof Label.Text word) {
				average = word.text();
			}
			else if (key.equals("pos_label") && posLabel == null) {
				posLabel = value;
			}
			else {
				return Optional.empty();
			}
		}
		return Optional.of(new MetricSpec(function, new Arguments(average, posLabel)));
	}

}
