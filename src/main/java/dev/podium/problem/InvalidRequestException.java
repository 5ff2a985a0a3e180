package dev.podium.problem;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A request whose fields break rules that bean validation cannot express (cross-field and
 * cross-row rules). Leaves as 400 with every offending field listed.
 */
public class InvalidRequestException extends ProblemException {

	public InvalidRequestException(List<FieldProblem> errors) {
		super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
				"The request has " + errors.size() + " invalid field(s)");
		with("errors", List.copyOf(errors));
	}

	public InvalidRequestException(String field, String message) {
		this(List.of(new FieldProblem(field, message)));
	}

}
