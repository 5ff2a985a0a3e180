package dev.podium.ratelimit;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.problem.ProblemException;
import dev.podium.security.ApiCallFilter;
import dev.podium.security.PodiumUser;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Charges every API call to its caller's bucket and tells the caller in the RateLimit
 * fields; a call beyond the bucket is answered 429 here, before any controller reads or
 * writes anything. Other RateLimit fields of an answer (the daily submission limit) join
 * this bucket's in one field, as the draft's lists allow.
 */
class RateLimitFilter extends OncePerRequestFilter implements ApiCallFilter {

	private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

	static final String POLICY_FIELD = "RateLimit-Policy";

	static final String STATE_FIELD = "RateLimit";

	private static final String SANDBOXES = "/api/sandboxes/";

	private final RequestRates rates;

	private final JsonMapper json;

	RateLimitFilter(RequestRates rates, JsonMapper json) {
		this.rates = rates;
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestRate rate;
		try {
			rate = this.rates.charge(callerOf(request));
		}
		catch (RuntimeException ex) {
			// the database is away: the call would fail there anyway, or go through
			// unharmed
			log.warn("Could not charge a call to its rate bucket; letting it through: {}", ex.getMessage());
			chain.doFilter(request, response);
			return;
		}
		request.setAttribute(RequestRate.ATTRIBUTE, rate);
		response.setHeader(POLICY_FIELD, rate.policyItem());
		response.setHeader(STATE_FIELD, rate.stateItem());
		if (!rate.allowed()) {
			refuse(response, rate);
			return;
		}
		chain.doFilter(request, new JoinedRateLimitFields(response, rate));
	}

	/**
	 * Whose bucket pays: the token's account once authenticated; a sandbox by the id in
	 * its path; otherwise the client's address.
	 */
	static Caller callerOf(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof PodiumUser user) {
			return Caller.of(user);
		}
		if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
			Optional<UUID> sandbox = sandboxOf(request.getRequestURI().substring(request.getContextPath().length()));
			if (sandbox.isPresent()) {
				return Caller.sandbox(sandbox.get());
			}
		}
		return Caller.address(request.getRemoteAddr());
	}

	private static Optional<UUID> sandboxOf(String path) {
		if (!path.startsWith(SANDBOXES)) {
			return Optional.empty();
		}
		int end = path.indexOf('/', SANDBOXES.length());
		String id = path.substring(SANDBOXES.length(), (end < 0) ? path.length() : end);
		try {
			return Optional.of(UUID.fromString(id));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private void refuse(HttpServletResponse response, RequestRate rate) throws IOException {
		long retryAfter = rate.retryAfterSeconds();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				"This caller may make %d calls in %d s; the next one is possible in %d s".formatted(rate.capacity(),
						rate.window().toSeconds(), retryAfter));
		problem.setType(URI.create(ProblemException.TYPE_BASE + "rate-limited"));
		problem.setTitle("Too many requests");
		problem.setProperty("limit", rate.capacity());
		problem.setProperty("windowSeconds", rate.window().toSeconds());
		problem.setProperty("retryAfterSeconds", retryAfter);
		response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

	/**
	 * Puts another policy's RateLimit item (the daily limit's) before this bucket's in
	 * the same field, so that a client reading one field sees both.
	 */
	private static final class JoinedRateLimitFields extends HttpServletResponseWrapper {

		private final RequestRate rate;

		JoinedRateLimitFields(HttpServletResponse response, RequestRate rate) {
			super(response);
			this.rate = rate;
		}

		@Override
		public void setHeader(String name, String value) {
			super.setHeader(name, joined(name, value));
		}

		@Override
		public void addHeader(String name, String value) {
			String joined = joined(name, value);
			if (!Objects.equals(joined, value)) {
				super.setHeader(name, joined);
				return;
			}
			super.addHeader(name, value);
		}

		private String joined(String name, String value) {
			if (value == null || value.contains("\"" + RequestRate.POLICY + "\"")) {
				return value;
			}
			return switch (name.toLowerCase(Locale.ROOT)) {
				case "ratelimit-policy" -> value + ", " + this.rate.policyItem();
				case "ratelimit" -> value + ", " + this.rate.stateItem();
				default -> value;
			};
		}

	}

}
