package dev.podium.submission;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and changes submissions on behalf of the people who may see them. */
@Service
public class Submissions {

	private final SubmissionRepository repository;

	private final SubmissionFileRepository files;

	private final SubmissionLifecycle lifecycle;

	private final Competitions competitions;

	private final ParticipantTaskLock lock;

	private final CompetitionAccess access;

	private final Entrants entrants;

	private final SecondaryScores scores;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Submissions(SubmissionRepository repository, SubmissionFileRepository files, SubmissionLifecycle lifecycle,
			Competitions competitions, ParticipantTaskLock lock, CompetitionAccess access, Entrants entrants,
			SecondaryScores scores, ApplicationEventPublisher events, Clock clock) {
		this.scores = scores;
		this.events = events;
		this.repository = repository;
		this.files = files;
		this.lifecycle = lifecycle;
		this.competitions = competitions;
		this.lock = lock;
		this.access = access;
		this.entrants = entrants;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	public Optional<Submission> find(UUID id) {
		return this.repository.findById(id);
	}

	/** The submission whose current attempt has this id. */
	@Transactional(readOnly = true)
	public Optional<Submission> findByAttempt(UUID attemptId) {
		return this.repository.findByAttemptId(attemptId);
	}

	/** Those of the given submissions that exist, in no particular order. */
	@Transactional(readOnly = true)
	public List<Submission> findAll(Collection<UUID> ids) {
		return ids.isEmpty() ? List.of() : this.repository.findAllByIds(ids.toArray(UUID[]::new));
	}

	/**
	 * The submission if the user may see it: its team's members (its participant, or
	 * their team), and those who manage its competition. Anyone else's is "not found"
	 * rather than forbidden, so that ids do not leak.
	 */
	@Transactional(readOnly = true)
	public Submission visibleTo(PodiumUser user, UUID id) {
		return this.repository.findById(id)
			.filter((submission) -> mayAct(user, submission))
			.orElseThrow(() -> ProblemException.notFound("Submission " + id));
	}

	/** The submissions of the participant's team (or theirs alone), newest first. */
	@Transactional(readOnly = true)
	public Page<Submission> own(PodiumUser participant, UUID competitionId, UUID taskId, Pageable page) {
		return this.repository.findOwn(this.entrants.holderOf(participant).id(), competitionId, taskId, page);
	}

	private boolean mayAct(PodiumUser user, Submission submission) {
		if (submission.participantId().equals(user.id())) {
			return true;
		}
		if (user.isStaff()) {
			return this.access.canManage(user, submission.competitionId());
		}
		return submission.competitionId().equals(user.competitionId())
				&& submission.entrantId().equals(this.entrants.holderOf(user).id());
	}

	/**
	 * The submission, locked, if the user may change it. Locked before it is read at all:
	 * an earlier unlocked read would leave a stale copy in the persistence context that a
	 * concurrent claim has moved on from.
	 */
	private Submission lockedFor(PodiumUser user, UUID id) {
		return this.repository.findForUpdate(id)
			.filter((submission) -> mayAct(user, submission))
			.orElseThrow(() -> ProblemException.notFound("Submission " + id));
	}

	@Transactional
	public Submission cancel(PodiumUser user, UUID id) {
		// Locked, so that the scheduler cannot claim it between the check and the change.
		Submission submission = lockedFor(user, id);
		if (submission.status() != SubmissionStatus.QUEUED) {
			throw ProblemException.conflict("submission-started",
					"Only a queued submission can be cancelled. Current status: " + submission.status());
		}
		return this.lifecycle.cancel(submission);
	}

	/**
	 * Selects a scored submission for the private leaderboard, or unselects it; at most
	 * the task's selection limit at a time per team (any member chooses for the team),
	 * until the selection deadline (by default the end).
	 */
	@Transactional
	public Submission select(PodiumUser participant, UUID id, boolean selected) {
		// The entrant's lock before the row's, in the order a team merge takes them.
		Optional<UUID> entrant = this.repository.findEntrantId(id);
		Optional<UUID> taskId = this.repository.findTaskId(id);
		if (entrant.isPresent() && taskId.isPresent()) {
			this.lock.acquire(entrant.get(), taskId.get());
		}
		Submission submission = lockedFor(participant, id);
		Task task = this.competitions.findTask(submission.taskId()).orElseThrow();
		Instant deadline = task.effectiveTimeRules().selectionDeadline();
		if (!this.clock.instant().isBefore(deadline)) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "selection-closed", "Selections are final",
					"Selections are final since the selection deadline at " + deadline)
				.with("selectionDeadline", deadline.toString());
		}
		if (selected && submission.status() != SubmissionStatus.SCORED) {
			throw ProblemException.conflict("not-scored",
					"Only scored submissions can be selected. Current status: " + submission.status());
		}
		// racing selections keep the limit (under the lock taken first), as racing
		// submissions keep theirs
		if (selected && !submission.selected()
				&& this.repository.countSelected(submission.entrantId(), task.id()) >= task.selectionLimit()) {
			throw ProblemException
				.conflict("selection-limit-reached",
						"At most %d submissions can be selected for task '%s'; unselect one first"
							.formatted(task.selectionLimit(), task.slug()))
				.with("selectionLimit", task.selectionLimit());
		}
		submission.select(selected);
		Submission saved = this.repository.saveAndFlush(submission);
		this.events.publishEvent(new SubmissionStandingChanged(saved.taskId(), saved.entrantId()));
		return saved;
	}

	/**
	 * Records an organizer's baseline for the task with the scores its predictions got:
	 * it shows on the boards, marked, and never takes a rank.
	 */
	@Transactional
	public Submission recordBaseline(Task task, PodiumUser organizer, String name, String fileName, byte[] csv,
			ScoreCard scores) {
		Instant now = this.clock.instant();
		Submission baseline = Submission.ofBaseline(task.competitionId(), task.id(), organizer.id(), name, fileName,
				csv.length, now, java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC), scores);
		Submission saved = this.repository.saveAndFlush(baseline);
		this.files.save(new SubmissionFile(saved.id(), csv));
		this.scores.write(saved.id(), scores.secondary());
		this.lifecycle.history(saved.id(), saved.taskId(), saved.participantId(), saved.status(), 0,
				"baseline '" + name + "' by " + organizer.name() + ": public=" + scores.publicScore());
		this.events.publishEvent(new SubmissionStandingChanged(saved.taskId(), saved.entrantId()));
		return saved;
	}

	/** The secondary metrics of each of the submissions, by name. */
	@Transactional(readOnly = true)
	public Map<UUID, Map<String, ScoreCard.Split>> secondaryScores(Collection<UUID> submissionIds) {
		return this.scores.read(submissionIds);
	}

	/** A scored submission's secondary metrics, by name. */
	@Transactional(readOnly = true)
	public Map<String, ScoreCard.Split> secondaryScores(UUID submissionId) {
		return this.scores.read(submissionId);
	}

	/**
	 * The predictions to score the submission from: those its sandbox handed in, else its
	 * own file.
	 */
	@Transactional(readOnly = true)
	public Optional<byte[]> predictions(UUID submissionId) {
		return this.scores.predictions(submissionId).or(() -> file(submissionId));
	}

	/** A FILE submission's CSV. */
	@Transactional(readOnly = true)
	public Optional<byte[]> file(UUID submissionId) {
		return this.files.findById(submissionId).map(SubmissionFile::content);
	}

}
