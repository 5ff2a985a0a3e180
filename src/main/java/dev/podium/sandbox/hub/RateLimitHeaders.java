package dev.podium.sandbox.hub;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The rate-limit headers of one answer (IETF draft "RateLimit header fields", version 9,
 * as the Hub sends them): {@code RateLimit: "api";r=0;t=42},
 * {@code RateLimit-Policy: "fixed window";"api";q=1000;w=300} and {@code Retry-After}.
 * Any part may be missing; unreadable parts count as missing.
 * <p>
 * The Hub sends the {@code api} bucket's headers on every answer, 429s of other limits
 * included: a 429 with {@code r>0} is a per-action limit (repository creation), and its
 * {@code t} says nothing about that limit. Only {@code r=0} makes {@code t} the time to
 * wait, as the official client reads it.
 *
 * @param bucket the quoted name of the {@code RateLimit} item ({@code api}); {@code null}
 * without the header
 * @param remaining {@code r}: requests left in the window
 * @param reset {@code t}: time until the window resets
 * @param quota {@code q}: requests per window
 * @param window {@code w}: the window's length
 * @param retryAfter {@code Retry-After}, in seconds or as an HTTP date
 */
record RateLimitHeaders(String bucket, Integer remaining, Duration reset, Integer quota, Duration window,
		Duration retryAfter) {

	private static final String API = "api";

	static RateLimitHeaders of(HubResponse response, Instant now) {
		String limitField = response.header("RateLimit");
		Map<String, String> limit = parameters(limitField);
		Map<String, String> policy = parameters(response.header("RateLimit-Policy"));
		return new RateLimitHeaders(limit.get(""), integer(limit.get("r")), seconds(limit.get("t")),
				integer(policy.get("q")), seconds(policy.get("w")), retryAfter(response.header("Retry-After"), now));
	}

	/** Whether the answer described the {@code api} bucket. */
	boolean describesApiBucket() {
		return API.equals(this.bucket) && this.remaining != null;
	}

	/** The {@code api} bucket is empty: {@code t} is when it refills. */
	boolean apiBucketEmpty() {
		return describesApiBucket() && this.remaining == 0 && this.reset != null;
	}

	/**
	 * The parameters of the {@code api} item of a structured-field list, or of its first
	 * item when none is named so; the item's name under the key {@code ""}.
	 */
	private static Map<String, String> parameters(String field) {
		Map<String, String> parameters = new HashMap<>();
		if (field == null || field.isBlank()) {
			return parameters;
		}
		String[] items = field.split(",");
		String chosen = items[0];
		for (String item : items) {
			if (item.contains("\"" + API + "\"")) {
				chosen = item;
				break;
			}
		}
		for (String part : chosen.split(";")) {
			String token = part.trim();
			int equals = token.indexOf('=');
			if (equals > 0) {
				parameters.put(token.substring(0, equals).trim(), token.substring(equals + 1).trim());
			}
			else if (token.startsWith("\"") && token.endsWith("\"") && token.length() > 1) {
				// the policy's first item is its kind ("fixed window"): keep the last
				// name
				parameters.put("", token.substring(1, token.length() - 1));
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
