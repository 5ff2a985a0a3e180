package dev.podium.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.WebhookReceiver;
import dev.podium.WebhookReceiver.Received;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook deliveries as a receiver sees them: signed the Standard Webhooks way, each
 * alert once, and their URLs (which may carry a secret, as Slack's do) kept out of the
 * log.
 */
@PodiumTest
@ExtendWith(OutputCaptureExtension.class)
class AlertDeliveryTests {

	/** A {@code whsec_} secret as Standard Webhooks libraries write them. */
	static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);

	/** The path a Slack-style URL keeps its secret in. */
	static final String SECRET_PATH = "/hook/T0001/B0002/XyZsecretPart";

	static WebhookReceiver webhook;

	@DynamicPropertySource
	static void webhook(DynamicPropertyRegistry registry) throws IOException {
		webhook = WebhookReceiver.start();
		registry.add("podium.alerts.webhooks", () -> webhook.url(SECRET_PATH + "?token=alsoSecret"));
		registry.add("podium.alerts.webhook-secret", () -> SECRET);
		registry.add("podium.alerts.poll-interval", () -> "1h");
	}

	@AfterAll
	static void stopWebhook() {
		webhook.close();
	}

	@Autowired
	Alerts alerts;

	@Autowired
	AlertDispatcher dispatcher;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@BeforeEach
	void noDeliveries() {
		this.clock.set(Instant.parse("2026-11-23T08:00:00Z"));
		this.jdbc.update("delete from alert_deliveries");
		webhook.reset();
	}

	@Test
	void signsEachDeliveryAsStandardWebhooksDo() throws Exception {
		raise();
		this.dispatcher.deliverDue();
		assertThat(webhook.received()).hasSize(1);
		Received delivery = webhook.received().get(0);
		String id = delivery.header("webhook-id");
		String timestamp = delivery.header("webhook-timestamp");
		assertThat(id).startsWith("msg_");
		assertThat(Long.parseLong(timestamp)).isEqualTo(this.clock.instant().getEpochSecond());
		assertThat(delivery.header("webhook-signature")).isEqualTo(delivery.expectedSignature(SECRET));
		assertThat(delivery.header("content-type")).startsWith("application/json");
	}

	@Test
	void keepsTheMessageIdAcrossRetriesAndSignsEachAttempt() throws Exception {
		webhook.failNext(1);
		raise();
		this.dispatcher.deliverDue();
		this.clock.advance(Duration.ofMinutes(1));
		this.dispatcher.deliverDue();
		assertThat(webhook.received()).hasSize(2);
		Received first = webhook.received().get(0);
		Received second = webhook.received().get(1);
		assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id"));
		assertThat(second.header("webhook-timestamp")).isNotEqualTo(first.header("webhook-timestamp"));
		assertThat(second.header("webhook-signature")).isEqualTo(second.expectedSignature(SECRET));
	}

	@Test
	void anotherInstanceDoesNotTakeADeliveryWhileItsBatchMayStillRun() {
		raise();
		List<AlertDispatcher.Delivery> first = this.dispatcher.claimDue();
		assertThat(first).hasSize(1);
		// longer than three delivery timeouts, shorter than a whole batch's
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(this.dispatcher.claimDue()).as("claimed by the second instance").isEmpty();
		first.forEach(this.dispatcher::deliver);
		assertThat(webhook.received()).hasSize(1);
	}

	@Test
	void anInstanceWhoseLeaseRanOutNeitherSendsNorRecords() {
		raise();
		List<AlertDispatcher.Delivery> stale = this.dispatcher.claimDue();
		this.clock.advance(Duration.ofHours(1));
		List<AlertDispatcher.Delivery> taken = this.dispatcher.claimDue();
		assertThat(taken).hasSize(1);
		stale.forEach(this.dispatcher::deliver);
		assertThat(webhook.received()).isEmpty();
		taken.forEach(this.dispatcher::deliver);
		assertThat(webhook.received()).hasSize(1);
		assertThat(this.jdbc.queryForObject("select attempts from alert_deliveries", Integer.class)).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select delivered_at is not null from alert_deliveries", Boolean.class))
			.isTrue();
	}

	@Test
	void logsOnlyTheWebhooksHost(CapturedOutput output) {
		webhook.failNext(100);
		raise();
		this.dispatcher.deliverDue();
		assertThat(output.getAll()).contains("127.0.0.1")
			.doesNotContain("XyZsecretPart")
			.doesNotContain("alsoSecret")
			.doesNotContain(SECRET);
	}

	private void raise() {
		this.transactions.executeWithoutResult((status) -> this.alerts.raise("test.alert", Map.of("n", 1)));
	}

}
