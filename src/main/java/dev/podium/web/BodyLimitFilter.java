package dev.podium.web;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.problem.BodyTooLargeException;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts every request's body behind a {@link BoundedRequest}, before anything (a filter, a
 * controller) can read it. The limit is the JSON one until {@link BodyLimitInterceptor}
 * sets the one of the handler the request goes to. A body found too large outside a
 * controller, where no exception handler answers, is answered here.
 */
class BodyLimitFilter extends OncePerRequestFilter {

	private final BodyLimitProperties limits;

	private final JsonMapper json;

	BodyLimitFilter(BodyLimitProperties limits, JsonMapper json) {
		this.limits = limits;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(new BoundedRequest(request, this.limits.json().toBytes()), response);
		}
		catch (BodyTooLargeException ex) {
			if (response.isCommitted()) {
				throw ex;
			}
			ProblemDetail problem = ex.getBody();
			problem.setInstance(URI.create(request.getRequestURI()));
			response.resetBuffer();
			response.setStatus(ex.getStatusCode().value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			this.json.writeValue(response.getOutputStream(), problem);
		}
	}

}
