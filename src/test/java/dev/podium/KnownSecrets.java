package dev.podium;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret this test run knows of: the configured ones (admin token, encryption key,
 * database password, webhook secrets), and every token and Hub token tests were issued or
 * sent. The log scan ({@link LogScanExtension}) fails a test whose run logged any of
 * them. Register through {@link TestSupport#issued(String)}.
 */
public final class KnownSecrets {

	/**
	 * Shorter values would match ordinary words, as the test server's default password
	 * "postgres" (the library's, the same as its user and its product name: no secret)
	 * does everywhere; no secret of Podium's is that short.
	 */
	static final int SHORTEST = 12;

	private static final Set<String> secrets = ConcurrentHashMap.newKeySet();

	static {
		register(TestSupport.ADMIN_TOKEN);
		register(TestSupport.ENCRYPTION_KEY);
	}

	private KnownSecrets() {
	}

	public static void register(String secret) {
		if (secret != null && secret.strip().length() >= SHORTEST) {
			secrets.add(secret.strip());
		}
	}

	static Set<String> all() {
		return Set.copyOf(secrets);
	}

}
