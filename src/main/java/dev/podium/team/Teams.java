package dev.podium.team;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.problem.ProblemException;
import dev.podium.security.Accounts;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;
import dev.podium.security.Tokens;
import dev.podium.submission.EntrantLedger;
import dev.podium.submission.Entrants;
import dev.podium.submission.QuotaHolder;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A competition's teams, and who every participant competes for.
 * <p>
 * A participant without a team is a team of one: their entrant is their own account id,
 * and nothing is written for them until they join or found a team. Whenever a team takes
 * in an entrant that has submissions (a participant who competed alone, or another team)
 * that is a merge: those submissions become the team's, which is allowed only before the
 * merge deadline and only while, task by task, the merged team's submissions do not
 * exceed what one team could have made so far (the daily limit times the competition's
 * days up to today), the rule Kaggle uses. Every change is serialised per competition and
 * recorded.
 */
@Service
public class Teams implements Entrants {

	private static final String CODE_PREFIX = "team_";

	private final JdbcTemplate jdbc;

	private final Competitions competitions;

	private final Accounts accounts;

	private final EntrantLedger ledger;

	private final Clock clock;

	Teams(JdbcTemplate jdbc, Competitions competitions, Accounts accounts, EntrantLedger ledger, Clock clock) {
		this.jdbc = jdbc;
		this.competitions = competitions;
		this.accounts = accounts;
		this.ledger = ledger;
		this.clock = clock;
	}

	@Override
	@Transactional(readOnly = true)
	public QuotaHolder holderOf(PodiumUser participant) {
		if (participant.competitionId() == null) {
			return QuotaHolder.of(participant);
		}
		return this.jdbc
			.query("""
					select t.id, t.name from team_members m join teams t on t.id = m.team_id
					where m.competition_id = ? and m.participant_id = ?
					""", (row, n) -> QuotaHolder.team(row.getObject(1, UUID.class), row.getString(2)),
					participant.competitionId(), participant.id())
			.stream()
			.findFirst()
			.orElseGet(() -> QuotaHolder.of(participant));
	}

	/**
	 * Display names by entrant id, for boards and pages: a team's name, or the name of
	 * the participant who is a team of one. Unknown ids are left out.
	 */
	@Transactional(readOnly = true)
	public Map<UUID, String> names(Collection<UUID> entrantIds) {
		Map<UUID, String> names = new HashMap<>();
		if (entrantIds.isEmpty()) {
			return names;
		}
		List<UUID> ids = List.copyOf(new java.util.HashSet<>(entrantIds));
		new NamedParameterJdbcTemplate(this.jdbc).query("select id, name from teams where id in (:ids)",
				new MapSqlParameterSource("ids", ids),
				(RowCallbackHandler) (row) -> names.put(row.getObject(1, UUID.class), row.getString(2)));
		List<UUID> rest = ids.stream().filter((id) -> !names.containsKey(id)).toList();
		names.putAll(this.accounts.names(rest));
		return names;
	}

	/** The participant's team, if they have one. */
	@Transactional(readOnly = true)
	public Optional<Team> teamOf(PodiumUser participant) {
		QuotaHolder holder = holderOf(participant);
		return (holder.kind() == QuotaHolder.Kind.TEAM) ? load(holder.id()) : Optional.empty();
	}

	@Transactional(readOnly = true)
	public List<Team> list(String slug) {
		Competition competition = competition(slug);
		return this.jdbc
			.queryForList("select id from teams where competition_id = ? order by lower(name)", UUID.class,
					competition.id())
			.stream()
			.map((id) -> load(id).orElseThrow())
			.toList();
	}

	@Transactional(readOnly = true)
	public Team find(String slug, UUID teamId) {
		return teamIn(competition(slug), teamId);
	}

	@Transactional(readOnly = true)
	public TeamSettings settings(UUID competitionId) {
		return this.jdbc
			.query("select self_service, max_team_size, merge_deadline from team_settings where competition_id = ?",
					(row, n) -> new TeamSettings(row.getBoolean(1), row.getInt(2), instant(row.getTimestamp(3))),
					competitionId)
			.stream()
			.findFirst()
			.orElse(TeamSettings.DEFAULTS);
	}

	@Transactional(readOnly = true)
	public TeamSettings settings(String slug) {
		return settings(competition(slug).id());
	}

