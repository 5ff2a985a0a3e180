package dev.podium.submission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.SubmissionKind;
import dev.podium.competition.Task;
import dev.podium.problem.ProblemException;
import dev.podium.scoring.Metrics;
import dev.podium.scoring.Solution;
import dev.podium.security.PodiumUser;
import dev.podium.security.SecretBox;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes submissions in. Everything that can reject a submission is checked before
 * anything is written, and the row that is both the participant's record and the queue
 * entry is written in the same transaction that charges the daily limit, under a
 * per-participant-and-task lock, so that concurrent requests never overdraw the limit.
 */
@Service
public class SubmissionIntake {

	/** Hub repo ids: {@code namespace/name}, each {@code [\w\-.]{1,96}}. */
	private static final Pattern MODEL_ID = Pattern.compile("[\\w\\-.]{1,96}/[\\w\\-.]{1,96}");

	/** A branch, a tag or a commit; git refs may contain slashes. */
	private static final Pattern REVISION = Pattern.compile("[\\w\\-.]+(/[\\w\\-.]+)*");

	private static final int MAX_PROBLEMS = 10;

	/** A full commit hash: a revision that pins a model without asking the Hub. */
	private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

	private final Competitions competitions;

	private final SubmissionRepository submissions;

	private final SubmissionFileRepository files;

	private final SecretBox secrets;

	private final ParticipantTaskLock lock;

	private final ApplicationEventPublisher events;

	private final SubmissionLifecycle lifecycle;

	private final SubmissionQueue queue;

	private final ModelVerifier verifier;

	private final TransactionTemplate transactions;

	private final Entrants entrants;

	private final Clock clock;

	SubmissionIntake(Competitions competitions, SubmissionRepository submissions, SubmissionFileRepository files,
			SecretBox secrets, ParticipantTaskLock lock, ApplicationEventPublisher events,
			SubmissionLifecycle lifecycle, SubmissionQueue queue, ModelVerifier verifier,
			PlatformTransactionManager transactionManager, Entrants entrants, Clock clock) {
		this.competitions = competitions;
		this.submissions = submissions;
		this.files = files;
		this.secrets = secrets;
		this.lock = lock;
		this.events = events;
		this.lifecycle = lifecycle;
		this.queue = queue;
		this.verifier = verifier;
		this.transactions = new TransactionTemplate(transactionManager);
		this.entrants = entrants;
		this.clock = clock;
	}

	/** A predictions CSV for a FILE task. */
	public record FileEntry(String fileName, byte[] content, String description, String idempotencyKey) {
	}

	/** A Hub model for a MODEL task. */
	public record ModelEntry(String model, String revision, String description, String accessToken,
			String idempotencyKey) {

		@Override
		public String toString() {
			return "ModelEntry[model=%s, revision=%s, accessToken=<redacted>]".formatted(this.model, this.revision);
		}

	}

	/**
	 * The outcome of an accepted submission.
	 *
	 * @param created false when an idempotent replay returned the earlier submission
	 * @param at when the answer was given, for the seconds left in the quota window
	 */
	public record Accepted(Submission submission, boolean created, DailyQuota quota, Instant at) {
	}

