package dev.podium.problem;

import org.springframework.http.HttpStatus;

/**
 * A request body over its limit: refused as 413, whether declared or found while reading.
 */
public class BodyTooLargeException extends ProblemException {

	public BodyTooLargeException(long limit) {
		super(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request too large",
				"The request body exceeds the %d bytes this operation accepts".formatted(limit));
		with("maxBytes", limit);
	}

}
