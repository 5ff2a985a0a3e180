package dev.podium.submission;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the view {@code submission_tallies} (submissions per task, participant and state,
 * for the dashboards) cheap to read: a trigger appends each change of a submission's
 * state to {@code submission_count_changes}, and this folds them into
 * {@code submission_counts} every few seconds, on one instance at a time. A reader sums
 * both, so the counts are exact whenever they are read; folding only keeps the changes
 * few.
 */
@Component
class SubmissionTallies {

	private static final Logger log = LoggerFactory.getLogger(SubmissionTallies.class);

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	SubmissionTallies(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Scheduled(fixedDelayString = "${podium.dashboard.tally-interval:5s}")
	void foldOnSchedule() {
		try {
			fold();
		}
		catch (RuntimeException ex) {
			// the changes wait in the database for the next round
			log.warn("Could not fold the submission counts' changes: {}", ex.getMessage());
		}
	}

	/**
	 * Moves every committed change into the counts, in one transaction; changes of
	 * deleted tasks or accounts are dropped with them.
	 * @return how many changes were folded, or -1 when another instance was folding
	 */
	int fold() {
		Integer folded = this.transactions.execute((status) -> {
			Boolean mine = this.jdbc.queryForObject(
					"select pg_try_advisory_xact_lock(hashtextextended('submission-counts', 0))", Boolean.class);
			if (!Boolean.TRUE.equals(mine)) {
				return -1;
			}
			return this.jdbc.queryForObject("""
					with moved as (
					    delete from submission_count_changes
					    returning task_id, participant_id, competition_id, status, delta, last_submitted_at),
					folded as (
					    insert into submission_counts (task_id, participant_id, competition_id, status, n,
					                                   last_submitted_at)
					    select m.task_id, m.participant_id, m.competition_id, m.status, sum(m.delta),
					           max(m.last_submitted_at)
					    from moved m
					    join tasks t on t.id = m.task_id
					    join accounts a on a.id = m.participant_id
					    group by m.task_id, m.participant_id, m.competition_id, m.status
					    on conflict (task_id, participant_id, status) do update
					        set n = submission_counts.n + excluded.n,
					            last_submitted_at = greatest(submission_counts.last_submitted_at,
					                                         excluded.last_submitted_at)
					    returning 1)
					select count(*) from moved
					""", Integer.class);
		});
		if (folded != null && folded > 0) {
			// every reader scans the changes whole: the rows just deleted must not stay
			// behind as dead pages until autovacuum's next visit (5 ms a read at 100
			// POSTs
			// a second), and the counts' updated rows likewise
			this.jdbc.execute("vacuum submission_count_changes, submission_counts");
		}
		return (folded != null) ? folded : 0;
	}

}
