package dev.podium.problem;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error that is part of Podium's API contract: it leaves as an RFC 9457 problem with a
 * stable {@code type} URI, a title, a detail safe to show, and optional extension
 * members.
 */
public class ProblemException extends ErrorResponseException {

	/** Every problem type URI starts with this, followed by the kind of problem. */
	public static final String TYPE_BASE = "https://podium.dev/problems/";

	private final HttpHeaders headers = new HttpHeaders();

	public ProblemException(HttpStatus status, String type, String title, String detail) {
		super(status, problem(status, type, title, detail), null);
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return problem;
	}

	/** Adds an extension member to the problem body. */
	public ProblemException with(String name, Object value) {
		getBody().setProperty(name, value);
		return this;
	}

	/** Adds extension members to the problem body. */
	public ProblemException with(Map<String, ?> properties) {
		properties.forEach(this::with);
		return this;
	}

	/** Adds a response header, e.g. {@code Retry-After}. */
	public ProblemException header(String name, String value) {
		this.headers.set(name, value);
		return this;
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.headers;
	}

	public static ProblemException notFound(String what) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " does not exist");
	}

	public static ProblemException conflict(String type, String detail) {
		return new ProblemException(HttpStatus.CONFLICT, type, "Conflict", detail);
	}

	public static ProblemException badRequest(String type, String detail) {
		return new ProblemException(HttpStatus.BAD_REQUEST, type, "Bad request", detail);
	}

}
