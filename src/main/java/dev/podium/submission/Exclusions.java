package dev.podium.submission;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.podium.competition.BoardAudit;
import dev.podium.competition.Competition;
import dev.podium.problem.ProblemException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Organizers take a participant or a single submission off a competition's boards, with a
 * reason, and may lift it again; each change is audited, the boards follow in the same
 * transaction, and the participant sees it on their submissions.
 */
@Service
public class Exclusions {

	private final SubmissionRepository repository;

	private final SubmissionLifecycle lifecycle;

	private final NamedParameterJdbcTemplate jdbc;

	private final BoardAudit audit;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Exclusions(SubmissionRepository repository, SubmissionLifecycle lifecycle, NamedParameterJdbcTemplate jdbc,
			BoardAudit audit, ApplicationEventPublisher events, Clock clock) {
		this.repository = repository;
		this.lifecycle = lifecycle;
		this.jdbc = jdbc;
		this.audit = audit;
		this.events = events;
		this.clock = clock;
	}

	/** An excluded participant. */
	public record ParticipantExclusion(UUID participantId, String reason, String by, Instant at) {
	}

	@Transactional
	public Submission excludeSubmission(Competition competition, UUID submissionId, String reason, String by) {
		Submission submission = locked(competition, submissionId);
		if (submission.excludedAt() != null) {
			throw ProblemException.conflict("already-excluded", "The submission is excluded already");
		}
		submission.exclude(reason, by, this.clock.instant());
		Submission saved = this.repository.saveAndFlush(submission);
		this.lifecycle.history(saved.id(), saved.taskId(), saved.participantId(), saved.status(), saved.attempts(),
				"excluded from the boards by " + by + ": " + reason);
		this.audit.record(competition.id(), saved.taskId(), by, "SUBMISSION_EXCLUDED", saved.id() + ": " + reason);
		this.events.publishEvent(new SubmissionStandingChanged(saved.taskId(), saved.entrantId()));
		return saved;
	}

	@Transactional
	public Submission readmitSubmission(Competition competition, UUID submissionId, String by) {
		Submission submission = locked(competition, submissionId);
		if (submission.excludedAt() == null) {
			throw ProblemException.conflict("not-excluded", "The submission is not excluded");
		}
		submission.readmit();
		Submission saved = this.repository.saveAndFlush(submission);
		this.lifecycle.history(saved.id(), saved.taskId(), saved.participantId(), saved.status(), saved.attempts(),
				"back on the boards, by " + by);
		this.audit.record(competition.id(), saved.taskId(), by, "SUBMISSION_READMITTED", saved.id().toString());
		this.events.publishEvent(new SubmissionStandingChanged(saved.taskId(), saved.entrantId()));
		return saved;
	}

	/** Takes every submission of the participant off the competition's boards. */
	@Transactional
	public void excludeParticipant(Competition competition, UUID participantId, String reason, String by) {
		requireParticipant(competition, participantId);
		int inserted = this.jdbc.update("""
				insert into board_exclusions (competition_id, participant_id, reason, excluded_by, excluded_at)
				values (:competition, :participant, :reason, :by, :at) on conflict do nothing
				""",
				parameters(competition, participantId).addValue("reason", reason)
					.addValue("by", by)
					.addValue("at", Timestamp.from(this.clock.instant())));
		if (inserted == 0) {
			throw ProblemException.conflict("already-excluded", "The participant is excluded already");
		}
		this.audit.record(competition.id(), null, by, "PARTICIPANT_EXCLUDED", participantId + ": " + reason);
		refresh(competition, participantId);
	}

	@Transactional
	public void readmitParticipant(Competition competition, UUID participantId, String by) {
		int deleted = this.jdbc.update(
				"delete from board_exclusions where competition_id = :competition and participant_id = :participant",
				parameters(competition, participantId));
		if (deleted == 0) {
			throw ProblemException.conflict("not-excluded", "The participant is not excluded");
		}
		this.audit.record(competition.id(), null, by, "PARTICIPANT_READMITTED", participantId.toString());
		refresh(competition, participantId);
	}

	@Transactional(readOnly = true)
	public List<ParticipantExclusion> participants(Competition competition) {
		return this.jdbc.query("""
				select participant_id, reason, excluded_by, excluded_at from board_exclusions
				where competition_id = :competition order by excluded_at
				""", new MapSqlParameterSource("competition", competition.id()),
				(row, n) -> new ParticipantExclusion(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
						row.getTimestamp(4).toInstant()));
	}

	/** The exclusions of these participants in their competitions, by participant. */
	@Transactional(readOnly = true)
	public Map<UUID, ParticipantExclusion> ofParticipants(java.util.Collection<UUID> participantIds) {
		Map<UUID, ParticipantExclusion> found = new HashMap<>();
		if (participantIds.isEmpty()) {
			return found;
		}
		this.jdbc.query("""
				select participant_id, reason, excluded_by, excluded_at from board_exclusions
				where participant_id = any(cast(:ids as uuid[]))
				""", new MapSqlParameterSource("ids", participantIds.toArray(UUID[]::new)), (row) -> {
			found.put(row.getObject(1, UUID.class), new ParticipantExclusion(row.getObject(1, UUID.class),
					row.getString(2), row.getString(3), row.getTimestamp(4).toInstant()));
		});
		return found;
	}

	private void refresh(Competition competition, UUID participantId) {
		this.jdbc.query(
				"select distinct task_id, entrant_id from submissions where competition_id = :competition"
						+ " and participant_id = :participant",
				parameters(competition, participantId),
				(row, n) -> new SubmissionStandingChanged(row.getObject(1, UUID.class), row.getObject(2, UUID.class)))
			.forEach(this.events::publishEvent);
	}

	private void requireParticipant(Competition competition, UUID participantId) {
		Integer found = this.jdbc.queryForObject("""
				select count(*) from accounts where id = :participant and competition_id = :competition
				""", parameters(competition, participantId), Integer.class);
		if (found == null || found == 0) {
			throw ProblemException.notFound("Participant '" + participantId + "'");
		}
	}

	private Submission locked(Competition competition, UUID submissionId) {
		Optional<Submission> submission = this.repository.findForUpdate(submissionId)
			.filter((found) -> found.competitionId().equals(competition.id()));
		return submission.orElseThrow(() -> ProblemException.notFound("Submission '" + submissionId + "'"));
	}

	private static MapSqlParameterSource parameters(Competition competition, UUID participantId) {
		return new MapSqlParameterSource("competition", competition.id()).addValue("participant", participantId);
	}

}
