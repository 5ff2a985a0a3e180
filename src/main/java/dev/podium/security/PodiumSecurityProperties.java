package dev.podium.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param adminToken the first operator's token ({@code PODIUM_ADMIN_TOKEN}); generated
 * and printed once when unset
 * @param encryptionKey base64 of a 256-bit AES key that seals participants' Hub tokens at
 * rest; when unset, a key is generated into the data directory (set it in production so
 * that every replica shares it)
 * @param previousEncryptionKeys keys that sealed before the current one: they still open
 * what they sealed, and seal nothing new (how a key is rotated)
 */
@ConfigurationProperties("podium.security")
public record PodiumSecurityProperties(String adminToken, String encryptionKey,
		@DefaultValue List<String> previousEncryptionKeys) {

	@Override
	public String toString() {
		return "PodiumSecurityProperties[adminToken=<redacted>, encryptionKey=<redacted>, "
				+ "previousEncryptionKeys=<redacted>]";
	}

}
