package dev.podium.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.podium.PodiumProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Participants' Hub tokens at rest: bound to their submission, under a rotatable key. */
class SecretBoxTests {

	private static final String OLD_KEY = key(1);

	private static final String NEW_KEY = key(2);

	private static final UUID SUBMISSION = UUID.randomUUID();

	@TempDir
	Path dataDir;

	@Test
	void opensASealOnlyForTheSubmissionItWasSealedFor() {
		SecretBox box = box(NEW_KEY);
		byte[] sealed = box.seal("hf_participantToken", SUBMISSION);
		assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hf_participantToken");
		assertThat(box.open(sealed, SUBMISSION)).isEqualTo("hf_participantToken");
		assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, UUID.randomUUID()))
			.withMessageContaining("Could not open");
	}

	@Test
	void sealsWithTheNewKeyAndStillOpensWhatTheOldOneSealed() {
		SecretBox before = box(OLD_KEY);
		byte[] old = before.seal("hf_old", SUBMISSION);
		SecretBox rotated = box(NEW_KEY, OLD_KEY);
		assertThat(rotated.open(old, SUBMISSION)).isEqualTo("hf_old");
		byte[] fresh = rotated.seal("hf_new", SUBMISSION);
		assertThat(rotated.keyIdOf(fresh)).isEqualTo(rotated.currentKeyId()).isNotEqualTo(before.currentKeyId());
		assertThat(rotated.keyIdOf(old)).isEqualTo(before.currentKeyId());
		assertThat(rotated.isSealedWithCurrentKey(old)).isFalse();
		assertThat(rotated.isSealedWithCurrentKey(fresh)).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> before.open(fresh, SUBMISSION))
			.withMessageContaining(rotated.currentKeyId());
		assertThat(box(NEW_KEY).open(fresh, SUBMISSION)).isEqualTo("hf_new");
	}

	@Test
	void opensWhatWasSealedBeforeSealsCarriedAKeyId() throws Exception {
		// nonce || ciphertext under the key, without associated data: the first format
		byte[] nonce = new byte[12];
		new SecureRandom().nextBytes(nonce);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(OLD_KEY), "AES"),
				new GCMParameterSpec(128, nonce));
		byte[] body = cipher.doFinal("hf_legacy".getBytes(StandardCharsets.UTF_8));
		byte[] legacy = ByteBuffer.allocate(nonce.length + body.length).put(nonce).put(body).array();
		assertThat(box(NEW_KEY, OLD_KEY).open(legacy, SUBMISSION)).isEqualTo("hf_legacy");
	}

	@Test
	void refusesToStartWithAKeyThatIsNotThirtyTwoBytesOfBase64() {
		assertThatIllegalStateException().isThrownBy(() -> box(Base64.getEncoder().encodeToString(new byte[16])))
			.withMessageContaining("podium.security.encryption-key")
			.withMessageContaining("32 bytes")
			.withMessageContaining("16");
		assertThatIllegalStateException().isThrownBy(() -> box("not base64!"))
			.withMessageContaining("podium.security.encryption-key")
			.withMessageContaining("base64");
		assertThatIllegalStateException().isThrownBy(() -> box(NEW_KEY, "c2hvcnQ="))
			.withMessageContaining("podium.security.previous-encryption-keys");
	}

	@Test
	void generatesAKeyOnceIntoAnOwnerOnlyFile() throws Exception {
		SecretBox first = new SecretBox(new PodiumSecurityProperties(null, null, List.of()),
				new PodiumProperties(this.dataDir, null));
		Path file = this.dataDir.resolve("encryption.key");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
		byte[] sealed = first.seal("hf_token", SUBMISSION);
		SecretBox second = new SecretBox(new PodiumSecurityProperties(null, null, List.of()),
				new PodiumProperties(this.dataDir, null));
		assertThat(second.open(sealed, SUBMISSION)).isEqualTo("hf_token");
		try (var entries = Files.list(this.dataDir)) {
			assertThat(entries.map((entry) -> entry.getFileName().toString())).containsExactly("encryption.key");
		}
	}

	private SecretBox box(String key, String... previous) {
		return new SecretBox(new PodiumSecurityProperties(null, key, List.of(previous)),
				new PodiumProperties(this.dataDir, null));
	}

	private static String key(int fill) {
		byte[] key = new byte[32];
		java.util.Arrays.fill(key, (byte) fill);
		return Base64.getEncoder().encodeToString(key);
	}

}
