package dev.podium.dashboard;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.podium.submission.FailureCategory;
import dev.podium.submission.SubmissionStatus;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the pages need to see at a glance and no service exposes: counts across
 * submissions, the live sandboxes and the latest failures. Read-only, straight from the
 * database; every query of the dashboard lives here.
 */
@Component
class DashboardReadModel {

	private final NamedParameterJdbcTemplate jdbc;

	DashboardReadModel(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Participants, submissions and waiting submissions of every competition. */
	Map<UUID, CompetitionCounts> competitionCounts() {
		Map<UUID, CompetitionCounts> counts = new HashMap<>();
		this.jdbc.query("""
				select c.id, coalesce(a.participants, 0) as participants,
				       coalesce(t.submissions, 0) as submissions, coalesce(t.waiting, 0) as waiting
				from competitions c
				left join (select competition_id, count(*) as participants from accounts
				           where competition_id is not null group by competition_id) a
				       on a.competition_id = c.id
				left join (select competition_id, sum(n) as submissions,
				                  sum(n) filter (where status = 'QUEUED') as waiting
				           from submission_tallies group by competition_id) t
				       on t.competition_id = c.id
				""", (row) -> {
			counts.put(row.getObject("id", UUID.class), new CompetitionCounts(row.getLong("participants"),
					row.getLong("submissions"), row.getLong("waiting")));
		});
		return counts;
	}

	/** How many of each task's submissions are in each state. */
	Map<UUID, Map<SubmissionStatus, Long>> statusesByTask(UUID competitionId) {
		Map<UUID, Map<SubmissionStatus, Long>> counts = new HashMap<>();
		this.jdbc.query("""
				select task_id, status, sum(n) as n from submission_tallies
				where competition_id = :competition group by task_id, status having sum(n) > 0
				""", new MapSqlParameterSource("competition", competitionId), (row) -> {
			counts.computeIfAbsent(row.getObject("task_id", UUID.class), (id) -> new EnumMap<>(SubmissionStatus.class))
				.put(SubmissionStatus.valueOf(row.getString("status")), row.getLong("n"));
		});
		return counts;
	}

	/** A page of a competition's participants by name, with what they submitted. */
	List<ParticipantActivity> participants(UUID competitionId, int limit, long offset) {
		// the page's participants first, then their tallies once: joined the other way, a
		// planner misled by stale statistics summed every tally once per participant
		// (1.3 s for a thousand)
		return this.jdbc.query("""
				with page as materialized (
				    select id, name from accounts where competition_id = :competition
				    order by name, id limit :limit offset :offset),
				counts as materialized (
				    select participant_id, status, n, last_submitted_at from submission_tallies
				    where competition_id = :competition and participant_id = any(array(select id from page)))
				select p.name,
				       coalesce(sum(t.n) filter (where t.status <> 'CANCELLED'), 0) as submissions,
				       coalesce(sum(t.n) filter (where t.status = 'SCORED'), 0) as scored,
				       max(t.last_submitted_at) filter (where t.status <> 'CANCELLED' and t.n > 0) as last_submitted_at
				from page p
				left join counts t on t.participant_id = p.id
				group by p.id, p.name order by p.name, p.id
				""",
				new MapSqlParameterSource("competition", competitionId).addValue("limit", limit)
					.addValue("offset", offset),
				(row, n) -> new ParticipantActivity(row.getString("name"), row.getLong("submissions"),
						row.getLong("scored"), instant(row, "last_submitted_at")));
	}

	/** When each participant last submitted to the task, by participant name. */
	Map<String, Instant> lastSubmissions(UUID taskId) {
		Map<String, Instant> last = new HashMap<>();
		this.jdbc.query("""
				select a.name, max(t.last_submitted_at) as last_submitted_at
				from submission_tallies t join accounts a on a.id = t.participant_id
				where t.task_id = :task and t.status <> 'CANCELLED' and t.n > 0
				group by a.name
				""", new MapSqlParameterSource("task", taskId), (row) -> {
			last.put(row.getString("name"), instant(row, "last_submitted_at"));
		});
		return last;
	}

	/**
	 * Submissions in each unfinished state, and those that reached a final state since
	 * the given instant, by state name in the order of the states.
	 */
	Map<String, Long> statusCounts(Instant finishedSince) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (SubmissionStatus status : SubmissionStatus.values()) {
			counts.put(status.name(), 0L);
		}
		// the unfinished from the tallies, the finished since from their index
		this.jdbc.query("""
				select status, sum(n) as n from submission_tallies
				where status in ('QUEUED', 'EVALUATING')
				group by status
				union all
				select status, count(*) as n from submissions
				where finished_at >= :since and status not in ('QUEUED', 'EVALUATING')
				group by status
				""", new MapSqlParameterSource("since", Timestamp.from(finishedSince)), (row) -> {
			counts.put(row.getString("status"), row.getLong("n"));
		});
		return counts;
	}

	/** The given waiting submissions, in no particular order. */
	List<WaitingSubmission> waiting(java.util.Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.query("""
				select s.id, c.slug as competition, t.slug as task, a.name as participant, s.submitted_at,
				       s.attempts
				from submissions s
				join tasks t on t.id = s.task_id
				join competitions c on c.id = s.competition_id
				join accounts a on a.id = s.participant_id
				where s.status = 'QUEUED' and s.id = any(cast(:ids as uuid[]))
				""", new MapSqlParameterSource("ids", ids.toArray(UUID[]::new)),
				(row, n) -> new WaitingSubmission(row.getObject("id", UUID.class), row.getString("competition"),
						row.getString("task"), row.getString("participant"), instant(row, "submitted_at"),
						row.getInt("attempts")));
	}

	/**
	 * The latest failed submissions, newest first, of the competitions with these slugs
	 * ({@code null}: of all).
	 */
	List<RecentFailure> recentFailures(int limit, Set<String> competitions) {
		return this.jdbc.query("""
				select s.finished_at, c.slug as competition, t.slug as task, a.name as participant,
				       s.failure_category, s.failure_message, s.attempts
				from submissions s
				join tasks t on t.id = s.task_id
				join competitions c on c.id = s.competition_id
				join accounts a on a.id = s.participant_id
				where s.status = 'FAILED' and (:all or c.slug in (:slugs))
				order by s.finished_at desc nulls last, s.id
				limit :limit
				""",
				new MapSqlParameterSource("limit", limit).addValue("all", competitions == null)
					.addValue("slugs", (competitions == null || competitions.isEmpty()) ? List.of("") : competitions),
				(row, n) -> new RecentFailure(instant(row, "finished_at"), row.getString("competition"),
						row.getString("task"), row.getString("participant"),
						(row.getString("failure_category") != null)
								? FailureCategory.valueOf(row.getString("failure_category")) : null,
						row.getString("failure_message"), row.getInt("attempts")));
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		Timestamp timestamp = row.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	record CompetitionCounts(long participants, long submissions, long waiting) {

		static final CompetitionCounts NONE = new CompetitionCounts(0, 0, 0);

	}

	record ParticipantActivity(String name, long submissions, long scored, Instant lastSubmittedAt) {
	}

	record WaitingSubmission(UUID id, String competition, String task, String participant, Instant submittedAt,
			int attempts) {
	}

	record RecentFailure(Instant at, String competition, String task, String participant, FailureCategory category,
			String message, int attempts) {
	}

}
