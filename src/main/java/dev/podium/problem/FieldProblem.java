package dev.podium.problem;

/**
 * One offending field of a rejected request, named by its path in the request body (e.g.
 * {@code tasks[0].metric}).
 */
public record FieldProblem(String field, String message) {
}