	@Transactional
	public TeamSettings updateSettings(String slug, TeamSettings settings, PodiumUser by) {
		Competition competition = competition(slug);
		if (settings.maxTeamSize() < 1 || settings.maxTeamSize() > TeamSettings.LARGEST_TEAM) {
			throw ProblemException.badRequest("invalid-team-settings",
					"'maxTeamSize' must be between 1 and " + TeamSettings.LARGEST_TEAM);
		}
		lockTeamsOf(competition);
		this.jdbc.update("""
				insert into team_settings (competition_id, self_service, max_team_size, merge_deadline)
				values (?, ?, ?, ?)
				on conflict (competition_id) do update set self_service = excluded.self_service,
				    max_team_size = excluded.max_team_size, merge_deadline = excluded.merge_deadline
				""", competition.id(), settings.selfService(), settings.maxTeamSize(),
				(settings.mergeDeadline() != null) ? Timestamp.from(settings.mergeDeadline()) : null);
		record(competition.id(), competition.id(), "SETTINGS", "selfService=%s maxTeamSize=%d mergeDeadline=%s"
			.formatted(settings.selfService(), settings.maxTeamSize(), settings.mergeDeadline()), by);
		return settings(competition.id());
	}

	/** Every change of the competition's teams, oldest first. */
	@Transactional(readOnly = true)
	public List<TeamChange> changes(String slug) {
		return this.jdbc.query("""
				select team_id, change, detail, changed_by, changed_at from team_changes
				where competition_id = ? order by changed_at, id
				""", (row, n) -> new TeamChange(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
				row.getString(4), row.getTimestamp(5).toInstant()), competition(slug).id());
	}

	/**
	 * An organizer founds a team with the named participants; those who competed alone
	 * bring their submissions, as in a merge.
	 */
	@Transactional
	public Team create(String slug, String name, List<String> memberNames, PodiumUser by) {
		Competition competition = competition(slug);
		lockTeamsOf(competition);
		List<PodiumUser> members = new ArrayList<>();
		for (String memberName : (memberNames != null) ? memberNames : List.<String>of()) {
			members.add(participant(competition, memberName));
		}
		UUID teamId = insertTeam(competition, name, null, by);
		for (PodiumUser member : members) {
			bringIn(competition, teamId, member, by);
		}
		return load(teamId).orElseThrow();
	}

	/** A team founded by a participant, and the code others join it with. */
	public record Founded(Team team, String joinCode) {

		@Override
		public String toString() {
			return "Founded[team=%s, joinCode=<redacted>]".formatted(this.team.id());
		}

	}

	/**
	 * A participant founds a team, when the competition lets participants do so; their
	 * own submissions become the team's.
	 */
	@Transactional
	public Founded found(PodiumUser participant, String name) {
		Competition competition = ownCompetition(participant);
		requireSelfService(competition);
		lockTeamsOf(competition);
		if (holderOf(participant).kind() == QuotaHolder.Kind.TEAM) {
			throw ProblemException.conflict("already-in-team",
					"You are in team '" + holderOf(participant).name() + "'; a participant is in one team at most");
		}
		String code = Tokens.generate(CODE_PREFIX);
		UUID teamId = insertTeam(competition, name, Tokens.hash(code), participant);
		bringIn(competition, teamId, participant, participant);
		return new Founded(load(teamId).orElseThrow(), code);
	}

	/** A new join code for the participant's team; the old one stops working. */
	@Transactional
	public Founded rotateJoinCode(PodiumUser participant) {
		Competition competition = ownCompetition(participant);
		lockTeamsOf(competition);
		Team team = teamOf(participant).orElseThrow(() -> ProblemException.conflict("no-team",
				"You are not in a team; found one first (POST /api/me/team)"));
		String code = Tokens.generate(CODE_PREFIX);
		this.jdbc.update("update teams set join_code_hash = ? where id = ?", Tokens.hash(code), team.id());
		record(competition.id(), team.id(), "JOIN_CODE", "a new join code replaced the old one", participant);
		return new Founded(team, code);
	}

	/**
	 * A participant joins the team whose code they were given. Alone, they bring their
	 * own submissions; in a team already, their whole team merges into this one.
	 */
	@Transactional
	public Team join(PodiumUser participant, String code) {
		Competition competition = ownCompetition(participant);
		requireSelfService(competition);
		lockTeamsOf(competition);
		UUID teamId = (code == null || code.isBlank()) ? null
				: this.jdbc
					.queryForList("select id from teams where competition_id = ? and join_code_hash = ?", UUID.class,
							competition.id(), Tokens.hash(code.trim()))
					.stream()
					.findFirst()
					.orElse(null);
		if (teamId == null) {
			throw ProblemException.notFound("A team with this join code");
		}
		QuotaHolder holder = holderOf(participant);
		if (holder.id().equals(teamId)) {
			return load(teamId).orElseThrow();
		}
		if (holder.kind() == QuotaHolder.Kind.TEAM) {
			merge(competition, teamId, load(holder.id()).orElseThrow(), participant);
		}
		else {
			bringIn(competition, teamId, participant, participant);
		}
		return load(teamId).orElseThrow();
	}

