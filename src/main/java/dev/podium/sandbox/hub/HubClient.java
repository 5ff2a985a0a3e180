package dev.podium.sandbox.hub;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.sandbox.hub.HubBodies.CommitHeader;
import dev.podium.sandbox.hub.HubBodies.CommitLine;
import dev.podium.sandbox.hub.HubBodies.CreateSpace;
import dev.podium.sandbox.hub.HubBodies.ErrorBody;
import dev.podium.sandbox.hub.HubBodies.Key;
import dev.podium.sandbox.hub.HubBodies.KeyValue;
import dev.podium.sandbox.hub.HubBodies.ModelBody;
import dev.podium.sandbox.hub.HubBodies.Named;
import dev.podium.sandbox.hub.HubBodies.RepoFile;
import dev.podium.sandbox.hub.HubBodies.RepoRef;
import dev.podium.sandbox.hub.HubBodies.RuntimeBody;
import dev.podium.sandbox.hub.HubBodies.SpaceBody;
import dev.podium.sandbox.hub.HubBodies.WhoAmIBody;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Podium's client of the Hugging Face Hub API.
 * <p>
 * Every call passes three guards. A rate limiter keeps under the API quota, holding calls
 * until the Hub's window resets when its {@code RateLimit} header says the bucket is
 * nearly empty, instead of drawing 429s. A retry loop repeats what failed on the Hub's
 * side (408, 429, 5xx, broken connections) with exponential backoff and full jitter,
 * never sooner than the Hub asked. A circuit breaker stops calling a Hub that keeps
 * failing. A wait longer than {@code maxInlineWait} is never slept inside a call: it
 * becomes a {@link HubRateLimitedException} so that the scheduler defers the work.
 * <p>
 * The token goes into the {@code Authorization} header and nowhere else: not into logs,
 * exception messages or {@code toString()}.
 */
@Component
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "huggingface")
public class HubClient {

	private static final Logger log = LoggerFactory.getLogger(HubClient.class);

	/** whoami-v2 has a strict limit of its own, and its answer hardly ever changes. */
	private static final Duration WHOAMI_TTL = Duration.ofHours(1);

	private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

	private static final Pattern REPO_PART = Pattern.compile("[\\w\\-.]{1,96}");

