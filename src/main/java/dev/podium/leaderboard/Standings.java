package dev.podium.leaderboard;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.BoardAudit;
import dev.podium.competition.BoardRulesChanged;
import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.PrivateBoardRule;
import dev.podium.competition.Task;
import dev.podium.scoring.Metric;
import dev.podium.scoring.Metrics;
import dev.podium.submission.SubmissionStandingChanged;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The stored standings: for each task, board and entrant, the submission that stands for
 * the entrant, written from the entrant's submissions in the transaction that changed
 * them. Every refresh recomputes what it touches from the submissions alone, so it is
 * safe to repeat, and a full rebuild gives the same rows as refreshes one by one.
 * <p>
 * <b>The order.</b> {@code rank_key} is the primary score, then each secondary one in the
 * task's order, each signed so that greater is better (an undefined secondary score is
 * {@code -Infinity}, the worst); equal keys go to the earlier submission, then to the
 * smaller id, so that the order is total and the same on every read. The same order picks
 * an entrant's best submission.
 */
@Component
public class Standings {

	private static final Logger log = LoggerFactory.getLogger(Standings.class);

	/**
	 * Scored, not excluded submissions of the task (of some of its entrants) with their
	 * keys and their category; then per slot and category the best public one, the best
	 * public one scored before the freeze, and the best private one among the candidates
	 * (the selected ones, or the top {@code :candidates} by public key without a
	 * selection).
	 */
	private static final String REFRESH = """
			insert into standings (task_id, board, category, slot_id, entrant_id, submission_id, score, rank_key,
			                       submitted_at)
			with scored as (
			    select s.id, s.entrant_id, s.submitted_at, s.finished_at, s.selected, s.public_score, s.private_score,
			           case when s.baseline then s.id else s.entrant_id end as slot_id,
			           case when s.baseline then 'BASELINE' when s.submitted_at >= :ends then 'LATE' else 'RANKED' end
			               as category,
			           %1$s as public_key, %2$s as private_key
			    from submissions s
			    where s.task_id = :task and s.status = 'SCORED' and s.excluded_at is null %3$s
			      and not exists (select 1 from board_exclusions x
			                      where x.competition_id = s.competition_id and x.participant_id = s.participant_id)),
			ordered as (
			    select sc.*, row_number() over (partition by slot_id, category
			                                    order by public_key desc, submitted_at, id) as public_rank,
			           bool_or(selected) over (partition by slot_id, category) as has_selection
			    from scored sc),
			public_best as (
			    select distinct on (slot_id, category) * from scored where public_score is not null
			    order by slot_id, category, public_key desc, submitted_at, id),
			frozen_best as (
			    select distinct on (slot_id, category) * from scored
			    where public_score is not null and finished_at <= cast(:freeze as timestamptz)
			    order by slot_id, category, public_key desc, submitted_at, id),
			private_best as (
			    select distinct on (slot_id, category) * from ordered
			    where private_score is not null
			      and ((has_selection and selected) or (not has_selection and public_rank <= :candidates))
			    order by slot_id, category, private_key desc, submitted_at, id)
			select :task, 'PUBLIC', category, slot_id, entrant_id, id, public_score, public_key, submitted_at
			from public_best
			union all
			select :task, 'FROZEN', category, slot_id, entrant_id, id, public_score, public_key, submitted_at
			from frozen_best
			union all
			select :task, 'PRIVATE', category, slot_id, entrant_id, id, private_score, private_key, submitted_at
			from private_best
			""";

	private final NamedParameterJdbcTemplate jdbc;

	private final Competitions competitions;

	private final BoardAudit audit;

	Standings(NamedParameterJdbcTemplate jdbc, Competitions competitions, BoardAudit audit) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.competitions = competitions;
	}

	/** A score, a selection or an exclusion changed: the entrant's rows follow. */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(SubmissionStandingChanged changed) {
		Task task = this.competitions.findTask(changed.taskId()).orElseThrow();
		refresh(task, List.of(changed.entrantId()));
	}

	/** The rules changed: the tasks' boards are rebuilt with the change. */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	void on(BoardRulesChanged changed) {
		this.audit.record(changed.competitionId(), (changed.taskIds().size() == 1) ? changed.taskIds().get(0) : null,
				changed.actor(), "RULES_CHANGED", changed.change());
		changed.taskIds().forEach((taskId) -> rebuild(this.competitions.findTask(taskId).orElseThrow()));
	}

	/** Rebuilds the boards of tasks whose rules changed while no instance ran. */
	@EventListener(ApplicationReadyEvent.class)
	@Transactional
	public void rebuildStale() {
		List<UUID> stale = this.jdbc.queryForList("select id from tasks where standings_stale for update skip locked",
				new MapSqlParameterSource(), UUID.class);
		for (UUID taskId : stale) {
			this.competitions.findTask(taskId).ifPresent(this::rebuild);
		}
		if (!stale.isEmpty()) {
			log.info("rebuilt the standings of {} tasks", stale.size());
		}
	}

	/** Recomputes every entrant's rows of the task. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void rebuild(Task task) {
		refresh(task, null);
		this.jdbc.update("update tasks set standings_stale = false where id = :task",
				new MapSqlParameterSource("task", task.id()));
	}

	/**
	 * Recomputes the rows of these entrants ({@code null}: of all) from their
	 * submissions.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void refresh(Task task, Collection<UUID> entrantIds) {
		Competition competition = this.competitions.find(task.competitionId()).orElseThrow();
		String only = (entrantIds != null) ? " and s.entrant_id in (:entrants)" : "";
		MapSqlParameterSource parameters = new MapSqlParameterSource("task", task.id()).addValue("entrants", entrantIds)
			.addValue("ends", Timestamp.from(competition.endsAt()))
			.addValue("freeze", timestamp(task.effectiveTimeRules().leaderboardFreezesAt()))
			.addValue("candidates",
					(competition.privateBoardRule() == PrivateBoardRule.BEST_PUBLIC) ? 1 : task.selectionLimit());
		this.jdbc.update("delete from standings where task_id = :task"
				+ ((entrantIds != null) ? " and entrant_id in (:entrants)" : ""), parameters);
		this.jdbc.update(REFRESH.formatted(key(task, "public", parameters), key(task, "private", parameters), only),
				parameters);
	}

	/**
	 * The ranking key of a split: the primary score then the secondary ones, each signed
	 * so that greater is better. Metric names are bound, never spliced.
	 */
	static String key(Task task, String split, MapSqlParameterSource parameters) {
		List<String> parts = new ArrayList<>();
		parts.add("coalesce(%s s.%s_score, '-Infinity')".formatted(task.higherIsBetter() ? "" : "-", split));
		List<String> secondary = task.secondaryMetrics();
		for (int i = 0; i < secondary.size(); i++) {
			String metric = secondary.get(i);
			parameters.addValue("metric" + i, metric);
			boolean higher = Metrics.find(metric).map(Metric::greaterIsBetter).orElse(true);
			parts.add(("coalesce((select %s m.%s_score from submission_metrics m"
					+ " where m.submission_id = s.id and m.metric = :metric%d), '-Infinity')")
				.formatted(higher ? "" : "-", split, i));
		}
		return "cast(array[" + String.join(", ", parts) + "] as double precision[])";
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
