package dev.podium.sandbox.hub;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;

/**
 * The rate-limit headers of one answer (IETF draft "RateLimit header fields"):
 * {@code RateLimit: "api";r=0;t=42},
 * {@code RateLimit-Policy: "fixed window";"api";q=1000;w=300} and {@code Retry-After}.
 * Any part may be missing; unreadable parts count as missing.
 *
 * @param remaining {@code r}: requests left in the window
 * @param reset {@code t}: time until the window resets
 * @param quota {@code q}: requests per window
 * @param window {@code w}: the window's length
 * @param retryAfter {@code Retry-After}, in seconds or as an HTTP date
 */
record RateLimitHeaders(Integer remaining, Duration reset, Integer quota, Duration window, Duration retryAfter) {

	private static final String BUCKET = "\"api\"";

	static RateLimitHeaders of(HttpHeaders headers, Instant now) {
		Map<String, String> limit = parameters(headers.getFirst("RateLimit"));
		Map<String, String> policy = parameters(headers.getFirst("RateLimit-Policy"));
		return new RateLimitHeaders(integer(limit.get("r")), seconds(limit.get("t")), integer(policy.get("q")),
				seconds(policy.get("w")), retryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER), now));
	}

	/**
	 * The parameters of the {@code api} item of a structured-field list, or of its only
	 * item when none is named so.
	 */
	private static Map<String, String> parameters(String field) {
		Map<String, String> parameters = new HashMap<>();
		if (field == null || field.isBlank()) {
			return parameters;
		}
		String[] items = field.split(",");
		String chosen = items[0];
		for (String item : items) {
			if (item.contains(BUCKET)) {
				chosen = item;
				break;
			}
		}
		for (String part : chosen.split(";")) {
			int equals = part.indexOf('=');
			if (equals > 0) {
				parameters.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim());
			}
		}
		return parameters;
	}

	private static Integer integer(String value) {
		if (value == null) {
			return null;
		}
		try {
			int parsed = Integer.parseInt(value);
			return (parsed >= 0) ? parsed : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static Duration seconds(String value) {
		Integer seconds = integer(value);
		return (seconds != null) ? Duration.ofSeconds(seconds) : null;
	}

	private static Duration retryAfter(String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Duration seconds = seconds(value.trim());
		if (seconds != null) {
			return seconds;
		}
		try {
			Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
