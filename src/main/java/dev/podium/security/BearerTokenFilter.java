package dev.podium.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>} against the stored token hashes. A
 * request without the header goes on anonymous and meets the entry point where it needs
 * an identity; a request with an unknown token is refused at once.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private final Accounts accounts;

	private final AuthenticationEntryPoint entryPoint;

	BearerTokenFilter(Accounts accounts, AuthenticationEntryPoint entryPoint) {
		this.accounts = accounts;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<String> token = Tokens.fromBearerHeader(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (token.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		Optional<PodiumUser> user = this.accounts.authenticate(token.get());
		if (user.isEmpty()) {
			SecurityContextHolder.clearContext();
			this.entryPoint.commence(request, response, new BadCredentialsException("Unknown token"));
			return;
		}
		var authentication = UsernamePasswordAuthenticationToken.authenticated(user.get(), null,
				List.of(new SimpleGrantedAuthority(user.get().role().authority())));
		var context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

}