	private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>[^,]*;\\s*rel=\"?next\"?");

	private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

	private static final int PAGE_SIZE = 100;

	/** A namespace of a hundred thousand Spaces means something else is wrong. */
	private static final int MAX_PAGES = 1000;

	private static final int MAX_MESSAGE_LENGTH = 300;

	// Two logical calls that spent every attempt on 5xx open the circuit; a few slow
	// answers among many good ones do not.
	private static final int CIRCUIT_WINDOW = 20;

	private static final int CIRCUIT_MINIMUM_CALLS = 10;

	private static final float CIRCUIT_FAILURE_RATE = 50;

	private static final Duration CIRCUIT_OPEN_FOR = Duration.ofSeconds(30);

	private static final int CIRCUIT_TRIAL_CALLS = 3;

	private final HubProperties properties;

	private final Clock clock;

	private final Pause pause;

	private final RestClient rest;

	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final Backoff backoff;

	private final HubQuota quota;

	private final AtomicReference<AtomicRateLimiter> limiter = new AtomicReference<>();

	private final CircuitBreaker circuit;

	private final HubMetrics metrics;

	private CachedWhoAmI whoami;

	@Autowired
	public HubClient(HubProperties properties, Clock clock, ObjectProvider<MeterRegistry> meterRegistry) {
		this(properties, clock, meterRegistry.getIfAvailable(SimpleMeterRegistry::new), Pause.SLEEP);
	}

	/**
	 * @param pause how the client waits between tries; tests record instead of sleeping
	 */
	public HubClient(HubProperties properties, Clock clock, MeterRegistry meterRegistry, Pause pause) {
		this.properties = properties;
		this.clock = clock;
		this.pause = pause;
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			// A redirect would carry the token to wherever it points.
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(properties.readTimeout());
		this.rest = RestClient.builder()
			.baseUrl(properties.url())
			.requestFactory(requests)
			.defaultHeader(HttpHeaders.USER_AGENT, "podium")
			.build();
		this.backoff = new Backoff(properties.baseDelay(), properties.maxDelay());
		this.quota = new HubQuota(clock, properties.requestsPerWindow(), properties.window());
		this.limiter.set(newLimiter(properties.requestsPerWindow(), properties.window()));
		this.circuit = CircuitBreaker.of("hub", CircuitBreakerConfig.custom()
			.slidingWindow(CIRCUIT_WINDOW, CIRCUIT_MINIMUM_CALLS, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(CIRCUIT_FAILURE_RATE)
			.waitDurationInOpenState(CIRCUIT_OPEN_FOR)
			.permittedNumberOfCallsInHalfOpenState(CIRCUIT_TRIAL_CALLS)
			.clock(clock)
			.build());
		this.metrics = new HubMetrics(meterRegistry, this);
	}

	/**
	 * The owner of the token; cached, because whoami-v2 has a strict limit of its own.
	 */
	public synchronized WhoAmI whoami() {
		Instant now = this.clock.instant();
		if (this.whoami != null && now.isBefore(this.whoami.expiresAt())) {
			return this.whoami.value();
		}
		HubResponse response = execute("whoami", true, (rest) -> rest.get().uri("/api/whoami-v2"), null);
		requireSuccess("whoami", response, null);
		WhoAmIBody body = read(response, WhoAmIBody.class);
		List<String> orgs = (body.orgs() != null) ? body.orgs().stream().map(Named::name).toList() : List.of();
		String role = (body.auth() != null && body.auth().accessToken() != null) ? body.auth().accessToken().role()
				: null;
		WhoAmI value = new WhoAmI(body.name(), orgs, role);
		this.whoami = new CachedWhoAmI(value, now.plus(WHOAMI_TTL));
		return value;
	}

	/** {@code namespace/name} of one of Podium's Spaces. */
	public String spaceId(String name) {
		return this.properties.namespace() + "/" + name;
	}

	public SpaceCreation createSpace(String name, String hardware, Map<String, String> secrets,
			Map<String, String> variables) {
		return createSpace(name, hardware, secrets, variables, Map.of());
	}

	/**
	 * Creates a private Docker Space, or adopts the one that exists under the name (409).
	 * A 429 is not retried: on creation it is the daily creation limit, which lasts
	 * hours. A create that failed with a 5xx or a timeout may have succeeded: its retry
	 * finds the Space (409) and adopts it.
	 * @param files the Space's files, committed with the creation (saves a commit call)
	 */
	public SpaceCreation createSpace(String name, String hardware, Map<String, String> secrets,
			Map<String, String> variables, Map<String, byte[]> files) {
		checkName(name);
		List<RepoFile> repoFiles = new ArrayList<>();
		files.forEach((path, content) -> repoFiles.add(new RepoFile(path, base64(content), "base64")));
		CreateSpace body = new CreateSpace("space", name, this.properties.namespace(), "docker", true, "private",
				hardware, keyValues(secrets), keyValues(variables), repoFiles);
		byte[] bytes = this.json.writeValueAsBytes(body);
		HubResponse response = execute("repos.create", false,
				(rest) -> rest.post().uri("/api/repos/create").contentType(MediaType.APPLICATION_JSON).body(bytes),
				null);
		if (response.status() == 409) {
			return new SpaceCreation(spaceId(name), false);
		}
		requireSuccess("repos.create", response, null);
		return new SpaceCreation(spaceId(name), true);
	}

	/** Deletes a Space; one that is already gone (404) counts as deleted. */
	public void deleteSpace(String name) {
		checkName(name);
		byte[] body = this.json.writeValueAsBytes(new RepoRef("space", name, this.properties.namespace()));
		HubResponse response = execute("repos.delete", true,
				(rest) -> rest.method(HttpMethod.DELETE)
					.uri("/api/repos/delete")
					.contentType(MediaType.APPLICATION_JSON)
					.body(body),
				null);
		if (response.status() != 404) {
			requireSuccess("repos.delete", response, null);
		}
	}

	/** Adds or replaces a secret; the Space restarts to see it. */
	public void putSecret(String name, String key, String value) {
		checkName(name);
		byte[] body = this.json.writeValueAsBytes(new KeyValue(key, value));
		requireSuccess("spaces.secrets",
				execute("spaces.secrets", true,
						(rest) -> rest.post()
							.uri("/api/spaces/{namespace}/{name}/secrets", this.properties.namespace(), name)
							.contentType(MediaType.APPLICATION_JSON)
							.body(body),
						null),
				null);
	}

	public void deleteSecret(String name, String key) {
		checkName(name);
		byte[] body = this.json.writeValueAsBytes(new Key(key));
		requireSuccess("spaces.secrets",
				execute("spaces.secrets", true,
						(rest) -> rest.method(HttpMethod.DELETE)
							.uri("/api/spaces/{namespace}/{name}/secrets", this.properties.namespace(), name)
							.contentType(MediaType.APPLICATION_JSON)
							.body(body),
						null),
				null);
	}

	public void putVariable(String name, String key, String value) {
		checkName(name);
		byte[] body = this.json.writeValueAsBytes(new KeyValue(key, value));
		requireSuccess("spaces.variables",
				execute("spaces.variables", true,
						(rest) -> rest.post()
							.uri("/api/spaces/{namespace}/{name}/variables", this.properties.namespace(), name)
							.contentType(MediaType.APPLICATION_JSON)
							.body(body),
						null),
				null);
	}

	/**
	 * Commits files to the Space's {@code main} in one commit, which rebuilds it. Files
	 * go inline (base64), so keep them small text files: large or binary ones would need
	 * LFS.
	 */
	public void commitFiles(String name, Map<String, byte[]> files, String summary) {
		checkName(name);
		ByteArrayOutputStream lines = new ByteArrayOutputStream();
		writeLine(lines, new CommitLine("header", new CommitHeader(summary, "")));
		files.forEach((path, content) -> writeLine(lines,
				new CommitLine("file", new RepoFile(path, base64(content), "base64"))));
		byte[] body = lines.toByteArray();
		requireSuccess("spaces.commit",
				execute("spaces.commit", true,
						(rest) -> rest.post()
							.uri("/api/spaces/{namespace}/{name}/commit/main", this.properties.namespace(), name)
							.contentType(NDJSON)
							.body(body),
						null),
				null);
	}

	/**
	 * Where the Space stands. A Space that does not exist is a
	 * {@link HubRejectedException} whose {@code isNotFound()} holds.
	 */
	public SpaceRuntime runtime(String name) {
		checkName(name);
		HubResponse response = execute("spaces.runtime", true,
				(rest) -> rest.get().uri("/api/spaces/{namespace}/{name}/runtime", this.properties.namespace(), name),
				null);
		requireSuccess("spaces.runtime", response, null);
		RuntimeBody body = read(response, RuntimeBody.class);
		return new SpaceRuntime(body.stage(), body.errorMessage());
	}

	/** Pauses the Space: it stops running (and billing) until restarted. */
	public void pauseSpace(String name) {
		checkName(name);
		requireSuccess("spaces.pause", execute("spaces.pause", true,
				(rest) -> rest.post().uri("/api/spaces/{namespace}/{name}/pause", this.properties.namespace(), name),
				null), null);
	}

	public void restartSpace(String name) {
		checkName(name);
		requireSuccess("spaces.restart", execute("spaces.restart", true,
				(rest) -> rest.post().uri("/api/spaces/{namespace}/{name}/restart", this.properties.namespace(), name),
				null), null);
	}

	/**
	 * The namespace's Spaces whose names match {@code search}, with their runtime, all
	 * pages followed.
	 * @param search a part of the name; {@code null} for the configured space prefix
	 */
	public List<SpaceSummary> listSpaces(String search) {
		URI next = UriComponentsBuilder.fromUri(this.properties.url())
			.path("/api/spaces")
			.queryParam("author", this.properties.namespace())
			.queryParam("search", (search != null) ? search : this.properties.spacePrefix())
			.queryParam("limit", PAGE_SIZE)
			.queryParam("expand", "runtime")
			.encode()
			.build()
			.toUri();
		List<SpaceSummary> spaces = new ArrayList<>();
		for (int page = 0; next != null; page++) {
			if (page == MAX_PAGES) {
				throw new HubUnavailableException("The Hub listed more than " + MAX_PAGES + " pages of Spaces");
			}
			URI uri = next;
			HubResponse response = execute("spaces.list", true, (rest) -> rest.get().uri(uri), null);
			requireSuccess("spaces.list", response, null);
			for (SpaceBody space : read(response, SpaceBody[].class)) {
				String id = space.id();
				String name = (id != null && id.contains("/")) ? id.substring(id.indexOf('/') + 1) : id;
				spaces.add(new SpaceSummary(id, name, space.createdAt(),
						(space.runtime() != null) ? space.runtime().stage() : null));
			}
			next = nextPage(uri, response.headers().getFirst(HttpHeaders.LINK));
		}
		return spaces;
	}

	/**
	 * Whether {@code model} at {@code revision} can be read with {@code token}, the token
	 * that will download it (a participant's, for a private model).
	 * @param revision a branch, tag or commit; {@code null} for the default branch
	 * @param token the reading token; {@code null} for Podium's own
	 */
	public ModelCheck checkModel(String model, String revision, String token) {
		String[] parts = (model != null) ? model.split("/", -1) : new String[0];
		if (parts.length < 1 || parts.length > 2) {
			return ModelCheck.notFound();
		}
		for (String part : parts) {
			if (!REPO_PART.matcher(part).matches()) {
				return ModelCheck.notFound();
			}
		}
		boolean atRevision = revision != null && !revision.isBlank();
		String path = "/api/models/" + ((parts.length == 2) ? "{namespace}/{name}" : "{name}")
				+ (atRevision ? "/revision/{revision}" : "");
		List<String> variables = new ArrayList<>(List.of(parts));
		if (atRevision) {
			variables.add(revision);
		}
		String reader = (token != null && !token.isBlank()) ? token : null;
		HubResponse response = execute("models.info", true, (rest) -> rest.get().uri(path, variables.toArray()),
				reader);
		if (response.isSuccess()) {
			ModelBody body = read(response, ModelBody.class);
			return ModelCheck.found(body.sha());
		}
		if ("RevisionNotFound".equals(response.errorCode())) {
			return ModelCheck.revisionNotFound();
		}
		// 401 is what the Hub answers for a private repository the token cannot see, and
		// for a token it does not know; 403 for a gated one: none can be downloaded.
		if (response.status() == 401 || response.status() == 403 || response.status() == 404) {
			return ModelCheck.notFound();
		}
		throw rejected("models.info", response, reader);
	}

	/** What the client knows of the Hub's API bucket. */
	public QuotaSnapshot quota() {
		return this.quota.snapshot();
	}

	public CircuitState circuitState() {
		switch (this.circuit.getState()) {
			case OPEN:
			case FORCED_OPEN:
				return CircuitState.OPEN;
			case HALF_OPEN:
				return CircuitState.HALF_OPEN;
			default:
				return CircuitState.CLOSED;
		}
	}

	@Override
	public String toString() {
		return "HubClient[" + this.properties.url() + ", namespace=" + this.properties.namespace() + "]";
	}

	/**
	 * Sends a request through the guards and returns the first answer that is not worth
	 * retrying: a success or a refusal (4xx), for the caller to read.
	 * @param retriesRateLimit whether a 429 is retried inline (not on creation)
	 * @param reader a token to send instead of Podium's own
	 */
	private HubResponse execute(String endpoint, boolean retriesRateLimit,
			Function<RestClient, RestClient.RequestHeadersSpec<?>> request, String reader) {
		String bearer = "Bearer " + ((reader != null) ? reader : this.properties.token());
		for (int attempt = 1;; attempt++) {
			admit(endpoint);
			if (!this.circuit.tryAcquirePermission()) {
				throw new HubUnavailableException(
						"Not calling the Hub (" + endpoint + "): it failed repeatedly, calls resume after a pause");
			}
			long start = this.circuit.getCurrentTimestamp();
			HubResponse response;
			try {
				response = request.apply(this.rest)
					.header(HttpHeaders.AUTHORIZATION, bearer)
					.exchange((ignored, answer) -> new HubResponse(answer.getStatusCode().value(),
							HttpHeaders.copyOf(answer.getHeaders()), answer.getBody().readAllBytes()), true);
			}
			catch (ResourceAccessException ex) {
				this.circuit.onError(elapsedSince(start), this.circuit.getTimestampUnit(), ex);
				this.metrics.request(endpoint, "IO_ERROR");
				log.warn("Hub {} failed without an answer: {}", endpoint, ex.getMostSpecificCause().toString());
				if (attempt >= this.properties.maxAttempts()) {
					throw new HubUnavailableException(
							"The Hub did not answer " + endpoint + " in " + attempt + " attempts", ex);
				}
				waitToRetry(endpoint, attempt, Duration.ZERO);
				continue;
			}
			Objects.requireNonNull(response);
			int status = response.status();
			RateLimitHeaders limits = RateLimitHeaders.of(response.headers(), this.clock.instant());
			if (retriesRateLimit || status != 429) {
				adopt(limits);
			}
			this.metrics.request(endpoint, String.valueOf(status));
			if (!response.isSuccess()) {
				logAnswer(endpoint, response);
			}
			if (!RETRYABLE.contains(status)) {
				// A refusal is the Hub working as it should.
				this.circuit.onSuccess(elapsedSince(start), this.circuit.getTimestampUnit());
				return response;
			}
			Duration required = requiredWait(status, limits);
			if (status == 429) {
				this.circuit.releasePermission();
				this.metrics.rateLimited(endpoint, "hub");
				if (!retriesRateLimit || attempt >= this.properties.maxAttempts()) {
					throw rateLimited(endpoint, response, required, reader);
				}
			}
			else {
				this.circuit.onError(elapsedSince(start), this.circuit.getTimestampUnit(), new FailedAnswer(status));
				if (attempt >= this.properties.maxAttempts()) {
					throw new HubUnavailableException("The Hub answered " + endpoint + " with " + status + " in "
							+ attempt + " attempts" + requestIdOf(response));
				}
			}
			waitToRetry(endpoint, attempt, required);
		}
	}

	/**
	 * Waits for a permission to call: holds until the Hub's window resets when its bucket
	 * is empty, and keeps under the quota on Podium's side too.
	 */
	private void admit(String endpoint) {
		Instant resetAt = this.quota.take();
		if (resetAt != null) {
			Duration hold = Duration.between(this.clock.instant(), resetAt);
			if (hold.compareTo(this.properties.maxInlineWait()) > 0) {
				this.metrics.rateLimited(endpoint, "client");
				throw new HubRateLimitedException(
						"The Hub's API quota is spent until " + resetAt + "; " + endpoint + " waits for it", resetAt);
			}
			sleep(hold);
			this.quota.windowEnded(resetAt);
		}
		AtomicRateLimiter permits = this.limiter.get();
		long nanos = permits.reservePermission();
		if (nanos < 0) {
			Instant retryAt = this.clock.instant().plusNanos(permits.getDetailedMetrics().getNanosToWait());
			this.metrics.rateLimited(endpoint, "client");
			throw new HubRateLimitedException(
					"Podium's own limit of " + permits.getRateLimiterConfig().getLimitForPeriod()
							+ " Hub requests per window is reached; " + endpoint + " waits",
					retryAt);
		}
		sleep(Duration.ofNanos(nanos));
	}

	/** Takes the Hub's announced quota and window as the client's own. */
	private void adopt(RateLimitHeaders limits) {
		boolean windowChanged = this.quota.observe(limits);
		AtomicRateLimiter permits = this.limiter.get();
		if (windowChanged) {
			this.limiter.set(newLimiter(this.quota.limit(), this.quota.window()));
		}
		else if (permits.getRateLimiterConfig().getLimitForPeriod() != this.quota.limit()) {
			permits.changeLimitForPeriod(this.quota.limit());
		}
	}

	/**
	 * What the Hub asked for: {@code Retry-After} on any answer, else the window's reset
	 * on a 429 (on a 5xx, the reset says nothing about when to come back).
	 */
	private static Duration requiredWait(int status, RateLimitHeaders limits) {
		if (limits.retryAfter() != null) {
			return limits.retryAfter();
		}
		if (status == 429 && limits.reset() != null) {
			return limits.reset();
		}
		return Duration.ZERO;
	}

	private void waitToRetry(String endpoint, int attempt, Duration required) {
		if (required.compareTo(this.properties.maxInlineWait()) > 0) {
			throw new HubRateLimitedException(
					"The Hub asked to wait " + required.toSeconds() + " s before " + endpoint + " again",
					this.clock.instant().plus(required));
		}
		Duration jittered = this.backoff.delay(attempt);
		this.metrics.retry(endpoint);
		sleep((jittered.compareTo(required) >= 0) ? jittered : required);
	}

	private void sleep(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return;
		}
		try {
			this.pause.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HubUnavailableException("Interrupted while waiting to call the Hub", ex);
		}
	}

	private HubRateLimitedException rateLimited(String endpoint, HubResponse response, Duration required,
			String reader) {
		RateLimitHeaders limits = RateLimitHeaders.of(response.headers(), this.clock.instant());
		boolean hinted = limits.retryAfter() != null || limits.reset() != null;
		Instant retryAt = hinted ? this.clock.instant().plus(required) : null;
		String message = hubMessage(response, reader);
		return new HubRateLimitedException("The Hub rate-limited " + endpoint
				+ ((retryAt != null) ? " until " + retryAt : "") + ((message != null) ? ": " + message : ""), retryAt);
	}

	private void requireSuccess(String endpoint, HubResponse response, String reader) {
		if (!response.isSuccess()) {
			throw rejected(endpoint, response, reader);
		}
	}

	private HubRejectedException rejected(String endpoint, HubResponse response, String reader) {
		return new HubRejectedException(endpoint, response.status(), response.errorCode(),
				hubMessage(response, reader));
	}

	/** The Hub's explanation, short, and with any token taken out. */
	private String hubMessage(HubResponse response, String reader) {
		String message = null;
		try {
			ErrorBody body = this.json.readValue(response.body(), ErrorBody.class);
			message = (body.error() != null) ? body.error() : body.errorDescription();
		}
		catch (JacksonException ex) {
			// Not JSON (a proxy's HTML page, say): the header may still explain.
		}
		if (message == null) {
			message = response.headers().getFirst("X-Error-Message");
		}
		if (message == null || message.isBlank()) {
			return null;
		}
		message = redact(redact(message, this.properties.token()), reader);
		return (message.length() > MAX_MESSAGE_LENGTH) ? message.substring(0, MAX_MESSAGE_LENGTH) + "..." : message;
	}

	private static String redact(String text, String secret) {
		return (secret == null || secret.isEmpty()) ? text : text.replace(secret, "[redacted]");
	}

	private void logAnswer(String endpoint, HubResponse response) {
		int status = response.status();
		if (status == 429 || status >= 500) {
			log.warn("Hub {} answered {} (X-Request-Id {})", endpoint, status, response.requestId());
		}
		else {
			log.info("Hub {} answered {} (X-Request-Id {})", endpoint, status, response.requestId());
		}
	}

	private static String requestIdOf(HubResponse response) {
		return (response.requestId() != null) ? " (X-Request-Id " + response.requestId() + ")" : "";
	}

	private <T> T read(HubResponse response, Class<T> type) {
		try {
			return this.json.readValue(response.body(), type);
		}
		catch (JacksonException ex) {
			throw new HubUnavailableException("The Hub's answer was unreadable" + requestIdOf(response), ex);
		}
	}

	/**
	 * The next page, only on the Hub's own origin: the token must not travel elsewhere.
	 */
	private URI nextPage(URI current, String link) {
		if (link == null) {
			return null;
		}
		Matcher matcher = NEXT_LINK.matcher(link);
		if (!matcher.find()) {
			return null;
		}
		URI next = current.resolve(matcher.group(1));
		URI base = this.properties.url();
		if (!Objects.equals(next.getScheme(), base.getScheme()) || !Objects.equals(next.getHost(), base.getHost())
				|| next.getPort() != base.getPort()) {
			throw new HubUnavailableException("The Hub linked its next page of Spaces to another origin");
		}
		return next;
	}

	private void writeLine(ByteArrayOutputStream lines, Object line) {
		lines.writeBytes(this.json.writeValueAsBytes(line));
		lines.write('\n');
	}

	private AtomicRateLimiter newLimiter(int limit, Duration window) {
		RateLimiterConfig config = RateLimiterConfig.custom()
			.limitForPeriod(limit)
			.limitRefreshPeriod(window)
			.timeoutDuration(this.properties.maxInlineWait())
			.build();
		// Driven by the injected clock, so that tests move time instead of sleeping.
		return new AtomicRateLimiter("hub", config, () -> {
			Instant now = this.clock.instant();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		});
	}

	private long elapsedSince(long start) {
		return Math.max(0, this.circuit.getCurrentTimestamp() - start);
	}

	private static List<KeyValue> keyValues(Map<String, String> entries) {
		List<KeyValue> list = new ArrayList<>();
		if (entries != null) {
			entries.forEach((key, value) -> list.add(new KeyValue(key, value)));
		}
		return list;
	}

	private static String base64(byte[] content) {
		return Base64.getEncoder().encodeToString(content);
	}

	private static void checkName(String name) {
		if (name == null || !REPO_PART.matcher(name).matches() || name.contains("--") || name.contains("..")) {
			throw new IllegalArgumentException("Not a valid Space name: " + name);
		}
	}

	private record CachedWhoAmI(WhoAmI value, Instant expiresAt) {
	}

	/** A 5xx or 408, as the circuit breaker records it. */
	private static final class FailedAnswer extends RuntimeException {

		FailedAnswer(int status) {
			super("HTTP " + status, null, false, false);
		}

	}

}
