package dev.podium.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

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
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * Delivers raised alerts to their webhooks on its own schedule and thread, with
 * exponential backoff, so that a slow or failing webhook never slows the evaluation
 * scheduler. Instances share the work: a batch is claimed with SKIP LOCKED under a lease
 * long enough for the whole batch to be sent one by one, each delivery is sent only while
 * its lease holds, and its outcome is recorded only by the holder of the lease, so that
 * no alert reaches a webhook twice from two instances.
 * <p>
 * Deliveries are signed as Standard Webhooks: {@code webhook-id} (the same on every
 * retry), {@code webhook-timestamp} and {@code webhook-signature}. A webhook's URL may
 * carry a secret (Slack's do): only its host is ever logged.
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

	private final WebhookSignature signature;

	/** The longest one delivery takes: connecting, then waiting for the answer. */
	private final Duration perDelivery;

	private final Counter sent;

	private final Counter failed;

	AlertDispatcher(AlertProperties properties, JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock,
			MeterRegistry meters) {
		this.properties = properties;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
		if (!properties.webhooks().isEmpty() && !StringUtils.hasText(properties.webhookSecret())) {
			throw new IllegalStateException("podium.alerts.webhooks are set but podium.alerts.webhook-secret is not: "
					+ "receivers could not tell Podium's alerts from forgeries. Set it to whsec_ followed by base64 "
					+ "(e.g. whsec_$(openssl rand -base64 32)) and give receivers the same secret");
		}
		this.signature = StringUtils.hasText(properties.webhookSecret())
				? WebhookSignature.of(properties.webhookSecret()) : null;
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(properties.timeout()).build());
		requests.setReadTimeout(properties.timeout());
		this.http = RestClient.builder().requestFactory(requests).build();
		this.perDelivery = properties.timeout().multipliedBy(2);
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
	 * Takes due deliveries under one lease that outlasts sending all of them one after
	 * another, so that no other instance takes them meanwhile.
	 */
	List<Delivery> claimDue() {
		Instant now = this.clock.instant();
		Instant leasedUntil = now.plus(this.perDelivery.multipliedBy(BATCH)).plus(this.properties.timeout());
		UUID lease = UUID.randomUUID();
		return this.transactions.execute((status) -> this.jdbc.query("""
				update alert_deliveries set attempts = attempts + 1, lease_token = ?, leased_until = ?
				where id in (select id from alert_deliveries
				             where delivered_at is null and failed_at is null and next_attempt_at <= ?
				               and (leased_until is null or leased_until <= ?)
				             order by next_attempt_at for update skip locked limit ?)
				returning id, message_id, url, payload, attempts
				""",
				(row, number) -> new Delivery(row.getLong("id"), "msg_" + row.getObject("message_id", UUID.class),
						row.getString("url"), row.getString("payload"), row.getInt("attempts"), lease, leasedUntil),
				lease, Timestamp.from(leasedUntil), Timestamp.from(now), Timestamp.from(now), BATCH));
	}

	/**
	 * Sends one delivery if its lease still leaves time for it, and records the outcome
	 * if the lease is still this instance's.
	 */
	void deliver(Delivery delivery) {
		String host = hostOf(delivery.url());
		if (this.clock.instant().plus(this.perDelivery).isAfter(delivery.leasedUntil())) {
			log.info("Alert {} to {} is left for the next round: its lease would run out while sending", delivery.id(),
					host);
			return;
		}
		try {
			long timestamp = this.clock.instant().getEpochSecond();
			RestClient.RequestBodySpec request = this.http.post()
				.uri(URI.create(delivery.url()))
				.contentType(MediaType.APPLICATION_JSON)
				.header("webhook-id", delivery.messageId())
				.header("webhook-timestamp", Long.toString(timestamp));
			if (this.signature != null) {
				request.header("webhook-signature",
						this.signature.sign(delivery.messageId(), timestamp, delivery.payload()));
			}
			request.body(delivery.payload()).retrieve().toBodilessEntity();
			record(delivery, "delivered_at = ?, last_error = null", Timestamp.from(this.clock.instant()));
			this.sent.increment();
		}
		catch (RuntimeException ex) {
			this.failed.increment();
			String error = ex.getClass().getSimpleName();
			Instant now = this.clock.instant();
			if (delivery.attempts() >= this.properties.maxAttempts()) {
				record(delivery, "failed_at = ?, last_error = ?", Timestamp.from(now), error);
				log.warn("Gave up delivering alert {} to {} after {} attempts", delivery.id(), host,
						delivery.attempts());
				return;
			}
			Duration delay = this.properties.retryBaseDelay().multipliedBy(1L << Math.min(16, delivery.attempts() - 1));
			record(delivery, "next_attempt_at = ?, last_error = ?", Timestamp.from(now.plus(delay)), error);
			log.info("Alert {} to {} failed ({}); retry in {}", delivery.id(), host, error, delay);
		}
	}

	/** Fenced: an instance whose lease was taken over records nothing. */
	private void record(Delivery delivery, String assignments, Object... values) {
		Object[] parameters = Arrays.copyOf(values, values.length + 2);
		parameters[values.length] = delivery.id();
		parameters[values.length + 1] = delivery.lease();
		int updated = this.jdbc.update("update alert_deliveries set " + assignments
				+ ", lease_token = null, leased_until = null where id = ? and lease_token = ?", parameters);
		if (updated == 0) {
			log.info("Alert {}: another instance holds its delivery now; this outcome is not recorded", delivery.id());
		}
	}

	/** A webhook URL's path and query may be its secret: the host is all a log shows. */
	static String hostOf(String url) {
		try {
			String host = URI.create(url).getHost();
			return (host != null) ? host : "<no host>";
		}
		catch (IllegalArgumentException ex) {
			return "<unparsable URL>";
		}
	}

	record Delivery(long id, String messageId, String url, String payload, int attempts, UUID lease,
			Instant leasedUntil) {

		@Override
		public String toString() {
			return "Delivery[id=%d, host=%s, attempts=%d]".formatted(this.id, hostOf(this.url), this.attempts);
		}

	}

}
