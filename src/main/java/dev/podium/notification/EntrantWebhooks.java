package dev.podium.notification;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import dev.podium.alert.RegisteredWebhooks;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;
import dev.podium.security.SecretBox;
import dev.podium.submission.Entrants;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Teams' webhooks: one per team (a participant alone is a team of one), which any member
 * may set, replace or remove. Its signing secret is made by Podium, shown once in the
 * answer that made it, and kept sealed; replacing the webhook makes a new one.
 */
@Service
public class EntrantWebhooks implements RegisteredWebhooks {

	private static final String KEY_PREFIX = "entrant:";

	private static final SecureRandom random = new SecureRandom();

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final SecretBox secrets;

	private final Entrants entrants;

	private final WebhookAddressGuard guard;

	private final Clock clock;

	EntrantWebhooks(JdbcTemplate jdbc, TransactionTemplate transactions, SecretBox secrets, Entrants entrants,
			WebhookAddressGuard guard, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.secrets = secrets;
		this.entrants = entrants;
		this.guard = guard;
		this.clock = clock;
	}

	/** A webhook as its team sees it; the secret only in the answer that made it. */
	public record Webhook(URI url, Instant registeredAt, UUID registeredBy, String secret) {

		@Override
		public String toString() {
			return "Webhook[host=%s, secret=<redacted>]".formatted(this.url.getHost());
		}

	}

	/**
	 * Sets the caller's team's webhook (replacing one it had) after checking its address,
	 * which resolves its host: called with no transaction open.
	 */
	public Webhook register(PodiumUser participant, String url) {
		URI uri = parse(url);
		try {
			this.guard.refusal(uri).ifPresent((reason) -> {
				throw ProblemException.badRequest("invalid-webhook", reason);
			});
		}
		catch (WebhookAddressGuard.Unresolved ex) {
			throw ProblemException.badRequest("invalid-webhook", ex.getMessage());
		}
		UUID entrant = this.entrants.holderOf(participant).id();
		String secret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes());
		Instant now = this.clock.instant();
		this.transactions.executeWithoutResult((status) -> this.jdbc.update(
				"""
						insert into entrant_webhooks (entrant_id, competition_id, url, secret_sealed, registered_at, registered_by)
						values (?, ?, ?, ?, ?, ?)
						on conflict (entrant_id) do update set url = excluded.url, secret_sealed = excluded.secret_sealed,
						    registered_at = excluded.registered_at, registered_by = excluded.registered_by
						""",
				entrant, participant.competitionId(), uri.toString(), this.secrets.seal(secret, entrant),
				Timestamp.from(now), participant.id()));
		return new Webhook(uri, now, participant.id(), secret);
	}

	/** The caller's team's webhook, without its secret. */
	public Optional<Webhook> find(PodiumUser participant) {
		return this.jdbc
			.query("select url, registered_at, registered_by from entrant_webhooks where entrant_id = ?",
					(row, n) -> new Webhook(URI.create(row.getString(1)), row.getTimestamp(2).toInstant(),
							row.getObject(3, UUID.class), null),
					this.entrants.holderOf(participant).id())
			.stream()
			.findFirst();
	}

	/**
	 * Removes the caller's team's webhook; deliveries still waiting for it are given up
	 * when their turn comes.
	 * @return whether it had one
	 */
	public boolean remove(PodiumUser participant) {
		return this.jdbc.update("delete from entrant_webhooks where entrant_id = ?",
				this.entrants.holderOf(participant).id()) > 0;
	}

	/** The webhook of a team, for queuing a delivery to it. */
	Optional<URI> urlOf(UUID entrantId) {
		return this.jdbc.queryForList("select url from entrant_webhooks where entrant_id = ?", String.class, entrantId)
			.stream()
			.findFirst()
			.map(URI::create);
	}

	static String signingKey(UUID entrantId) {
		return KEY_PREFIX + entrantId;
	}

	/** The latest delivery to the caller's team's webhook, for the team to see. */
	public Optional<LastDelivery> lastDelivery(PodiumUser participant) {
		return this.jdbc
			.query("""
					select type, created_at, delivered_at, failed_at, attempts, last_error from alert_deliveries
					where signing_key = ? order by id desc limit 1
					""", (row, n) -> new LastDelivery(row.getString(1), row.getTimestamp(2).toInstant(),
					instant(row.getTimestamp(3)), instant(row.getTimestamp(4)), row.getInt(5), row.getString(6)),
					signingKey(this.entrants.holderOf(participant).id()))
			.stream()
			.findFirst();
	}

	/**
	 * @param lastError what the latest attempt met (an exception's kind, an answer's
	 * status, or why it was given up), never the receiver's answer body
	 */
	public record LastDelivery(String type, Instant queuedAt, Instant deliveredAt, Instant givenUpAt, int attempts,
			String lastError) {
	}

	@Override
	public Check check(String signingKey, URI url) {
		if (!signingKey.startsWith(KEY_PREFIX)) {
			return new Check.Refuse("not a team's webhook");
		}
		UUID entrant = UUID.fromString(signingKey.substring(KEY_PREFIX.length()));
		record Row(String url, byte[] sealed) {
		}
		Optional<Row> row = this.jdbc
			.query("select url, secret_sealed from entrant_webhooks where entrant_id = ?",
					(result, n) -> new Row(result.getString(1), result.getBytes(2)), entrant)
			.stream()
			.findFirst();
		if (row.isEmpty()) {
			return new Check.Refuse("the team removed its webhook");
		}
		if (!row.get().url().equals(url.toString())) {
			return new Check.Refuse("the team changed its webhook to another URL");
		}
		// a host that does not resolve now throws: the delivery is tried again later
		Optional<String> refusal = this.guard.refusal(url);
		if (refusal.isPresent()) {
			return new Check.Refuse(refusal.get());
		}
		return new Check.Send(this.secrets.open(row.get().sealed(), entrant));
	}

	private static URI parse(String url) {
		if (url == null || url.isBlank()) {
			throw ProblemException.badRequest("invalid-webhook", "Give the webhook's url");
		}
		if (url.strip().length() > WebhookAddressGuard.MAX_URL) {
			throw ProblemException.badRequest("invalid-webhook",
					"The webhook's URL is longer than " + WebhookAddressGuard.MAX_URL + " characters");
		}
		try {
			return new URI(url.strip());
		}
		catch (URISyntaxException ex) {
			throw ProblemException.badRequest("invalid-webhook", "The webhook's URL is not a valid URL");
		}
	}

	private static byte[] randomBytes() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return bytes;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
