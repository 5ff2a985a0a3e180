package dev.podium.evaluation;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.podium.competition.BoardAudit;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.Task;
import dev.podium.submission.SubmissionQueue;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An organizer has chosen submissions (or all failed ones) evaluated again through the
 * queue, like any other work: in a sandbox, spending the creation budget. The preview
 * says how many creations that may take before anything is queued.
 */
@Component
public class Reruns {

	private final NamedParameterJdbcTemplate jdbc;

	private final SubmissionQueue queue;

	private final BoardAudit audit;

	Reruns(NamedParameterJdbcTemplate jdbc, SubmissionQueue queue, BoardAudit audit) {
		this.jdbc = jdbc;
		this.queue = queue;
		this.audit = audit;
	}

	/**
	 * @param submissions how many would go back to the queue
	 * @param creationsAtMost the sandbox creations they may spend of the daily budget (0
	 * for inline tasks; fewer when running sandboxes take them)
	 */
	public record Preview(int submissions, int creationsAtMost) {
	}

	/** The finished submissions a re-run would take: the chosen ones, or all failed. */
	@Transactional(readOnly = true)
	public Preview preview(Task task, Collection<UUID> chosen, boolean allFailed) {
		return preview(task, candidates(task, chosen, allFailed));
	}

	@Transactional
	public Preview confirm(Task task, Collection<UUID> chosen, boolean allFailed, String actor) {
		Map<UUID, UUID> candidates = candidates(task, chosen, allFailed);
		Preview preview = preview(task, candidates);
		int queued = this.queue.rerun(task.id(), candidates.keySet(), actor);
		this.audit.record(task.competitionId(), task.id(), actor, "RERUN",
				"%d submissions back in the queue (at most %d sandbox creations)%s".formatted(queued,
						preview.creationsAtMost(), allFailed ? ": all failed" : ""));
		return new Preview(queued, preview.creationsAtMost());
	}

	/** Candidate ids with their participants. */
	private Map<UUID, UUID> candidates(Task task, Collection<UUID> chosen, boolean allFailed) {
		if (!allFailed && (chosen == null || chosen.isEmpty())) {
			return Map.of();
		}
		String which = "not baseline and "
				+ (allFailed ? "status = 'FAILED'" : "status in ('SCORED', 'FAILED') and id in (:ids)");
		return this.jdbc
			.query("select id, participant_id from submissions where task_id = :task and " + which,
					new MapSqlParameterSource("task", task.id()).addValue("ids", chosen),
					(row, n) -> Map.entry(row.getObject(1, UUID.class), row.getObject(2, UUID.class)))
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private static Preview preview(Task task, Map<UUID, UUID> candidates) {
		if (task.evaluation() == EvaluationMode.INLINE || candidates.isEmpty()) {
			return new Preview(candidates.size(), 0);
		}
		int perSandbox = task.evaluationsPerSandbox();
		if (task.reuseScope() != ReuseScope.PARTICIPANT) {
			return new Preview(candidates.size(), ceil(candidates.size(), perSandbox));
		}
		List<Long> perParticipant = List.copyOf(candidates.values()
			.stream()
			.collect(Collectors.groupingBy((participant) -> participant, Collectors.counting()))
			.values());
		return new Preview(candidates.size(),
				perParticipant.stream().mapToInt((count) -> ceil(count.intValue(), perSandbox)).sum());
	}

	private static int ceil(int count, int per) {
		return (count + per - 1) / per;
	}

}
