package dev.podium.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param adminToken the first operator's token ({@code PODIUM_ADMIN_TOKEN}); generated
 * and printed once when unset
 * @param encryptionKey base64 of a 256-bit AES key that seals participants' Hub tokens at
 * rest; when unset, a key is generated into the data directory (set it in production so
 * that every replica shares it)
 */
@ConfigurationProperties("podium.security")
public record PodiumSecurityProperties(String adminToken, String encryptionKey) {

	@Override
	public String toString() {
		return "PodiumSecurityProperties[adminToken=<redacted>, encryptionKey=<redacted>]";
	}

}
