package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.sandbox.Preflight;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.security.SecretBox;
import dev.podium.security.Tokens;
import dev.podium.submission.Failure;
import dev.podium.submission.FailureCategory;
import dev.podium.submission.ModelVerifier;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.Unchecked;

import org.springframework.stereotype.Component;

/**
 * Pre-flight: whether a MODEL submission can be evaluated at all, asked of the provider
 * with the token the sandbox will use, before any creation is spent on it. It runs at
 * intake, which pins the model (its id after renames, the commit of its revision); when
 * the provider could not answer then, it runs once more just before the submission would
 * be evaluated. Verdicts are cached per model, revision and token for a few minutes; a
 * refusal is that submission's alone.
 */
@Component
class Preflights implements ModelVerifier {

	private static final Logger log = LoggerFactory.getLogger(Preflights.class);

	/** Submissions checked per scheduling round at most. */
	static final int PER_ROUND = 4;

	private static final int MAX_CACHED = 10_000;

	private final SandboxProvider provider;

	private final Competitions competitions;

	private final SubmissionQueue queue;

	private final SecretBox secrets;

	private final EvaluationProperties properties;

	private final Clock clock;

	private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

	Preflights(SandboxProvider provider, Competitions competitions, SubmissionQueue queue, SecretBox secrets,
			EvaluationProperties properties, Clock clock) {
		this.provider = provider;
		this.competitions = competitions;
		this.queue = queue;
		this.secrets = secrets;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public Verdict verify(UUID taskId, String model, String revision, String accessToken) {
		Task task = this.competitions.findTask(taskId).orElseThrow();
		Preflight preflight = check(task, model, revision, accessToken);
		if (preflight instanceof Preflight.Accepted accepted) {
			return new Verdict.Usable(accepted.model(), accepted.revision());
		}
		if (preflight instanceof Preflight.Refused refused) {
			return new Verdict.Unusable(refused.submissionFault(), refused.message());
		}
		return new Verdict.Undecided(((Preflight.Unavailable) preflight).reason());
	}

	/**
	 * Takes the next unchecked submissions (those about to be evaluated) for a short
	 * lease and checks them.
	 */
	List<Unchecked> claim() {
		return this.queue.claimUnchecked(PER_ROUND, Duration.ofMinutes(2));
	}

	/** Checks one claimed submission and records the verdict; isolated from the rest. */
	void check(Unchecked unchecked) {
		String token = null;
		if (unchecked.accessTokenSealed() != null) {
			try {
				token = this.secrets.open(unchecked.accessTokenSealed(), unchecked.submissionId());
			}
			catch (RuntimeException ex) {
				this.queue.refuse(unchecked.submissionId(), new Failure(FailureCategory.PLATFORM,
						"the access token sent with the submission can no longer be decrypted (Podium's encryption "
								+ "key changed); please submit again"));
				log.warn("submission={}: its sealed access token cannot be opened: {}", unchecked.submissionId(),
						ex.getMessage());
				return;
			}
		}
		Task task = this.competitions.findTask(unchecked.taskId()).orElse(null);
		if (task == null) {
			return;
		}
		Preflight preflight = check(task, unchecked.model(), unchecked.revision(), token);
		if (preflight instanceof Preflight.Accepted accepted) {
			this.queue.recordChecked(unchecked.submissionId(), accepted.model(), accepted.revision());
		}
		else if (preflight instanceof Preflight.Refused refused) {
			this.queue.refuse(unchecked.submissionId(),
					new Failure(refused.submissionFault() ? FailureCategory.SUBMISSION : FailureCategory.PLATFORM,
							refused.message()));
		}
		else {
			Preflight.Unavailable unavailable = (Preflight.Unavailable) preflight;
			Instant retryAt = (unavailable.retryAt() != null) ? unavailable.retryAt()
					: this.clock.instant().plus(Duration.ofMinutes(1));
			this.queue.deferCheck(unchecked.submissionId(), retryAt);
			log.info("submission={}: pre-flight waits until {}: {}", unchecked.submissionId(), retryAt,
					unavailable.reason());
		}
	}

	private Preflight check(Task task, String model, String revision, String token) {
		Key key = new Key(task.id(), model, revision, (token != null) ? Tokens.hash(token) : "");
		Instant now = this.clock.instant();
		Cached cached = this.cache.get(key);
		if (cached != null && now.isBefore(cached.expiresAt())) {
			return cached.preflight();
		}
		Preflight preflight;
		try {
			preflight = this.provider.preflight(model, revision, token, SandboxJobDesk.jobTask(task));
		}
		catch (RuntimeException ex) {
			log.warn("Pre-flight of {} failed unexpectedly; it is tried again later", model, ex);
			return new Preflight.Unavailable("the check failed unexpectedly", null);
		}
		if (!(preflight instanceof Preflight.Unavailable)) {
			if (this.cache.size() >= MAX_CACHED) {
				this.cache.entrySet().removeIf((entry) -> !now.isBefore(entry.getValue().expiresAt()));
			}
			if (this.cache.size() < MAX_CACHED) {
				this.cache.put(key, new Cached(preflight, now.plus(this.properties.preflightCacheTtl())));
			}
		}
		return preflight;
	}

	private record Key(UUID taskId, String model, String revision, String tokenHash) {
	}

	private record Cached(Preflight preflight, Instant expiresAt) {
	}

}
