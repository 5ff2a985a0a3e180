package dev.podium.security;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The API is stateless and speaks bearer tokens only; role checks sit on the controller
 * methods, next to what they protect. The dashboard signs in with the same tokens and
 * keeps a session.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	/** Pages use only their own scripts, styles and connections. */
	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	/** htmx marks the requests with which pages refresh their parts. */
	private static final RequestMatcher HTMX = new RequestHeaderRequestMatcher("HX-Request", "true");

	/**
	 * Sandboxes are not accounts: each calls with a token of its own, which the sandbox
	 * API checks against the sandbox it names.
	 */
	@Bean
	@Order(5)
	SecurityFilterChain sandboxApiSecurity(HttpSecurity http, ObjectProvider<ApiCallFilter> callFilters)
			throws Exception {
		callFilters.orderedStream().forEach((filter) -> http.addFilterBefore(filter, AuthorizationFilter.class));
		return http.securityMatcher("/api/sandboxes/**")
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.requestCache((cache) -> cache.disable())
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.build();
	}

	/**
	 * The actuator. With a management port of its own (how the image, compose and the
	 * Helm chart run Podium) the actuator is served there only, a port that is never
	 * published, and is open. On the application's port (a laptop's start) probes stay
	 * open, health shows details to operators only, and everything else (metrics, info)
	 * takes an operator's token.
	 */
	@Bean
	@Order(7)
	SecurityFilterChain actuatorSecurity(HttpSecurity http, Accounts accounts, JsonMapper json, Environment environment)
			throws Exception {
		ProblemResponses problems = new ProblemResponses(json);
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> problems.write(response,
				HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
				"Send an operator's token as 'Authorization: Bearer <token>'");
		AccessDeniedHandler forbidden = (request, response, ex) -> problems.write(response, HttpStatus.FORBIDDEN,
				"forbidden", "Forbidden", "Only operators read the service's metrics");
		boolean ownPort = separateManagementPort(environment);
		return http.securityMatcher("/actuator", "/actuator/**")
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.requestCache((cache) -> cache.disable())
			.addFilterBefore(new BearerTokenFilter(accounts, unauthorized), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> {
				if (ownPort) {
					// nothing of the actuator is served on the application's port then
					requests.anyRequest().permitAll();
				}
				else {
					requests
						.requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")
						.permitAll()
						.anyRequest()
						.hasRole(Role.OPERATOR.name());
				}
			})
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
			.build();
	}

	/**
	 * A URL the firewall refuses (encoded slashes or dots, a NUL, a semicolon) is a
	 * problem like any other bad request, not an empty 400.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
		ProblemResponses problems = new ProblemResponses(json);
		return (request, response, ex) -> problems.write(response, HttpStatus.BAD_REQUEST, "request-rejected",
				"Request rejected", "The request's URL holds characters Podium does not accept (encoded slashes, "
						+ "dots, semicolons or control characters)");
	}

	/** As Spring Boot decides it: a management port set, and not the server's. */
	static boolean separateManagementPort(Environment environment) {
		Integer management = environment.getProperty("management.server.port", Integer.class);
		if (management == null || management < 0) {
			return false;
		}
		Integer server = environment.getProperty("server.port", Integer.class, 8080);
		return management == 0 || !management.equals(server);
	}

	@Bean
	@Order(10)
	SecurityFilterChain apiSecurity(HttpSecurity http, Accounts accounts, JsonMapper json,
			ObjectProvider<ApiCallFilter> callFilters) throws Exception {
		ProblemResponses problems = new ProblemResponses(json);
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> problems.write(response,
				HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
				"Send a valid token as 'Authorization: Bearer <token>'");
		AccessDeniedHandler forbidden = (request, response, ex) -> problems.write(response, HttpStatus.FORBIDDEN,
				"forbidden", "Forbidden", "Your role does not allow this operation");
		callFilters.orderedStream().forEach((filter) -> http.addFilterBefore(filter, AuthorizationFilter.class));
		return http.securityMatcher("/api/**")
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.requestCache((cache) -> cache.disable())
			.addFilterBefore(new BearerTokenFilter(accounts, unauthorized), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests
				// how a participant of an imported challenge gets a token: with a Hub
				// token
				.requestMatchers(HttpMethod.POST, "/api/competitions/*/sign-in/huggingface")
				.permitAll()
				.anyRequest()
				.authenticated())
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
			.build();
	}

	/**
	 * The dashboard and everything else outside the API: organizers and operators sign in
	 * once with their token and go on with a session cookie; forms carry a CSRF token.
	 * Public leaderboards, the API's documentation and static assets are open to
	 * everyone.
	 */
	@Bean
	@Order(100)
	SecurityFilterChain siteSecurity(HttpSecurity http, Accounts accounts) throws Exception {
		ExceptionMappingAuthenticationFailureHandler refused = new ExceptionMappingAuthenticationFailureHandler();
		refused.setDefaultFailureUrl("/login?error=token");
		SavedRequestAwareAuthenticationSuccessHandler staffSignedIn = new SavedRequestAwareAuthenticationSuccessHandler();
		staffSignedIn.setRequestCache(pageRequests());
		// a participant's page is their own; a page they asked for before signing in is
		// most likely one they may not see
		AuthenticationSuccessHandler signedIn = (request, response, authentication) -> {
			if (authentication.getPrincipal() instanceof PodiumUser user && !user.isStaff()) {
				response.sendRedirect(request.getContextPath() + "/me");
				return;
			}
			staffSignedIn.onAuthenticationSuccess(request, response, authentication);
		};
		return http.authenticationManager(new ProviderManager(new TokenSignIn(accounts)))
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**",
						"/css/**", "/js/**", "/favicon.svg", "/favicon.ico", "/login", "/error")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/competitions/*/tasks/*/leaderboard",
						"/competitions/*/tasks/*/leaderboard/entries")
				.permitAll()
				.requestMatchers("/me", "/me/**")
				.hasRole(Role.PARTICIPANT.name())
				.requestMatchers(HttpMethod.POST, "/budget/requests")
				.hasAnyRole(Role.OPERATOR.name(), Role.ORGANIZER.name())
				.requestMatchers(HttpMethod.POST, "/budget/**")
				.hasRole(Role.OPERATOR.name())
				.anyRequest()
				.hasAnyRole(Role.OPERATOR.name(), Role.ORGANIZER.name()))
			.formLogin((form) -> form.loginPage("/login")
				.passwordParameter("token")
				.successHandler(signedIn)
				.failureHandler(refused))
			.logout((logout) -> logout.logoutSuccessUrl("/login?signed-out"))
			.requestCache((cache) -> cache.requestCache(pageRequests()))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(signInFirst()))
			.headers((headers) -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
					new NegatedRequestMatcher(
							new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/swagger-ui/**"),
									PathPatternRequestMatcher.pathPattern("/swagger-ui.html"))),
					new StaticHeadersWriter("Content-Security-Policy", CONTENT_SECURITY_POLICY))))
			.build();
	}

	/**
	 * Anonymous page views go to the sign-in; a page refreshing itself after its session
	 * ended is told to go there as a whole rather than to swap the sign-in form into a
	 * fragment.
	 */
	private static AuthenticationEntryPoint signInFirst() {
		AuthenticationEntryPoint signIn = new LoginUrlAuthenticationEntryPoint("/login");
		return (request, response, ex) -> {
			if (HTMX.matches(request)) {
				response.setHeader("HX-Redirect", request.getContextPath() + "/login");
				response.setStatus(HttpStatus.UNAUTHORIZED.value());
				return;
			}
			signIn.commence(request, response, ex);
		};
	}

	/** Only whole pages are worth returning to after the sign-in, not refreshes. */
	private static RequestCache pageRequests() {
		HttpSessionRequestCache cache = new HttpSessionRequestCache();
		cache.setMatchingRequestParameterName(null);
		cache.setRequestMatcher(new AndRequestMatcher(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/**"),
				new NegatedRequestMatcher(HTMX)));
		return cache;
	}

}
