package dev.podium.competition;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.podium.problem.ProblemException;
import dev.podium.security.Accounts;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one place that decides who manages a competition: operators manage every one; an
 * organizer manages those they created and those an operator granted them; participants
 * manage none. Every organizer endpoint asks it before it reads anything:
 * {@code @PreAuthorize("@competitionAccess.canManage(authentication, #slug)")} on a
 * handler whose {@code @PathVariable} {@code slug} names the competition (decided before
 * the body is read, see {@code AuthorizeBeforeReading}); code that finds a competition by
 * other means (a submission's) asks {@link #canManage(PodiumUser, UUID)}.
 * <p>
 * Grants and revocations are the operators', each recorded with who made it.
 */
@Component("competitionAccess")
public class CompetitionAccess {

	private final JdbcTemplate jdbc;

	private final Accounts accounts;

	private final Clock clock;

	CompetitionAccess(JdbcTemplate jdbc, Accounts accounts, Clock clock) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.clock = clock;
	}

	/**
	 * For {@code @PreAuthorize}: whether the caller manages the competition of this slug.
	 * False for a slug that does not exist, unless the caller is an operator (who then
	 * learns it does not exist), so that others cannot probe which competitions exist.
	 */
	@Transactional(readOnly = true)
	public boolean canManage(Authentication authentication, String slug) {
		PodiumUser user = userOf(authentication);
		if (user == null || slug == null) {
			return false;
		}
		if (user.role() == Role.OPERATOR) {
			return true;
		}
		return user.role() == Role.ORGANIZER && Boolean.TRUE.equals(this.jdbc.queryForObject("""
				select exists (select 1 from competition_managers m join competitions c on c.id = m.competition_id
				               where c.slug = ? and m.account_id = ?)
				""", Boolean.class, slug, user.id()));
	}

	@Transactional(readOnly = true)
	public boolean canManage(PodiumUser user, UUID competitionId) {
		if (user == null || competitionId == null) {
			return false;
		}
		if (user.role() == Role.OPERATOR) {
			return true;
		}
		return user.role() == Role.ORGANIZER && Boolean.TRUE.equals(this.jdbc.queryForObject(
				"select exists (select 1 from competition_managers where competition_id = ? and account_id = ?)",
				Boolean.class, competitionId, user.id()));
	}

	/** Its managers see a competition, and so do its participants. */
	public boolean canSee(PodiumUser user, Competition competition) {
		return competition.id().equals(user.competitionId()) || canManage(user, competition.id());
	}

	/**
	 * Whether the user manages a competition, for filtering many at once with one query.
	 */
	@Transactional(readOnly = true)
	public Predicate<UUID> manageableBy(PodiumUser user) {
		if (user == null || user.role() == Role.PARTICIPANT) {
			return (competitionId) -> false;
		}
		if (user.role() == Role.OPERATOR) {
			return (competitionId) -> true;
		}
		Set<UUID> managed = new HashSet<>(this.jdbc.queryForList(
				"select competition_id from competition_managers where account_id = ?", UUID.class, user.id()));
		return managed::contains;
	}

	/** The organizer who creates a competition manages it; operators need no grant. */
	@Transactional(propagation = Propagation.MANDATORY)
	void recordCreator(UUID competitionId, PodiumUser creator) {
		if (creator == null || creator.role() != Role.ORGANIZER) {
			return;
		}
		Instant now = this.clock.instant();
		this.jdbc.update("insert into competition_managers (competition_id, account_id, since) values (?, ?, ?)",
				competitionId, creator.id(), Timestamp.from(now));
		recordChange(competitionId, creator.id(), "CREATED", creator.name(), now);
	}

	/**
	 * Lets an organizer manage a competition; granting again changes nothing.
	 * @param grantedBy who grants it, for the record
	 */
	@Transactional
	public List<Manager> grant(String slug, String organizer, String grantedBy) {
		UUID competitionId = competitionId(slug);
		PodiumUser account = organizer(organizer);
		Instant now = this.clock.instant();
		int added = this.jdbc.update("""
				insert into competition_managers (competition_id, account_id, since) values (?, ?, ?)
				on conflict do nothing
				""", competitionId, account.id(), Timestamp.from(now));
		if (added > 0) {
			recordChange(competitionId, account.id(), "GRANTED", grantedBy, now);
		}
		return managers(competitionId);
	}

	/**
	 * Ends an organizer's management of a competition, whether they created it or not.
	 */
	@Transactional
	public List<Manager> revoke(String slug, String organizer, String revokedBy) {
		UUID competitionId = competitionId(slug);
		PodiumUser account = organizer(organizer);
		int removed = this.jdbc.update("delete from competition_managers where competition_id = ? and account_id = ?",
				competitionId, account.id());
		if (removed > 0) {
			recordChange(competitionId, account.id(), "REVOKED", revokedBy, this.clock.instant());
		}
		return managers(competitionId);
	}

	/** The organizers who manage a competition, besides every operator. */
	@Transactional(readOnly = true)
	public List<Manager> managers(String slug) {
		return managers(competitionId(slug));
	}

	/** Who was given or lost a competition, when and by whom, oldest first. */
	@Transactional(readOnly = true)
	public List<Change> changes(String slug) {
		return this.jdbc.query("""
				select a.name, x.change, x.changed_by, x.changed_at from competition_manager_changes x
				join accounts a on a.id = x.account_id
				where x.competition_id = ? order by x.changed_at, x.id
				""", (row, n) -> new Change(row.getString("name"), row.getString("change"), row.getString("changed_by"),
				row.getTimestamp("changed_at").toInstant()), competitionId(slug));
	}

	private List<Manager> managers(UUID competitionId) {
		return this.jdbc.query("""
				select a.name, m.since from competition_managers m join accounts a on a.id = m.account_id
				where m.competition_id = ? order by a.name
				""", (row, n) -> new Manager(row.getString("name"), row.getTimestamp("since").toInstant()),
				competitionId);
	}

	private void recordChange(UUID competitionId, UUID accountId, String change, String changedBy, Instant at) {
		this.jdbc.update("""
				insert into competition_manager_changes (competition_id, account_id, change, changed_by, changed_at)
				values (?, ?, ?, ?, ?)
				""", competitionId, accountId, change, changedBy, Timestamp.from(at));
	}

	private UUID competitionId(String slug) {
		return this.jdbc.queryForList("select id from competitions where slug = ?", UUID.class, slug)
			.stream()
			.findFirst()
			.orElseThrow(() -> ProblemException.notFound("Competition '" + slug + "'"));
	}

	private PodiumUser organizer(String name) {
		PodiumUser account = this.accounts.findStaff(name)
			.orElseThrow(() -> ProblemException.notFound("Organizer '" + name + "'"));
		if (account.role() != Role.ORGANIZER) {
			throw ProblemException.badRequest("not-an-organizer",
					"'" + name + "' is an operator: operators manage every competition without a grant");
		}
		return account;
	}

	private static PodiumUser userOf(Authentication authentication) {
		return (authentication != null && authentication.getPrincipal() instanceof PodiumUser user) ? user : null;
	}

	/** An organizer who manages a competition, and since when. */
	public record Manager(String name, Instant since) {
	}

	/** One grant, revocation or creation. */
	public record Change(String organizer, String change, String changedBy, Instant at) {
	}

}
