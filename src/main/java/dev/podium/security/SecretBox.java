package dev.podium.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.PodiumProperties;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Seals secrets that Podium must hand on later but never show again (a participant's read
 * token for a private model), with AES-256-GCM. A sealed value is
 * {@code nonce || ciphertext}.
 */
@Component
public class SecretBox {

	private static final Logger log = LoggerFactory.getLogger(SecretBox.class);

	private static final int NONCE_BYTES = 12;

	private static final SecureRandom random = new SecureRandom();

	private final SecretKey key;

	SecretBox(PodiumSecurityProperties security, PodiumProperties podium) {
		this.key = new SecretKeySpec(keyBytes(security, podium.dataDir()), "AES");
	}

	public byte[] seal(String secret) {
		try {
			byte[] nonce = new byte[NONCE_BYTES];
			random.nextBytes(nonce);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(128, nonce));
			byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not seal a secret", ex);
		}
	}

	public String open(byte[] sealed) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
			return new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(
					"Could not open a sealed secret: was podium.security.encryption-key changed?", ex);
		}
	}

	private static byte[] keyBytes(PodiumSecurityProperties security, Path dataDir) {
		if (StringUtils.hasText(security.encryptionKey())) {
			byte[] key = Base64.getDecoder().decode(security.encryptionKey().trim());
			if (key.length != 32) {
				throw new IllegalStateException("podium.security.encryption-key must be base64 of 32 bytes");
			}
			return key;
		}
		Path file = dataDir.resolve("encryption.key");
		try {
			if (Files.exists(file)) {
				return Base64.getDecoder().decode(Files.readString(file).trim());
			}
			byte[] key = new byte[32];
			random.nextBytes(key);
			Files.createDirectories(dataDir);
			Files.writeString(file, Base64.getEncoder().encodeToString(key));
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system: the directory's own protection has to do
			}
			log.warn("No podium.security.encryption-key set: generated one in {}. Configure a shared key when "
					+ "several instances run.", file.toAbsolutePath());
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
