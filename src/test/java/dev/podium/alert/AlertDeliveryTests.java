package dev.podium.alert;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;

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

	static final List<Received> received = new CopyOnWriteArrayList<>();

	static final AtomicInteger failuresToServe = new AtomicInteger();

	static HttpServer webhook;

	record Received(Map<String, List<String>> headers, String body) {

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

	}

	@DynamicPropertySource
	static void webhook(DynamicPropertyRegistry registry) throws IOException {
		webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		webhook.createContext("/hook", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			boolean fail = failuresToServe.getAndUpdate((n) -> Math.max(0, n - 1)) > 0;
			received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
			exchange.sendResponseHeaders(fail ? 503 : 204, -1);
			exchange.close();
		});
		webhook.start();
		registry.add("podium.alerts.webhooks",
				() -> "http://127.0.0.1:" + webhook.getAddress().getPort() + SECRET_PATH + "?token=alsoSecret");
		registry.add("podium.alerts.webhook-secret", () -> SECRET);
		registry.add("podium.alerts.poll-interval", () -> "1h");
	}

	@AfterAll
	static void stopWebhook() {
		webhook.stop(0);
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
		received.clear();
		failuresToServe.set(0);
	}

	@Test
	void signsEachDeliveryAsStandardWebhooksDo() throws Exception {
		raise();
		this.dispatcher.deliverDue();
		assertThat(received).hasSize(1);
		Received delivery = received.get(0);
		String id = delivery.header("webhook-id");
		String timestamp = delivery.header("webhook-timestamp");
		assertThat(id).startsWith("msg_");
		assertThat(Long.parseLong(timestamp)).isEqualTo(this.clock.instant().getEpochSecond());
		assertThat(delivery.header("webhook-signature"))
			.isEqualTo("v1," + sign(id + "." + timestamp + "." + delivery.body()));
		assertThat(delivery.header("content-type")).startsWith("application/json");
	}

	@Test
	void keepsTheMessageIdAcrossRetriesAndSignsEachAttempt() throws Exception {
		failuresToServe.set(1);
		raise();
		this.dispatcher.deliverDue();
		this.clock.advance(Duration.ofMinutes(1));
		this.dispatcher.deliverDue();
		assertThat(received).hasSize(2);
		assertThat(received.get(1).header("webhook-id")).isEqualTo(received.get(0).header("webhook-id"));
		assertThat(received.get(1).header("webhook-timestamp"))
			.isNotEqualTo(received.get(0).header("webhook-timestamp"));
		Received second = received.get(1);
		assertThat(second.header("webhook-signature")).isEqualTo("v1,"
				+ sign(second.header("webhook-id") + "." + second.header("webhook-timestamp") + "." + second.body()));
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
		assertThat(received).hasSize(1);
	}

	@Test
	void anInstanceWhoseLeaseRanOutNeitherSendsNorRecords() {
		raise();
		List<AlertDispatcher.Delivery> stale = this.dispatcher.claimDue();
		this.clock.advance(Duration.ofHours(1));
		List<AlertDispatcher.Delivery> taken = this.dispatcher.claimDue();
		assertThat(taken).hasSize(1);
		stale.forEach(this.dispatcher::deliver);
		assertThat(received).isEmpty();
		taken.forEach(this.dispatcher::deliver);
		assertThat(received).hasSize(1);
		assertThat(this.jdbc.queryForObject("select attempts from alert_deliveries", Integer.class)).isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select delivered_at is not null from alert_deliveries", Boolean.class))
			.isTrue();
	}

	@Test
	void logsOnlyTheWebhooksHost(CapturedOutput output) {
		failuresToServe.set(100);
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

	private static String sign(String content) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
		return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
	}

}
