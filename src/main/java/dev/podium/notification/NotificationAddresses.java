package dev.podium.notification;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Where each participant wants the outcomes of their own submissions mailed. An address
 * is personal: only its owner sees it, and no log line names it.
 */
@Service
public class NotificationAddresses {

	static final int MAX_ADDRESS = 320;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	NotificationAddresses(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * @return the address as kept
	 */
	public String set(PodiumUser participant, String address) {
		String checked = check(address);
		this.jdbc.update("""
				insert into notification_addresses (account_id, address, updated_at) values (?, ?, ?)
				on conflict (account_id) do update set address = excluded.address, updated_at = excluded.updated_at
				""", participant.id(), checked, Timestamp.from(this.clock.instant()));
		return checked;
	}

	public Optional<String> find(PodiumUser participant) {
		return of(participant.id());
	}

	/**
	 * @return whether there was one
	 */
	public boolean remove(PodiumUser participant) {
		return this.jdbc.update("delete from notification_addresses where account_id = ?", participant.id()) > 0;
	}

	Optional<String> of(UUID accountId) {
		return this.jdbc
			.queryForList("select address from notification_addresses where account_id = ?", String.class, accountId)
			.stream()
			.findFirst();
	}

	/**
	 * One plain address such as {@code ada@example.org}: no name, no list, no line
	 * breaks.
	 */
	static String check(String address) {
		if (address == null || address.isBlank()) {
			throw ProblemException.badRequest("invalid-email", "Give the address to mail");
		}
		String stripped = address.strip();
		if (stripped.length() > MAX_ADDRESS) {
			throw ProblemException.badRequest("invalid-email",
					"The address is longer than " + MAX_ADDRESS + " characters");
		}
		try {
			InternetAddress parsed = new InternetAddress(stripped, true);
			String domain = stripped.substring(stripped.lastIndexOf('@') + 1);
			if (!parsed.getAddress().equals(stripped) || parsed.getPersonal() != null || !domain.contains(".")
					|| stripped.chars().anyMatch(Character::isWhitespace)) {
				throw new AddressException("not one plain address");
			}
			return stripped;
		}
		catch (AddressException ex) {
			throw ProblemException.badRequest("invalid-email", "Give one plain mail address, such as ada@example.org");
		}
	}

}
