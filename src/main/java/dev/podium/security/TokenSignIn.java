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
 * Signs organizers and operators in to the dashboard with the token they use for the API,
 * posted as the sign-in form's {@code token} field. The session then carries the account,
 * never the token. Participants have no dashboard, so their tokens are refused here.
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
		if (!user.get().isStaff()) {
			throw new ParticipantRefused();
		}
		return UsernamePasswordAuthenticationToken.authenticated(user.get(), null,
				List.of(new SimpleGrantedAuthority(user.get().role().authority())));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/** A valid token of a participant, who has no dashboard. */
	static class ParticipantRefused extends AuthenticationException {

		ParticipantRefused() {
			super("Participants have no dashboard");
		}

	}

}