	@Transactional
	public Accepted submitFile(PodiumUser participant, String competitionSlug, String taskSlug, FileEntry entry) {
		Target target = target(participant, competitionSlug, taskSlug, SubmissionKind.FILE);
		Task task = target.task();
		if (entry.content().length > task.maxFileBytes()) {
			throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "file-too-large", "File too large",
					"The file has %d bytes; this task accepts at most %d".formatted(entry.content().length,
							task.maxFileBytes()))
				.with("maxFileBytes", task.maxFileBytes());
		}
		Solution solution = this.competitions.solution(task)
			.orElseThrow(() -> ProblemException.conflict("solution-missing",
					"The organizer has not uploaded this task's solution yet, so submissions cannot be checked"));
		List<String> problems = solution.check(entry.content(), Metrics.find(task.metric()).orElseThrow(),
				MAX_PROBLEMS);
		if (!problems.isEmpty()) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-predictions", "Invalid predictions",
					"The CSV is not valid for task '" + task.slug() + "'")
				.with("problems", problems);
		}
		String fingerprint = fingerprint(task.id().toString(), "FILE", entry.description(), entry.content());
		String contentKey = "file:" + sha256(entry.content());
		return admit(target, participant, entry.idempotencyKey(), entry.description(), fingerprint, contentKey,
				(intake) -> {
					Submission submission = Submission.ofFile(intake, entry.fileName(), entry.content().length);
					this.submissions.save(submission);
					this.files.save(new SubmissionFile(submission.id(), entry.content()));
					return submission;
				});
	}

	/**
	 * Not one transaction: the model is verified with the provider (the Hub) in between,
	 * and no network call waits with a transaction open. The admission itself re-checks
	 * everything under the participant's lock.
	 */
	public Accepted submitModel(PodiumUser participant, String competitionSlug, String taskSlug, ModelEntry entry) {
		Target target = target(participant, competitionSlug, taskSlug, SubmissionKind.MODEL);
		String model = (entry.model() != null) ? entry.model().trim() : "";
		if (!MODEL_ID.matcher(model).matches() || model.contains("--") || model.contains("..")) {
			throw ProblemException.badRequest("invalid-model",
					"'model' must be a Hub model id 'namespace/name' (letters, digits, '-', '_', '.'; no '--' or '..')");
		}
		String revision = (entry.revision() == null || entry.revision().isBlank()) ? "main" : entry.revision().trim();
		if (revision.length() > 255 || !REVISION.matcher(revision).matches() || revision.contains("..")) {
			throw ProblemException.badRequest("invalid-revision",
					"'revision' must be a branch, a tag or a 40-character commit hash");
		}
		String token = (entry.accessToken() != null && !entry.accessToken().isBlank()) ? entry.accessToken().trim()
				: null;
		if (token != null && (token.length() > 500 || token.chars().anyMatch(Character::isWhitespace))) {
			throw ProblemException.badRequest("invalid-access-token", "'accessToken' is not a Hub token");
		}
		String fingerprint = fingerprint(target.task().id().toString(), "MODEL", entry.description(),
				(model + "@" + revision + "#" + ((token != null) ? token : "")).getBytes(StandardCharsets.UTF_8));
		Optional<Accepted> replay = this.transactions
			.execute((status) -> replay(target, participant, entry.idempotencyKey(), fingerprint));
		if (replay.isPresent()) {
			return replay.get();
		}
		// Refuse a spent quota before asking the Hub anything.
		refuseIfSpent(target, quota(participant, target.competition(), target.task()), this.clock.instant());
		ModelVerifier.Verdict verdict = this.verifier.verify(target.task().id(), model, revision, token);
		if (verdict instanceof ModelVerifier.Verdict.Unusable unusable) {
			throw unusable.submissionFault()
					? new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "model-unusable",
							"Model cannot be evaluated", unusable.message())
					: ProblemException.conflict("task-not-ready", unusable.message());
		}
		Submission.ModelPin pin = (verdict instanceof ModelVerifier.Verdict.Usable usable)
				? new Submission.ModelPin(usable.model(), usable.revision()) : null;
		String contentKey = (pin != null) ? modelKey(pin.model(), pin.revision())
				: COMMIT.matcher(revision).matches() ? modelKey(model, revision) : null;
		return this.transactions
			.execute((status) -> admit(target, participant, entry.idempotencyKey(), entry.description(), fingerprint,
					contentKey, (intake) -> this.submissions.save(Submission.ofModel(intake, model, revision,
							(token != null) ? (id) -> this.secrets.seal(token, id) : null, pin))));
	}

	/** The quota a participant has left on a task now, for headers on any answer. */
	@Transactional(readOnly = true)
	public DailyQuota quota(PodiumUser participant, Competition competition, Task task) {
		return quota(this.entrants.holderOf(participant).id(), competition, task);
	}

	private DailyQuota quota(UUID entrant, Competition competition, Task task) {
		Instant now = this.clock.instant();
		long used = this.submissions.countTowardLimit(entrant, task.id(), DailyQuota.dayOf(now, competition.zone()));
		return DailyQuota.of(task.dailySubmissionLimit(), used, now, competition.zone());
	}

	/** The submission an earlier request under the same Idempotency-Key created. */
	private Optional<Accepted> replay(Target target, PodiumUser participant, String idempotencyKey,
			String fingerprint) {
		if (idempotencyKey == null) {
			return Optional.empty();
		}
		return this.submissions.findByParticipantIdAndIdempotencyKey(participant.id(), idempotencyKey)
			.map((earlier) -> {
				if (!earlier.requestFingerprint().equals(fingerprint)) {
					throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
							"Idempotency key reused",
							"This Idempotency-Key was used for a different request; use a new key for a new submission");
				}
				return new Accepted(earlier, false, quota(participant, target.competition(), target.task()),
						this.clock.instant());
			});
	}

	private static void refuseIfSpent(Target target, DailyQuota quota, Instant now) {
		if (quota.isSpent()) {
			throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "daily-limit-reached", "Daily limit reached",
					"You have used all %d submissions for task '%s' today; the limit resets at %s"
						.formatted(quota.limit(), target.task().slug(), quota.resetsAt()))
				.with("limit", quota.limit())
				.with("used", quota.used())
				.with("resetsAt", quota.resetsAt().toString())
				.header(HttpHeaders.RETRY_AFTER, Long.toString(quota.secondsUntilReset(now)))
				.header("RateLimit-Policy", quota.policyHeader())
				.header("RateLimit", quota.stateHeader(now));
		}
	}

	private Accepted admit(Target target, PodiumUser participant, String idempotencyKey, String description,
			String fingerprint, String contentKey, Function<Submission.Intake, Submission> store) {
		Competition competition = target.competition();
		Task task = target.task();
		UUID entrant = lockEntrant(participant, task);
		Instant now = this.clock.instant();
		Optional<Accepted> replay = replay(target, participant, idempotencyKey, fingerprint);
		if (replay.isPresent()) {
			return replay.get();
		}
		if (contentKey != null && this.queue.refusesDuplicates(task.id())) {
			Optional<UUID> first = this.submissions.findDuplicate(task.id(), entrant, contentKey);
			if (first.isPresent()) {
				throw ProblemException
					.conflict("duplicate-submission",
							"Your team already submitted this to task '%s' as submission %s".formatted(task.slug(),
									first.get()))
					.with("duplicateOf", first.get().toString());
			}
		}
		DailyQuota quota = quota(entrant, competition, task);
		refuseIfSpent(target, quota, now);
		long round = this.queue.assignRound(task.id(), entrant);
		Submission submission = store.apply(new Submission.Intake(competition.id(), task.id(), participant.id(),
				entrant, blankToNull(description), quota.day(), now, idempotencyKey, fingerprint, round, contentKey));
		this.lifecycle.created(submission);
		this.events.publishEvent(new SubmissionQueued(submission.id(), task.id(), participant.id()));
		return new Accepted(submission, true, quota.charged(), now);
	}

	/**
	 * Takes the lock of the participant's entrant on the task, and makes sure the entrant
	 * is still theirs once the lock is held: a merge that moved them to a team while they
	 * waited holds the same lock, so a re-read after it sees the team.
	 */
	private UUID lockEntrant(PodiumUser participant, Task task) {
		UUID entrant = this.entrants.holderOf(participant).id();
		while (true) {
			this.lock.acquire(entrant, task.id());
			UUID current = this.entrants.holderOf(participant).id();
			if (current.equals(entrant)) {
				return entrant;
			}
			entrant = current;
		}
	}

	private static String modelKey(String model, String revision) {
		return "model:" + model.toLowerCase(java.util.Locale.ROOT) + "@" + revision;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Target target(PodiumUser participant, String competitionSlug, String taskSlug, SubmissionKind kind) {
		Competition competition = this.competitions.find(competitionSlug)
			.filter((found) -> found.id().equals(participant.competitionId()))
			.orElseThrow(() -> ProblemException.notFound("Competition '" + competitionSlug + "'"));
		Task task = competition.task(taskSlug).orElseThrow(() -> ProblemException.notFound("Task '" + taskSlug + "'"));
		Instant now = this.clock.instant();
		if (!competition.hasStarted(now)) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "competition-not-started", "Competition not started",
					"The competition opens for submissions at " + competition.startsAt())
				.with("startsAt", competition.startsAt().toString());
		}
		// late submissions, where the organizer takes them, are scored and shown apart
		if (competition.hasEnded(now) && !competition.allowsLateSubmissions()) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "competition-ended", "Competition ended",
					"The competition closed for submissions at " + competition.endsAt())
				.with("endsAt", competition.endsAt().toString())
				.with("allowLateSubmissions", false);
		}
		if (task.submissionKind() != kind) {
			throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "wrong-submission-kind",
					"Wrong submission kind",
					(task.submissionKind() == SubmissionKind.FILE)
							? "Task '" + taskSlug + "' takes a CSV file as multipart/form-data (part 'file')"
							: "Task '" + taskSlug + "' takes a model as JSON {\"model\",\"revision\"}");
		}
		return new Target(competition, task);
	}

	private static String fingerprint(String taskId, String kind, String description, byte[] content) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((taskId + "\n" + kind + "\n" + ((description != null) ? description : "") + "\n")
				.getBytes(StandardCharsets.UTF_8));
			digest.update(content);
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private record Target(Competition competition, Task task) {
	}

}
