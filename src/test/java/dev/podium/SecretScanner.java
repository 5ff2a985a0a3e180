package dev.podium;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in log lines: every known secret as written, and anything shaped like a
 * token Podium generates ({@code pod_}, {@code sbx_}), a webhook secret ({@code whsec_})
 * or a Hugging Face token ({@code hf_}), known to the run or not.
 */
final class SecretScanner {

	static final List<Pattern> SHAPES = List.of(Pattern.compile("\\b(?:pod|sbx)_[A-Za-z0-9_-]{43}"),
			Pattern.compile("\\bwhsec_[A-Za-z0-9+/=]{16,}"), Pattern.compile("\\bhf_[A-Za-z0-9]{16,}"));

	private final Supplier<Set<String>> secrets;

	SecretScanner(Supplier<Set<String>> secrets) {
		this.secrets = secrets;
	}

	/** One finding per line that holds a secret, the secret masked. */
	List<String> scan(List<String> lines) {
		Set<String> known = this.secrets.get();
		List<String> findings = new ArrayList<>();
		for (String line : lines) {
			String found = null;
			for (String secret : known) {
				if (line.contains(secret)) {
					found = secret;
					break;
				}
			}
			for (int i = 0; found == null && i < SHAPES.size(); i++) {
				Matcher matcher = SHAPES.get(i).matcher(line);
				if (matcher.find()) {
					found = matcher.group();
				}
			}
			if (found != null) {
				findings.add(mask(found) + " in: " + firstLine(line.replace(found, mask(found))));
			}
		}
		return findings;
	}

	/** Enough of a secret to recognise it, not to use it. */
	static String mask(String secret) {
		return secret.substring(0, Math.min(6, secret.length() / 3)) + "…(" + secret.length() + " chars)";
	}

	private static String firstLine(String line) {
		int end = line.indexOf('\n');
		String first = (end < 0) ? line : line.substring(0, end) + " …";
		return (first.length() > 400) ? first.substring(0, 400) + " …" : first;
	}

}
