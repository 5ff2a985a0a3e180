package dev.podium.budget;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.alert.AlertDispatcher;
import dev.podium.PodiumTest;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Threshold and rate-limit alerts, delivered to a webhook that this test runs. */
@PodiumTest
class BudgetAlertTests {

	static final List<String> received = new CopyOnWriteArrayList<>();

	static final AtomicInteger failuresToServe = new AtomicInteger();

	static HttpServer webhook;

	@DynamicPropertySource
	static void webhook(DynamicPropertyRegistry registry) throws IOException {
		webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		webhook.createContext("/hook", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			int status = (failuresToServe.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) ? 500 : 204;
			if (status == 204) {
				received.add(body);
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		webhook.start();
		registry.add("podium.alerts.webhooks", () -> "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
		registry.add("podium.alerts.webhook-secret", () -> "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
		registry.add("podium.alerts.poll-interval", () -> "1h");
	}

	@AfterAll
	static void stopWebhook() {
		webhook.stop(0);
	}

	@Autowired
	CreationBudget budget;

	@Autowired
	AlertDispatcher dispatcher;

	@Autowired
	BudgetRequests requests;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@BeforeEach
	void freshWindow() {
		this.clock.set(Instant.parse("2026-11-23T08:00:00Z"));
		this.jdbc.update("delete from creation_charges");
		this.jdbc.update("update creation_budgets set blocked_until = null, version = version + 1");
		this.jdbc.update("delete from budget_threshold_marks");
		this.jdbc.update("delete from alert_deliveries");
		received.clear();
		failuresToServe.set(0);
		this.budget.changeLimit(20, "alerts test", "test");
	}

	@Test
	void alertsEachThresholdOncePerWindow() {
		for (int i = 1; i <= 20; i++) {
			charge("sandbox-" + i);
		}
		this.dispatcher.deliverDue();
		assertThat(received).hasSize(3);
		assertThat(received.stream().map((body) -> JsonPath.<Integer>read(body, "$.threshold")).toList())
			.containsExactlyInAnyOrder(80, 95, 100);
		String at100 = received.stream()
			.filter((body) -> JsonPath.<Integer>read(body, "$.threshold") == 100)
			.findFirst()
			.orElseThrow();
		assertThat(JsonPath.<String>read(at100, "$.type")).isEqualTo("budget.threshold");
		assertThat(JsonPath.<String>read(at100, "$.namespace")).isEqualTo("local");
		assertThat(JsonPath.<Integer>read(at100, "$.used")).isEqualTo(20);
		assertThat(JsonPath.<Integer>read(at100, "$.limit")).isEqualTo(20);
		assertThat(JsonPath.<String>read(at100, "$.resetsAt")).isEqualTo("2026-11-24T00:00:00Z");

		// Falling back under 80 % and crossing again in the same window (also after a
		// restart:
		// the marks are rows) alerts no more.
		this.transactions.executeWithoutResult((status) -> {
			for (int i = 1; i <= 6; i++) {
				this.budget.refund("sandbox-" + i);
			}
		});
		for (int i = 21; i <= 26; i++) {
			charge("sandbox-" + i);
		}
		this.dispatcher.deliverDue();
		assertThat(received).hasSize(3);

		// The next window alerts again.
		this.clock.set(Instant.parse("2026-11-24T08:00:00Z"));
		for (int i = 1; i <= 16; i++) {
			charge("next-" + i);
		}
		this.dispatcher.deliverDue();
		assertThat(received).hasSize(4);
	}

	@Test
	void retriesAFailingWebhookWithBackoffUntilItTakesTheAlert() {
		failuresToServe.set(2);
		this.budget.blockCreations(Instant.parse("2026-11-23T09:00:00Z"), "the Hub's creation limit");
		this.dispatcher.deliverDue();
		assertThat(received).isEmpty();
		this.dispatcher.deliverDue();
		assertThat(received).as("not retried before its backoff").isEmpty();
		this.clock.advance(Duration.ofSeconds(11));
		this.dispatcher.deliverDue();
		assertThat(received).isEmpty();
		this.clock.advance(Duration.ofSeconds(21));
		this.dispatcher.deliverDue();
		assertThat(received).hasSize(1);
		assertThat(JsonPath.<String>read(received.get(0), "$.type")).isEqualTo("hub.rate-limited");
		assertThat(JsonPath.<String>read(received.get(0), "$.blockedUntil")).isEqualTo("2026-11-23T09:00:00Z");
		assertThat(this.jdbc.queryForObject("select attempts from alert_deliveries", Integer.class)).isEqualTo(3);
	}

	@Test
	void everyStepOfABudgetRequestIsAnAlert() {
		PodiumUser ana = new PodiumUser(UUID.randomUUID(), "ana", Role.ORGANIZER, null);
		Instant evening = Instant.parse("2026-11-23T20:00:00Z");
		BudgetRequest temporary = this.requests.ask(ana, 30, "deadline rush", evening);
		BudgetRequest lasting = this.requests.ask(ana, 40, "more participants", null);
		this.requests.approve(temporary.id(), "admin", "fine for today");
		this.requests.refuse(lasting.id(), "admin", "not this month");
		this.clock.set(evening);
		this.requests.endDueRaises();
		this.dispatcher.deliverDue();
		assertThat(received.stream().map((body) -> JsonPath.<String>read(body, "$.type")).toList())
			.containsExactlyInAnyOrder("budget.raise-requested", "budget.raise-requested", "budget.raise-approved",
					"budget.raise-refused", "budget.raise-ended");
		String approved = alert("budget.raise-approved");
		assertThat(JsonPath.<String>read(approved, "$.requestId")).isEqualTo(temporary.id().toString());
		assertThat(JsonPath.<String>read(approved, "$.requestedBy")).isEqualTo("ana");
		assertThat(JsonPath.<String>read(approved, "$.decidedBy")).isEqualTo("admin");
		assertThat(JsonPath.<Integer>read(approved, "$.limit")).isEqualTo(30);
		assertThat(JsonPath.<Integer>read(approved, "$.oldLimit")).isEqualTo(20);
		assertThat(JsonPath.<Integer>read(approved, "$.revertTo")).isEqualTo(20);
		assertThat(JsonPath.<String>read(approved, "$.until")).isEqualTo("2026-11-23T20:00:00Z");
		assertThat(JsonPath.<String>read(alert("budget.raise-refused"), "$.reason")).isEqualTo("not this month");
		String ended = alert("budget.raise-ended");
		assertThat(JsonPath.<Boolean>read(ended, "$.reverted")).isTrue();
		assertThat(JsonPath.<Integer>read(ended, "$.currentLimit")).isEqualTo(20);
	}

	private static String alert(String type) {
		return received.stream().filter((body) -> type.equals(JsonPath.read(body, "$.type"))).findFirst().orElseThrow();
	}

	private void charge(String name) {
		this.transactions.executeWithoutResult((status) -> this.budget.charge(name));
	}

}
