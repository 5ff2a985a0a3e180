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

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
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
 * retry), {@code webhook-timestamp} and {@code webhook-signature}, with the operators'
 * secret, or for a webhook a user registered with its own secret, after
 * {@link RegisteredWebhooks} has checked again that it may still be sent to. A webhook's
 * URL may carry a secret (Slack's do): only its host is ever logged. Mails go through the
 * configured SMTP server ({@code spring.mail.*}); their addresses are never logged.
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

	private final ObjectProvider<RegisteredWebhooks> registered;

	private final ObjectProvider<JavaMailSender> mail;

	private final JsonMapper json;

	/** The longest one delivery takes: connecting, then waiting for the answer. */
	private final Duration perDelivery;

	private final Counter sent;

	private final Counter failed;

	AlertDispatcher(AlertProperties properties, JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock,
			MeterRegistry meters, ObjectProvider<RegisteredWebhooks> registered, ObjectProvider<JavaMailSender> mail,
			JsonMapper json) {
		this.properties = properties;
		this.json = json;
		this.registered = registered;
		this.mail = mail;
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
				             order by (signing_key is not null), next_attempt_at
				             for update skip locked limit ?)
				returning id, message_id, url, signing_key, payload, attempts
				""",
				(row, number) -> new Delivery(row.getLong("id"), "msg_" + row.getObject("message_id", UUID.class),
						row.getString("url"), row.getString("signing_key"), row.getString("payload"),
						row.getInt("attempts"), lease, leasedUntil),
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
			if (delivery.url().startsWith(Deliveries.MAIL_SCHEME)) {
				if (!sendMail(delivery)) {
					return;
				}
			}
			else if (!post(delivery)) {
				return;
			}
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

	/**
	 * @return whether it was sent; otherwise it has been given up
	 */
	private boolean post(Delivery delivery) {
		URI url = URI.create(delivery.url());
		WebhookSignature signedWith = this.signature;
		if (delivery.signingKey() != null) {
			RegisteredWebhooks webhooks = this.registered.getIfAvailable();
			RegisteredWebhooks.Check check = (webhooks != null) ? webhooks.check(delivery.signingKey(), url)
					: new RegisteredWebhooks.Check.Refuse("nothing keeps registered webhooks");
			if (check instanceof RegisteredWebhooks.Check.Refuse refuse) {
				giveUp(delivery, refuse.reason());
				return false;
			}
			signedWith = WebhookSignature.of(((RegisteredWebhooks.Check.Send) check).secret());
		}
		long timestamp = this.clock.instant().getEpochSecond();
		RestClient.RequestBodySpec request = this.http.post()
			.uri(url)
			.contentType(MediaType.APPLICATION_JSON)
			.header("webhook-id", delivery.messageId())
			.header("webhook-timestamp", Long.toString(timestamp));
		if (signedWith != null) {
			request.header("webhook-signature", signedWith.sign(delivery.messageId(), timestamp, delivery.payload()));
		}
		request.body(delivery.payload()).retrieve().toBodilessEntity();
		return true;
	}

	/**
	 * @return whether it was sent; otherwise it has been given up
	 */
	private boolean sendMail(Delivery delivery) {
		JavaMailSender sender = this.mail.getIfAvailable();
		if (sender == null) {
			giveUp(delivery, "no SMTP server is configured (spring.mail.host)");
			return false;
		}
		JsonNode mail = this.json.readTree(delivery.payload());
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.properties.mailFrom());
		message.setTo(delivery.url().substring(Deliveries.MAIL_SCHEME.length()));
		message.setSubject(mail.path("subject").asString());
		message.setText(mail.path("text").asString());
		sender.send(message);
		return true;
	}

	private void giveUp(Delivery delivery, String reason) {
		record(delivery, "failed_at = ?, last_error = ?", Timestamp.from(this.clock.instant()),
				(reason.length() > 500) ? reason.substring(0, 499) + "…" : reason);
		log.info("Delivery {} to {} is given up: {}", delivery.id(), hostOf(delivery.url()), reason);
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

	/**
	 * A webhook URL's path and query may be its secret: the host is all a log shows; of a
	 * mail address, only that it is one.
	 */
	static String hostOf(String url) {
		if (url.startsWith(Deliveries.MAIL_SCHEME)) {
			return "<mail>";
		}
		try {
			String host = URI.create(url).getHost();
			return (host != null) ? host : "<no host>";
		}
		catch (IllegalArgumentException ex) {
			return "<unparsable URL>";
		}
	}

	record Delivery(long id, String messageId, String url, String signingKey, String payload, int attempts, UUID lease,
			Instant leasedUntil) {

		@Override
		public String toString() {
			return "Delivery[id=%d, host=%s, attempts=%d]".formatted(this.id, hostOf(this.url), this.attempts);
		}

	}

}