	/** An organizer adds a participant who competes alone to a team. */
	@Transactional
	public Team addMember(String slug, UUID teamId, String participantName, PodiumUser by) {
		Competition competition = competition(slug);
		lockTeamsOf(competition);
		Team team = teamIn(competition, teamId);
		bringIn(competition, team.id(), participant(competition, participantName), by);
		return load(teamId).orElseThrow();
	}

	/** An organizer merges one team into another, which keeps its id and name. */
	@Transactional
	public Team merge(String slug, UUID intoId, UUID fromId, PodiumUser by) {
		Competition competition = competition(slug);
		lockTeamsOf(competition);
		Team into = teamIn(competition, intoId);
		Team from = teamIn(competition, fromId);
		if (into.id().equals(from.id())) {
			throw ProblemException.badRequest("invalid-merge", "A team cannot be merged into itself");
		}
		merge(competition, into.id(), from, by);
		return load(intoId).orElseThrow();
	}

	private void merge(Competition competition, UUID intoId, Team from, PodiumUser by) {
		Team into = load(intoId).orElseThrow();
		int moved = admit(competition, into, from.id(), from.members().size(), by);
		this.jdbc.update("update team_members set team_id = ? where team_id = ?", into.id(), from.id());
		this.jdbc.update("delete from teams where id = ?", from.id());
		record(competition.id(), into.id(), "MERGED",
				"team '%s' (%s, %d submissions) merged into '%s'".formatted(from.name(), from.id(), moved, into.name()),
				by);
	}

	/** A participant who competes alone joins the team, with their submissions. */
	private void bringIn(Competition competition, UUID teamId, PodiumUser participant, PodiumUser by) {
		QuotaHolder holder = holderOf(participant);
		if (holder.kind() == QuotaHolder.Kind.TEAM) {
			throw ProblemException
				.conflict("already-in-team",
						"'%s' is in team '%s' already; merge the teams instead".formatted(participant.name(),
								holder.name()))
				.with("team", holder.id().toString());
		}
		Team team = load(teamId).orElseThrow();
		int moved = admit(competition, team, participant.id(), 1, by);
		this.jdbc.update(
				"insert into team_members (competition_id, participant_id, team_id, joined_at) values (?, ?, ?, ?)",
				competition.id(), participant.id(), teamId, Timestamp.from(this.clock.instant()));
		record(competition.id(), teamId, "JOINED",
				"'%s' joined '%s' with %d submissions".formatted(participant.name(), team.name(), moved), by);
	}

	/**
	 * Checks that the team may take in the entrant and its members, then moves the
	 * entrant's submissions to the team, under the intake's locks of both.
	 * @return how many submissions moved
	 */
	private int admit(Competition competition, Team team, UUID entrant, int newMembers, PodiumUser by) {
		TeamSettings settings = settings(competition.id());
		if (team.members().size() + newMembers > settings.maxTeamSize()) {
			throw ProblemException
				.conflict("team-full",
						"Team '%s' has %d members; a team has at most %d".formatted(team.name(), team.members().size(),
								settings.maxTeamSize()))
				.with("maxTeamSize", settings.maxTeamSize());
		}
		List<UUID> taskIds = competition.tasks().stream().map(Task::id).toList();
		this.ledger.lock(List.of(team.id(), entrant), taskIds);
		Map<UUID, Long> incoming = this.ledger.countedByTask(entrant);
		boolean bringsSubmissions = this.ledger.countAll(entrant) > 0;
		Instant now = this.clock.instant();
		Instant deadline = (settings.mergeDeadline() != null) ? settings.mergeDeadline() : competition.endsAt();
		if ((bringsSubmissions || by.role() == Role.PARTICIPANT) && !now.isBefore(deadline)) {
			throw new ProblemException(HttpStatus.CONFLICT, "team-merge-deadline-passed", "Merge deadline passed",
					"Teams could merge or take in members until " + deadline)
				.with("mergeDeadline", deadline.toString());
		}
		if (bringsSubmissions) {
			Map<UUID, Long> own = this.ledger.countedByTask(team.id());
			long days = daysSoFar(competition, now);
			for (Task task : competition.tasks()) {
				long merged = own.getOrDefault(task.id(), 0L) + incoming.getOrDefault(task.id(), 0L);
				long allowed = days * task.dailySubmissionLimit();
				if (merged > allowed) {
					throw ProblemException
						.conflict("team-merge-too-many-submissions",
								("Together the teams made %d submissions to task '%s', more than the %d one team "
										+ "could have made in %d days")
									.formatted(merged, task.slug(), allowed, days))
						.with("task", task.slug())
						.with("submissions", merged)
						.with("allowed", allowed);
				}
			}
		}
		return this.ledger.transfer(entrant, team.id());
	}

