package dev.podium.alert;

import java.net.http.HttpClient;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Delivers raised alerts to their webhooks on its own schedule and thread, with
 * exponential backoff, so that a slow or failing webhook never slows the evaluation
 * scheduler. Instances share the work: each delivery is claimed with SKIP LOCKED.
 */
@Component
public class AlertDispatcher {

	private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

	private static final int BATCH = 20;

	private final AlertProperties properties;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final RestClient http;

	private final Counter sent;

	private final Counter failed;

	AlertDispatcher(AlertProperties properties, JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock,
			MeterRegistry meters) {
		this.properties = properties;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(properties.timeout()).build());
		requests.setReadTimeout(properties.timeout());
		this.http = RestClient.builder().requestFactory(requests).build();
		this.sent = Counter.builder("podium.alerts.sent")
			.description("Alert deliveries that succeeded")
			.register(meters);
		this.failed = Counter.builder("podium.alerts.failed")
			.description("Alert delivery attempts that failed")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${podium.alerts.poll-interval:2s}")
	public void deliverDue() {
		List<Delivery> due;
		try {
			due = claimDue();
		}
		catch (RuntimeException ex) {
			// the database is away (or going away at shutdown): the deliveries wait in it
			log.warn("Could not look for due alerts: {}", ex.getMessage());
			return;
		}
		due.forEach(this::deliver);
	}

	/**
	 * Takes due deliveries and pushes their next attempt out, so that no other instance
	 * sends them meanwhile.
	 */
	List<Delivery> claimDue() {
		Instant now = this.clock.instant();
		return this.transactions.execute((status) -> this.jdbc.query("""
				update alert_deliveries set attempts = attempts + 1, next_attempt_at = ?
				where id in (select id from alert_deliveries
				             where delivered_at is null and failed_at is null and next_attempt_at <= ?
				             order by next_attempt_at for update skip locked limit ?)
				returning id, url, payload, attempts
				""",
				(row, number) -> new Delivery(row.getLong("id"), row.getString("url"), row.getString("payload"),
						row.getInt("attempts")),
				Timestamp.from(now.plus(this.properties.timeout().multipliedBy(3))), Timestamp.from(now), BATCH));
	}

	private void deliver(Delivery delivery) {
		try {
			this.http.post()
				.uri(delivery.url())
				.contentType(MediaType.APPLICATION_JSON)
				.body(delivery.payload())
				.retrieve()
				.toBodilessEntity();
			this.jdbc.update("update alert_deliveries set delivered_at = ?, last_error = null where id = ?",
					Timestamp.from(this.clock.instant()), delivery.id());
			this.sent.increment();
		}
		catch (RuntimeException ex) {
			this.failed.increment();
			String error = ex.getClass().getSimpleName();
			Instant now = this.clock.instant();
			if (delivery.attempts() >= this.properties.maxAttempts()) {
				this.jdbc.update("update alert_deliveries set failed_at = ?, last_error = ? where id = ?",
						Timestamp.from(now), error, delivery.id());
				log.warn("Gave up delivering alert {} to {} after {} attempts", delivery.id(), delivery.url(),
						delivery.attempts());
				return;
			}
			Duration delay = this.properties.retryBaseDelay().multipliedBy(1L << Math.min(16, delivery.attempts() - 1));
			this.jdbc.update("update alert_deliveries set next_attempt_at = ?, last_error = ? where id = ?",
					Timestamp.from(now.plus(delay)), error, delivery.id());
			log.info("Alert {} to {} failed ({}); retry in {}", delivery.id(), delivery.url(), error, delay);
		}
	}

	record Delivery(long id, String url, String payload, int attempts) {
	}

}
