package dev.podium.ratelimit;

import java.util.UUID;

import dev.podium.security.PodiumUser;

/**
 * The owner of a bucket.
 *
 * @param key the bucket's id in the database: {@code account:<id>}, {@code sandbox:<id>}
 * or {@code address:<client address>}; never a token
 */
public record Caller(String key, CallerKind kind) {

	/**
	 * A token's calls: an account has exactly one token, so its id names the bucket
	 * without the token ever being stored.
	 */
	public static Caller of(PodiumUser user) {
		return new Caller("account:" + user.id(), CallerKind.of(user.role()));
	}

	public static Caller sandbox(UUID sandboxId) {
		return new Caller("sandbox:" + sandboxId, CallerKind.SANDBOX);
	}

	public static Caller address(String address) {
		return new Caller("address:" + address, CallerKind.ANONYMOUS);
	}

}
