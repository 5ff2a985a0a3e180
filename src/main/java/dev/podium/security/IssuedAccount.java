package dev.podium.security;

/**
 * A new account together with its token: the only time the token is ever available, since
 * Podium keeps just its hash.
 */
public record IssuedAccount(PodiumUser user, String token) {

	@Override
	public String toString() {
		return "IssuedAccount[user=" + this.user + ", token=<redacted>]";
	}

}
