package dev.podium.alert;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries as the Standard Webhooks specification does, so that receivers
 * can check them with its libraries: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, the key being the secret's bytes after an optional
 * {@code whsec_} prefix, base64-decoded.
 */
final class WebhookSignature {

	private static final String PREFIX = "whsec_";

	private final SecretKeySpec key;

	private WebhookSignature(byte[] key) {
		this.key = new SecretKeySpec(key, "HmacSHA256");
	}

	/**
	 * @param secret {@code whsec_<base64>} or the base64 alone, of 24 to 64 bytes
	 */
	static WebhookSignature of(String secret) {
		String encoded = secret.strip();
		if (encoded.startsWith(PREFIX)) {
			encoded = encoded.substring(PREFIX.length());
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(encoded);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("podium.alerts.webhook-secret must be whsec_ followed by base64 "
					+ "(e.g. whsec_$(openssl rand -base64 32))");
		}
		if (key.length < 24 || key.length > 64) {
			throw new IllegalStateException(
					"podium.alerts.webhook-secret must encode 24 to 64 bytes, not " + key.length);
		}
		return new WebhookSignature(key);
	}

	/** The {@code webhook-signature} header's value. */
	String sign(String messageId, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			byte[] signature = mac.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is part of every JRE", ex);
		}
	}

}
