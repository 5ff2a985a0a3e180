package dev.podium.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens: 256 random bits, stored as a SHA-256 digest. A slow password hash buys
 * nothing for tokens of that entropy and would cost every API call.
 */
public final class Tokens {

	private static final SecureRandom random = new SecureRandom();

	private Tokens() {
	}

	/**
	 * A new token with a recognisable prefix, so that leaked tokens are easy to scan for.
	 */
	public static String generate(String prefix) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * The token of an {@code Authorization: Bearer <token>} header; empty for any other
	 * header.
	 */
	public static Optional<String> fromBearerHeader(String header) {
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return Optional.empty();
		}
		String token = header.substring(7).trim();
		return token.isEmpty() ? Optional.empty() : Optional.of(token);
	}

	public static String hash(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JRE", ex);
		}
	}

}