	/** The competition's days so far, today included, in its time zone. */
	private static long daysSoFar(Competition competition, Instant now) {
		if (now.isBefore(competition.startsAt())) {
			return 0;
		}
		LocalDate first = LocalDate.ofInstant(competition.startsAt(), competition.zone());
		LocalDate today = LocalDate.ofInstant(now, competition.zone());
		return ChronoUnit.DAYS.between(first, today) + 1;
	}

	private UUID insertTeam(Competition competition, String name, String codeHash, PodiumUser by) {
		String trimmed = (name != null) ? name.strip() : "";
		if (trimmed.isEmpty() || trimmed.length() > 100 || trimmed.chars().anyMatch(Character::isISOControl)) {
			throw ProblemException.badRequest("invalid-team-name",
					"'name' must be 1 to 100 characters, without control characters");
		}
		Boolean taken = this.jdbc.queryForObject(
				"select exists (select 1 from teams where competition_id = ? and lower(name) = lower(?))",
				Boolean.class, competition.id(), trimmed);
		if (Boolean.TRUE.equals(taken)) {
			throw ProblemException.conflict("team-name-taken",
					"A team named '" + trimmed + "' already exists in this competition");
		}
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				insert into teams (id, competition_id, name, join_code_hash, created_at, created_by)
				values (?, ?, ?, ?, ?, ?)
				""", id, competition.id(), trimmed, codeHash, Timestamp.from(this.clock.instant()), by.name());
		record(competition.id(), id, "CREATED", "team '" + trimmed + "' created", by);
		return id;
	}

	private Optional<Team> load(UUID teamId) {
		List<Team.Member> members = this.jdbc.query(
				"""
						select m.participant_id, a.name, m.joined_at from team_members m join accounts a on a.id = m.participant_id
						where m.team_id = ? order by m.joined_at, a.name
						""",
				(row, n) -> new Team.Member(row.getObject(1, UUID.class), row.getString(2),
						row.getTimestamp(3).toInstant()),
				teamId);
		return this.jdbc
			.query("select id, competition_id, name, created_at from teams where id = ?",
					(row, n) -> new Team(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getString(3),
							members, row.getTimestamp(4).toInstant()),
					teamId)
			.stream()
			.findFirst();
	}

	private Team teamIn(Competition competition, UUID teamId) {
		return load(teamId).filter((team) -> team.competitionId().equals(competition.id()))
			.orElseThrow(() -> ProblemException.notFound("Team " + teamId));
	}

	private PodiumUser participant(Competition competition, String name) {
		return this.accounts.participantsOf(competition.id())
			.stream()
			.filter((candidate) -> candidate.name().equals(name))
			.findFirst()
			.orElseThrow(() -> ProblemException.notFound("Participant '" + name + "'"));
	}

	private Competition competition(String slug) {
		return this.competitions.find(slug).orElseThrow(() -> ProblemException.notFound("Competition '" + slug + "'"));
	}

	private Competition ownCompetition(PodiumUser participant) {
		return this.competitions.find(participant.competitionId())
			.orElseThrow(() -> ProblemException.notFound("The participant's competition"));
	}

	private void requireSelfService(Competition competition) {
		if (!settings(competition.id()).selfService()) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "teams-not-self-service", "Teams are the organizers'",
					"In this competition the organizers form the teams");
		}
	}

	/** Serialises every change of one competition's teams, across instances. */
	private void lockTeamsOf(Competition competition) {
		this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "teams:" + competition.id());
	}

	private void record(UUID competitionId, UUID teamId, String change, String detail, PodiumUser by) {
		this.jdbc.update("""
				insert into team_changes (competition_id, team_id, change, detail, changed_by, changed_at)
				values (?, ?, ?, ?, ?, ?)
				""", competitionId, teamId, change, detail, by.name() + " (" + by.role() + ")",
				Timestamp.from(this.clock.instant()));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
