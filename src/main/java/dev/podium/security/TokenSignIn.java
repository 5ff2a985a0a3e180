package dev.podium.security;

import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Signs users in to the dashboard with the token they use for the API, posted as the
 * sign-in form's {@code token} field. The session then carries the account, never the
 * token. Participants sign in too: they see their own page ({@code /me}) and the public
 * leaderboards, nothing of the organizers' pages.
 */
class TokenSignIn implements AuthenticationProvider {

	private final Accounts accounts;

	TokenSignIn(Accounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		Object credentials = authentication.getCredentials();
		String token = (credentials != null) ? credentials.toString().strip() : "";
		if (token.isEmpty()) {
			throw new BadCredentialsException("No token");
		}
		Optional<PodiumUser> user = this.accounts.authenticate(token);
		if (user.isEmpty()) {
			throw new BadCredentialsException("Unknown token");
		}
		return UsernamePasswordAuthenticationToken.authenticated(user.get(), null,
				List.of(new SimpleGrantedAuthority(user.get().role().authority())));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
