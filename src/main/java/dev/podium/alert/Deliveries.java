package dev.podium.alert;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues messages for {@link AlertDispatcher}: written in the transaction of what they
 * report (which must be open), so that they go out exactly when it happened and a restart
 * never loses them, then sent apart from it, retried with backoff.
 */
@Service
public class Deliveries {

	static final String MAIL_SCHEME = "mailto:";

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final Clock clock;

	Deliveries(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * A JSON POST to a webhook a user registered, signed with its secret.
	 * @param signingKey what {@link RegisteredWebhooks} knows the webhook by
	 */
	public void toRegisteredWebhook(URI url, String signingKey, String type, String payload) {
		insert(url.toString(), signingKey, type, payload);
	}

	/** A plain-text mail; sent only when an SMTP server is configured. */
	public void mail(String address, String type, String subject, String text) {
		insert(MAIL_SCHEME + address, null, type,
				this.json.writeValueAsString(Map.of("subject", subject, "text", text)));
	}

	void toConfiguredWebhook(URI url, String type, String payload) {
		insert(url.toString(), null, type, payload);
	}

	private void insert(String url, String signingKey, String type, String payload) {
		// written with what it reports or not at all; checked rather than declared, so
		// that a failure here reaches the caller's savepoint without marking the caller's
		// transaction rollback-only
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("A delivery is queued within the transaction of what it reports");
		}
		Instant now = this.clock.instant();
		this.jdbc.update("""
				insert into alert_deliveries (url, signing_key, type, payload, created_at, next_attempt_at)
				values (?, ?, ?, ?, ?, ?)
				""", url, signingKey, type, payload, Timestamp.from(now), Timestamp.from(now));
	}

}
