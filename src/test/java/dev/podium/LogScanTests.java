package dev.podium;

import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.podium.security.Tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The log scan fails when a secret is logged: proved with a scanner and a capture of
 * their own, on a logger whose lines do not reach the run's capture (the run's scan would
 * rightly fail this test otherwise).
 */
class LogScanTests {

	static final String FAKE_SECRET = "fake-secret-for-the-log-scan-0123";

	final LogCapture capture = LogCapture.detached();

	final SecretScanner scanner = new SecretScanner(() -> Set.of(FAKE_SECRET));

	Logger leaky;

	@BeforeEach
	void aLoggerThatWritesOnlyToItsOwnCapture() {
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.leaky = logback.getLogger("dev.podium.LogScanTests.leaky");
		this.leaky.setAdditive(false);
		this.capture.setContext(logback);
		this.capture.start();
		this.leaky.addAppender(this.capture);
	}

	@AfterEach
	void detach() {
		this.leaky.detachAppender(this.capture);
		this.capture.stop();
	}

	@Test
	void failsOnAKnownSecretInAMessageOrAnException() {
		this.leaky.info("calling the Hub with Authorization: Bearer {}", FAKE_SECRET);
		this.leaky.warn("it failed", new IllegalStateException("token " + FAKE_SECRET + " refused"));
		List<String> lines = this.capture.drain();
		assertThat(this.scanner.scan(lines)).hasSize(2)
			.allSatisfy((finding) -> assertThat(finding).doesNotContain(FAKE_SECRET).contains("leaky"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> LogScanExtension.verdict(this.scanner, lines, "a leaky test"))
			.withMessageContaining("A secret was logged during a leaky test")
			.withMessageNotContaining(FAKE_SECRET);
	}

	@Test
	void failsOnAnythingShapedLikeAGeneratedTokenEvenIfUnknown() {
		this.leaky.info("participant token {}", Tokens.generate("pod_"));
		this.leaky.info("sandbox token {}", Tokens.generate("sbx_"));
		this.leaky.info("webhook secret whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz");
		this.leaky.info("hub token hf_AbCdEfGhIjKlMnOpQrStUvWxYz12345678");
		assertThat(this.scanner.scan(this.capture.drain())).hasSize(4);
	}

	@Test
	void passesALogWithoutSecrets() {
		this.leaky.info("Operator account 'admin' is ready");
		this.leaky.info("Rejected a write that conflicts with existing data: {}", "PSQLException");
		List<String> lines = this.capture.drain();
		assertThat(lines).hasSize(2);
		assertThatCode(() -> LogScanExtension.verdict(this.scanner, lines, "a clean test")).doesNotThrowAnyException();
	}

	@Test
	void theRunsCaptureHoldsWhatTheApplicationLogsAndKnowsTheConfiguredSecrets() {
		String marker = "log-scan-marker-" + System.nanoTime();
		LoggerFactory.getLogger("dev.podium.anywhere").info(marker);
		assertThat(LogCapture.runHolds(marker)).as("logback-test.xml installs the run's capture").isTrue();
		assertThat(KnownSecrets.all()).contains(TestSupport.ADMIN_TOKEN, TestSupport.ENCRYPTION_KEY);
	}

}
