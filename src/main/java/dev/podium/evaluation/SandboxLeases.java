package dev.podium.evaluation;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The leases under which instances drive sandboxes, as db-scheduler keeps its executions:
 * claimed with one statement that skips rows other instances hold, renewed by a heartbeat
 * of their own, and taken over once a holder stops renewing. Each takeover increments the
 * lease epoch, which every write of a step is fenced by: an instance that lost a lease (a
 * pause, a partition) can no longer change what it drove.
 */
@Component
class SandboxLeases {

	private final NamedParameterJdbcTemplate jdbc;

	SandboxLeases(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** A lease held: the sandbox and the epoch that fences writes under it. */
	record Lease(UUID sandboxId, long epoch, String owner) {
	}

	/**
	 * Claims (or keeps) the leases of sandboxes due for a step that nobody else holds:
	 * this instance's own, unheld ones, and those whose holder stopped renewing.
	 */
	List<Lease> claimDue(String owner, Instant now, Duration lease, int limit) {
		MapSqlParameterSource parameters = new MapSqlParameterSource("owner", owner)
			.addValue("now", Timestamp.from(now))
			.addValue("expires", Timestamp.from(now.plus(lease)))
			.addValue("limit", limit);
		return this.jdbc.query("""
				update sandboxes set lease_owner = :owner, lease_expires_at = :expires,
				    lease_epoch = case when lease_owner = :owner then lease_epoch else lease_epoch + 1 end
				where id in (select id from sandboxes
				             where status <> 'DESTROYED' and next_step_at <= :now
				               and (lease_owner = :owner or lease_owner is null or lease_expires_at < :now)
				             order by next_step_at limit :limit
				             for update skip locked)
				returning id, lease_epoch
				""", parameters, (rs, n) -> new Lease(rs.getObject(1, UUID.class), rs.getLong(2), owner));
	}

	/** The heartbeat: every lease this instance holds lives on. */
	int renew(String owner, Instant now, Duration lease) {
		return this.jdbc.update("""
				update sandboxes set lease_expires_at = :expires
				where lease_owner = :owner and status <> 'DESTROYED'
				""", new MapSqlParameterSource("owner", owner).addValue("expires", Timestamp.from(now.plus(lease))));
	}

	/** Hands every lease of this instance over at once (a graceful stop). */
	int releaseAll(String owner) {
		return this.jdbc.update(
				"update sandboxes set lease_owner = null, lease_expires_at = null where lease_owner = :owner",
				new MapSqlParameterSource("owner", owner));
	}

	/** A destroyed sandbox needs no lease. */
	void clear(UUID sandboxId) {
		this.jdbc.update("update sandboxes set lease_owner = null, lease_expires_at = null where id = :id",
				new MapSqlParameterSource("id", sandboxId));
	}

}
