package dev.podium.sandbox.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an answer that is not a success says, read the way the official client reads it:
 * the {@code X-Error-Code} and {@code X-Error-Message} headers, a JSON body's
 * {@code error} (a string or a list, with an OAuth-style {@code error_description}) or
 * {@code errors[].message}, and for the HTML pages that gateways answer with, their
 * title. Messages are shortened and any token is taken out.
 *
 * @param code {@code X-Error-Code} ({@code RepoNotFound}, {@code GatedRepo}, ...), or
 * {@code null}
 * @param message the Hub's explanation, or {@code null}
 */
record HubError(int status, String code, String message, String requestId) {

	static final String INVALID_CREDENTIALS = "Invalid credentials in Authorization header";

	static final String DISABLED = "Access to this resource is disabled.";

	private static final int MAX_MESSAGE_LENGTH = 300;

	private static final Pattern TITLE = Pattern.compile("<title>\\s*(.*?)\\s*</title>",
			Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

	private static final Pattern TAGS = Pattern.compile("<[^>]*>");

	/**
	 * @param secrets tokens that must not appear in the message
	 */
	static HubError of(HubResponse response, JsonMapper json, String... secrets) {
		String message = jsonMessage(response, json);
		String header = response.header("X-Error-Message");
		if (message == null) {
			message = header;
		}
		if (message == null && looksLikeHtml(response)) {
			message = htmlMessage(response);
		}
		if (message != null) {
			for (String secret : secrets) {
				if (secret != null && !secret.isEmpty()) {
					message = message.replace(secret, "[redacted]");
				}
			}
			message = message.strip();
			if (message.isEmpty()) {
				message = null;
			}
			else if (message.length() > MAX_MESSAGE_LENGTH) {
				message = message.substring(0, MAX_MESSAGE_LENGTH) + "...";
			}
		}
		return new HubError(response.status(), response.errorCode(), message, response.requestId());
	}

	/**
	 * The repository does not exist or the token may not see it. The Hub answers 401 for
	 * a private repo the token cannot see, as the official client knows, except when the
	 * token itself is invalid.
	 */
	boolean isRepoNotFound() {
		if ("RepoNotFound".equals(this.code)) {
			return true;
		}
		if (this.code != null) {
			return false;
		}
		return this.status == 404 || (this.status == 401 && !isInvalidCredentials());
	}

	boolean isRevisionNotFound() {
		return "RevisionNotFound".equals(this.code);
	}

	boolean isGated() {
		return "GatedRepo".equals(this.code);
	}

	boolean isDisabled() {
		return DISABLED.equals(this.message);
	}

	/** A failure on the Hub's side that spent every attempt: try again later. */
	boolean isTransient() {
		return this.status == 408 || this.status == 429 || this.status >= 500;
	}

	boolean isInvalidCredentials() {
		return this.status == 401 && this.message != null && this.message.startsWith(INVALID_CREDENTIALS);
	}

	Refused refused() {
		return new Refused(this.status, this.code, this.message);
	}

	/** For logs and reasons: status, code, message and the request id to quote to HF. */
	String describe(String kind) {
		return "the Hub answered " + kind + " with " + this.status + ((this.code != null) ? " (" + this.code + ")" : "")
				+ ((this.message != null) ? ": " + this.message : "")
				+ ((this.requestId != null) ? " [X-Request-Id " + this.requestId + "]" : "");
	}

	private static String jsonMessage(HubResponse response, JsonMapper json) {
		if (response.body().length == 0 || looksLikeHtml(response)) {
			return null;
		}
		JsonNode body;
		try {
			body = json.readTree(response.body());
		}
		catch (JacksonException ex) {
			return null;
		}
		if (body == null || !body.isObject()) {
			return null;
		}
		List<String> parts = new ArrayList<>();
		JsonNode error = body.get("error");
		JsonNode description = body.get("error_description");
		if (error != null && error.isArray()) {
			error.forEach((item) -> parts.add(item.asString()));
		}
		else if (error != null && !error.isNull()) {
			parts.add(error.asString()
					+ ((description != null && !description.isNull()) ? ": " + description.asString() : ""));
		}
		else if (description != null && !description.isNull()) {
			parts.add(description.asString());
		}
		JsonNode errors = body.get("errors");
		if (errors != null && errors.isArray()) {
			errors.forEach((item) -> {
				if (item.hasNonNull("message")) {
					parts.add(item.get("message").asString());
				}
			});
		}
		return parts.isEmpty() ? null : String.join("; ", parts);
	}

	private static boolean looksLikeHtml(HubResponse response) {
		String type = response.header("Content-Type");
		if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
			return true;
		}
		String start = response.text().stripLeading();
		return start.startsWith("<");
	}

	private static String htmlMessage(HubResponse response) {
		String page = response.text();
		Matcher title = TITLE.matcher(page);
		String text = title.find() ? title.group(1) : TAGS.matcher(page).replaceAll(" ");
		text = text.replaceAll("\\s+", " ").strip();
		return "an HTML page" + (text.isEmpty() ? "" : ": " + text) + " (a gateway error, not the Hub's API)";
	}

}
