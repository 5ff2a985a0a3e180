package dev.podium.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
 * token for a private model) with AES-256-GCM, bound to what they belong to: the
 * submission's id is the associated data, so a sealed value copied onto another row does
 * not open.
 * <p>
 * Keys form a ring: new seals use the current key
 * ({@code podium.security.encryption-key}); older keys
 * ({@code podium.security.previous-encryption-keys}) still open what they sealed. A
 * sealed value is {@code 0x01 || key id (4) || nonce (12) || ciphertext+tag}, the key id
 * being the first four bytes of the key's SHA-256. Values sealed before key ids existed
 * ({@code nonce || ciphertext}, no associated data) still open with any key of the ring.
 */
@Component
public class SecretBox {

	private static final Logger log = LoggerFactory.getLogger(SecretBox.class);

	private static final byte VERSION = 1;

	private static final int KEY_ID_BYTES = 4;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final int HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;

	private static final SecureRandom random = new SecureRandom();

	private final Key current;

	/** Every key that opens, the current one first. */
	private final Map<String, Key> ring = new LinkedHashMap<>();

	SecretBox(PodiumSecurityProperties security, PodiumProperties podium) {
		this.current = new Key(currentKey(security, podium.dataDir()));
		this.ring.put(this.current.id(), this.current);
		List<String> previous = (security.previousEncryptionKeys() != null) ? security.previousEncryptionKeys()
				: List.of();
		for (int i = 0; i < previous.size(); i++) {
			Key key = new Key(decode(previous.get(i), "podium.security.previous-encryption-keys[" + i + "]"));
			this.ring.putIfAbsent(key.id(), key);
		}
	}

	/**
	 * @param associatedId what the secret belongs to (a submission's id); the same id
	 * opens it
	 */
	public byte[] seal(String secret, UUID associatedId) {
		try {
			byte[] nonce = new byte[NONCE_BYTES];
			random.nextBytes(nonce);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.current.secret(), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData(this.current.idBytes(), associatedId));
			byte[] body = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.allocate(HEADER_BYTES + body.length)
				.put(VERSION)
				.put(this.current.idBytes())
				.put(nonce)
				.put(body)
				.array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not seal a secret", ex);
		}
	}

	/**
	 * @throws IllegalStateException when no key of the ring opens it for this id: sealed
	 * for another id, altered, or sealed with a key that is no longer configured
	 */
	public String open(byte[] sealed, UUID associatedId) {
		if (isKeyed(sealed)) {
			String keyId = keyIdOf(sealed);
			Key key = this.ring.get(keyId);
			if (key != null) {
				try {
					Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
					cipher.init(Cipher.DECRYPT_MODE, key.secret(),
							new GCMParameterSpec(TAG_BITS, sealed, 1 + KEY_ID_BYTES, NONCE_BYTES));
					cipher.updateAAD(associatedData(key.idBytes(), associatedId));
					return new String(cipher.doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES),
							StandardCharsets.UTF_8);
				}
				catch (GeneralSecurityException ex) {
					// perhaps a first-format value that happens to start like this one
				}
			}
			return openUnkeyed(sealed).orElseThrow(() -> new IllegalStateException(
					"Could not open a sealed secret of key " + keyId + " for " + associatedId + ": it belongs to "
							+ "something else, was altered, or its key is not among podium.security.encryption-key "
							+ "and podium.security.previous-encryption-keys"));
		}
		return openUnkeyed(sealed).orElseThrow(() -> new IllegalStateException(
				"Could not open a sealed secret: none of the configured keys sealed it"));
	}

	/**
	 * The id of the key a value was sealed with, for rotation; {@code null} for the first
	 * format.
	 */
	public String keyIdOf(byte[] sealed) {
		if (!isKeyed(sealed)) {
			return null;
		}
		byte[] id = new byte[KEY_ID_BYTES];
		System.arraycopy(sealed, 1, id, 0, KEY_ID_BYTES);
		return HexFormat.of().formatHex(id);
	}

	/** The current key's id: the one new seals carry. */
	public String currentKeyId() {
		return this.current.id();
	}

	/**
	 * Whether the value needs no re-sealing before an older key can be dropped from the
	 * ring.
	 */
	public boolean isSealedWithCurrentKey(byte[] sealed) {
		return this.current.id().equals(keyIdOf(sealed));
	}

	private static boolean isKeyed(byte[] sealed) {
		return sealed.length > HEADER_BYTES && sealed[0] == VERSION;
	}

	private Optional<String> openUnkeyed(byte[] sealed) {
		if (sealed.length <= NONCE_BYTES) {
			return Optional.empty();
		}
		for (Key key : this.ring.values()) {
			try {
				Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
				cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
				return Optional.of(new String(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES),
						StandardCharsets.UTF_8));
			}
			catch (GeneralSecurityException ex) {
				// not this key
			}
		}
		return Optional.empty();
	}

	/** The format, the key and what the secret belongs to, all authenticated. */
	private static byte[] associatedData(byte[] keyId, UUID associatedId) {
		return ByteBuffer.allocate(1 + KEY_ID_BYTES + 16)
			.put(VERSION)
			.put(keyId)
			.putLong(associatedId.getMostSignificantBits())
			.putLong(associatedId.getLeastSignificantBits())
			.array();
	}

	private static byte[] currentKey(PodiumSecurityProperties security, Path dataDir) {
		if (StringUtils.hasText(security.encryptionKey())) {
			return decode(security.encryptionKey(), "podium.security.encryption-key");
		}
		Path file = dataDir.resolve("encryption.key").toAbsolutePath();
		List<String> generated = new ArrayList<>();
		String key = SecretFile.readOrCreate(file, () -> {
			byte[] bytes = new byte[32];
			random.nextBytes(bytes);
			generated.add(file.toString());
			return Base64.getEncoder().encodeToString(bytes);
		});
		if (!generated.isEmpty()) {
			log.warn("No podium.security.encryption-key set: generated one in {}. Configure a shared key when "
					+ "several instances run.", file);
		}
		return decode(key, file.toString());
	}

	private static byte[] decode(String base64, String source) {
		byte[] key;
		try {
			key = Base64.getDecoder().decode(base64.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(source + " is not base64: create a key with `openssl rand -base64 32`");
		}
		if (key.length != 32) {
			throw new IllegalStateException(source + " must be base64 of 32 bytes (an AES-256 key), not " + key.length
					+ ": create one with `openssl rand -base64 32`");
		}
		return key;
	}

	private record Key(SecretKey secret, byte[] idBytes, String id) {

		Key(byte[] key) {
			this(new SecretKeySpec(key, "AES"), idOf(key));
		}

		private Key(SecretKey secret, byte[] idBytes) {
			this(secret, idBytes, HexFormat.of().formatHex(idBytes));
		}

		private static byte[] idOf(byte[] key) {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
				byte[] id = new byte[KEY_ID_BYTES];
				System.arraycopy(digest, 0, id, 0, KEY_ID_BYTES);
				return id;
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("SHA-256 is part of every JRE", ex);
			}
		}

	}

}
