package dev.podium.sandbox.hub;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fake Hugging Face Hub for tests: the endpoints, answer shapes, status codes and
 * rate-limit headers of {@code HUB-API.md}, on {@code 127.0.0.1}, with time taken from
 * the given clock so that builds finish and windows reset when a test moves its clock.
 * <p>
 * It answers as the real Hub does where that surprises clients: {@code search} is a
 * case-insensitive substring match on the whole id; with {@code expand} a listing holds
 * only {@code _id}, {@code id} and the expanded fields (400 for an unknown one); the
 * creation limit answers 429 with the api bucket's headers, room left and no
 * {@code Retry-After}; 409 means either "already created" or "another conflicting
 * operation"; a renamed model answers 307 with a relative {@code Location}; a gated model
 * answers model info normally and {@code auth-check} with 403 {@code GatedRepo}; gateways
 * answer HTML; each token has its own api bucket.
 * <p>
 * Beyond answering, it plays the evaluation app ({@code docker/eval-space/app.py},
 * protocol v2) of every Space that runs with the variable {@code PODIUM_CALLBACK_URL} and
 * the secret {@code PODIUM_SANDBOX_TOKEN}: it long-polls Podium for jobs one at a time,
 * downloads a MODEL job's repo from this Hub with that job's own token, says it started,
 * takes {@link #appJobTime} on the clock and hands in predictions (or failures), until
 * Podium answers 410; a Space that is deleted, lost ({@link #loseSpace}), crashed
 * ({@link #crashSpace}) or restarted stops its app wherever it was. Trouble is injected
 * with {@link #failNext}, {@link #failNextBare}, {@link #failNextHtml},
 * {@link #conflictNextCreates}, {@link #delayNext} and {@link #hangNext}.
 */
public class FakeHub implements AutoCloseable {

	/** The user that owns the valid token; the namespace is one of its organizations. */
	public static final String USER = "podium-bot";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final long API_WINDOW_SECONDS = 300;

	private static final Pattern NAME = Pattern.compile("[\\w\\-.]{1,96}");

	/** The flavors of the Hub's {@code SpaceHardware}. */
	public static final Set<String> HARDWARE = Set.of("cpu-basic", "cpu-upgrade", "zero-a10g", "t4-small", "t4-medium",
			"l4x1", "l4x4", "l40sx1", "l40sx4", "l40sx8", "a10g-small", "a10g-large", "a10g-largex2", "a10g-largex4",
			"a100-large", "a100x4", "a100x8");

	/**
	 * The values {@code expand} takes on {@code GET /api/spaces} (the official client's
	 * list).
	 */
	private static final Set<String> EXPANDABLE = Set.of("author", "cardData", "createdAt", "datasets", "disabled",
			"lastModified", "likes", "models", "private", "region", "resourceGroup", "runtime", "sdk", "sha",
			"siblings", "subdomain", "tags", "trendingScore", "usedStorage");

	private static final String CONFLICTING = "Cannot create repo: another conflicting operation is in progress";

	private static final String GATEWAY_PAGE = """
			<!DOCTYPE html>
			<html><head><title>%d %s</title></head>
			<body><h1>%s</h1><p>The server is temporarily unable to service your request. Please try again later.</p>
			<hr><center>cloudfront</center></body></html>
			""";

	/**
	 * Protocol v2: the callback URL is a Space variable, only the sandbox token a secret.
	 */
	private static final String CALLBACK_VARIABLE = "PODIUM_CALLBACK_URL";

	private static final String TOKEN_SECRET = "PODIUM_SANDBOX_TOKEN";

	/** Seconds each job request of the app waits at Podium: short, for tests. */
	private static final int APP_POLL_WAIT = 1;

	private static final Duration APP_BACKOFF = Duration.ofMillis(50);

	private static final Duration APP_TIMEOUT = Duration.ofSeconds(10);

	static {
		// Without it, Nagle's algorithm meets delayed ACKs and every answer takes 40 ms.
		// Read once, when the JDK's server first starts in this JVM.
		System.setProperty("sun.net.httpserver.nodelay", "true");
	}

	private final Clock clock;

	private final String token;

	private final String namespace;

	private final Object lock = new Object();

	private final AtomicLong requestIds = new AtomicLong();

	private final AtomicInteger whoamiCalls = new AtomicInteger();

	private final List<RecordedRequest> requests = new ArrayList<>();

	private final List<AppRun> appRuns = new ArrayList<>();

	/** Live Spaces by id. */
	private final Map<String, FakeSpace> spaces = new LinkedHashMap<>();

	/** The latest incarnation of every Space ever created, deleted ones too. */
	private final Map<String, FakeSpace> history = new LinkedHashMap<>();

	private final List<String> created = new ArrayList<>();

	private final List<String> deleted = new ArrayList<>();

	/** When each namespace created its Spaces, within the creation window. */
	private final Map<String, Deque<Instant>> creations = new HashMap<>();

	private final Map<String, String> forcedStages = new HashMap<>();

	private final Map<String, FakeModel> models = new HashMap<>();

	private final Map<String, String> modelPredictions = new HashMap<>();

	private final List<Trouble> troubles = new ArrayList<>();

	private final List<Slowness> slownesses = new ArrayList<>();

	private final List<Trouble> afterApply = new ArrayList<>();

	private int dailyCreationLimit = 20;

	private Duration creationWindow = Duration.ofHours(24);

	private boolean requirePaidPlan;

	private Duration buildTime = Duration.ofSeconds(30);

	private boolean buildNeverFinishes;

	private String buildError;

	private int apiQuota = 1000;

	/** Each token's api bucket; anonymous calls share one, as an IP's would. */
	private final Map<String, ApiWindow> apiWindows = new HashMap<>();

	private boolean playApp = true;

	private Duration appJobTime = Duration.ZERO;

	private final List<Hang> hangs = new ArrayList<>();

	private final List<String> lost = new ArrayList<>();

	private Duration appStartTime = Duration.ZERO;

	private String runtimeError;

	private boolean pauseNewSpaces;

	private Duration creationLimitRetryAfter;

	private int conflictingCreates;

	private int maxPageSize = 1000;

	private String tokenRole = "write";

	private Map<String, List<String>> fineGrainedScopes;

	/** Old model id to new, as a rename leaves them. */
	private final Map<String, String> renamedModels = new HashMap<>();

	private HttpServer server;

	private ExecutorService handlers;

	private ExecutorService app;

	private ScheduledExecutorService booter;

	private HttpClient appClient;

	/** Dataset repos and users other than Podium's bot (issue 17). */
	private final FakeHubRepos repos = new FakeHubRepos();

	/** Dataset repos and Hub users besides Podium's bot (issue 17). */
	public FakeHubRepos repos() {
		return this.repos;
	}

	public FakeHub(Clock clock, String token, String namespace) {
		this.clock = clock;
		this.token = token;
		this.namespace = namespace;
	}

	public FakeHub start() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException("The fake Hub could not start", ex);
		}
		this.handlers = Executors.newFixedThreadPool(16, daemon("fake-hub"));
		// One thread per running Space: each long-polls Podium for its jobs.
		this.app = Executors.newCachedThreadPool(daemon("fake-hub-app"));
		this.booter = Executors.newSingleThreadScheduledExecutor(daemon("fake-hub-boot"));
		this.booter.scheduleWithFixedDelay(() -> {
			try {
				bootApps();
			}
			catch (RuntimeException ex) {
				// the next tick tries again
			}
		}, 20, 20, TimeUnit.MILLISECONDS);
		this.appClient = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		this.server.setExecutor(this.handlers);
		this.server.createContext("/", this::handle);
		this.server.start();
		return this;
	}

	@Override
	public void close() {
		if (this.server != null) {
			this.server.stop(0);
			releaseHangs();
			this.booter.shutdownNow();
			this.handlers.shutdownNow();
			this.app.shutdownNow();
		}
	}

	/** The base URL, as {@code podium.hub.url}. */
	public URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	public String namespace() {
		return this.namespace;
	}

	// ------------------------------------------------------------------ settings

	/** How many Spaces the namespace may create per creation window (20 by default). */
	public FakeHub dailyCreationLimit(int limit) {
		synchronized (this.lock) {
			this.dailyCreationLimit = limit;
		}
		return this;
	}

	/** The window over which creations count (24 h by default). */
	public FakeHub creationWindow(Duration window) {
		synchronized (this.lock) {
			this.creationWindow = window;
		}
		return this;
	}

	/**
	 * Whether creating a Docker Space answers 402, as for an owner without a paid plan.
	 */
	public FakeHub requirePaidPlan(boolean required) {
		synchronized (this.lock) {
			this.requirePaidPlan = required;
		}
		return this;
	}

	/** How long a build takes, from creation or the last restart (30 s by default). */
	public FakeHub buildTime(Duration duration) {
		synchronized (this.lock) {
			this.buildTime = duration;
			this.buildNeverFinishes = false;
		}
		return this;
	}

	/** Builds stay {@code BUILDING} forever. */
	public FakeHub buildNeverFinishes() {
		synchronized (this.lock) {
			this.buildNeverFinishes = true;
		}
		return this;
	}

	/**
	 * Builds end in {@code BUILD_ERROR} with this message once their build time passed;
	 * {@code null} lets them succeed again.
	 */
	public FakeHub failBuilds(String errorMessage) {
		synchronized (this.lock) {
			this.buildError = errorMessage;
		}
		return this;
	}

	/**
	 * Forces a Space's stage, known to the Hub or not; {@code null} returns it to its
	 * lifecycle.
	 * @param space a name in the namespace, or {@code namespace/name}
	 */
	public FakeHub stage(String space, String stage) {
		synchronized (this.lock) {
			if (stage == null) {
				this.forcedStages.remove(idOf(space));
			}
			else {
				this.forcedStages.put(idOf(space), stage);
			}
		}
		return this;
	}

	/** Requests per 5-minute window of the {@code api} bucket (1000 by default). */
	public FakeHub apiQuota(int quota) {
		synchronized (this.lock) {
			this.apiQuota = quota;
		}
		return this;
	}

	/**
	 * Answers the next {@code count} requests with {@code status}: 429 and 503 say
	 * {@code Retry-After: 1}.
	 */
	public FakeHub failNext(int count, int status) {
		return failNext("/", count, status, (status == 429 || status == 503) ? Duration.ofSeconds(1) : null);
	}

	public FakeHub failNext(int count, int status, Duration retryAfter) {
		return failNext("/", count, status, retryAfter);
	}

	/**
	 * Answers the next {@code count} requests whose path starts with {@code pathPrefix}
	 * with {@code status}, and {@code Retry-After} when given.
	 */
	public FakeHub failNext(String pathPrefix, int count, int status, Duration retryAfter) {
		return trouble(new Trouble(pathPrefix, new AtomicInteger(count), status, retryAfter, TroubleShape.JSON));
	}

	/**
	 * Answers the next {@code count} requests under {@code pathPrefix} with
	 * {@code status} and no headers at all: no {@code RateLimit}, no {@code Retry-After},
	 * no {@code X-Error-Code}.
	 */
	public FakeHub failNextBare(String pathPrefix, int count, int status) {
		return trouble(new Trouble(pathPrefix, new AtomicInteger(count), status, null, TroubleShape.BARE));
	}

	/**
	 * Answers the next {@code count} requests under {@code pathPrefix} with a gateway's
	 * HTML page (502, 503, 504): {@code text/html}, no {@code X-Error-Code}.
	 */
	public FakeHub failNextHtml(String pathPrefix, int count, int status) {
		return trouble(new Trouble(pathPrefix, new AtomicInteger(count), status, null, TroubleShape.HTML));
	}

	/**
	 * Answers the next {@code count} requests under {@code pathPrefix} as an empty api
	 * bucket: 429 with {@code RateLimit: "api";r=0;t=<seconds to the window's reset>}, as
	 * when another client of the same token spent the quota.
	 */
	public FakeHub exhaustApiBucketNext(String pathPrefix, int count) {
		return trouble(new Trouble(pathPrefix, new AtomicInteger(count), 429, null, TroubleShape.API_BUCKET));
	}

	/**
	 * Does what the next {@code count} requests under {@code pathPrefix} ask, then
	 * answers {@code status} instead of success, as when an answer is lost on its way
	 * back: a 409 says "You already created this space repo" (as a repeated create would
	 * hear), a 502, 503 or 504 is a gateway's HTML page, anything else the Hub's JSON
	 * error.
	 */
	public FakeHub answerAfterApplyNext(String pathPrefix, int count, int status) {
		synchronized (this.lock) {
			this.afterApply.add(new Trouble(pathPrefix, new AtomicInteger(count), status, null, TroubleShape.JSON));
		}
		return this;
	}

	private Answer afterApply(String path, Answer done) {
		for (Iterator<Trouble> it = this.afterApply.iterator(); it.hasNext();) {
			Trouble trouble = it.next();
			if (path.startsWith(trouble.pathPrefix) && trouble.remaining.getAndDecrement() > 0) {
				if (trouble.remaining.get() <= 0) {
					it.remove();
				}
				if (trouble.status >= 502 && trouble.status <= 504) {
					return Answer.html(trouble.status);
				}
				return Answer.error(trouble.status, troubleMessage(trouble.status), null);
			}
		}
		return done;
	}

	/**
	 * Back to a Hub that knows no Space, has no trouble pending, plays the app and keeps
	 * the defaults of every setting; observations start again from nothing. Models stay.
	 */
	public FakeHub reset() {
		releaseHangs();
		synchronized (this.lock) {
			this.spaces.clear();
			this.history.clear();
			this.created.clear();
			this.deleted.clear();
			this.lost.clear();
			this.requests.clear();
			this.appRuns.clear();
			this.creations.clear();
			this.forcedStages.clear();
			this.troubles.clear();
			this.afterApply.clear();
			this.slownesses.clear();
			this.apiWindows.clear();
			this.dailyCreationLimit = 20;
			this.creationWindow = Duration.ofHours(24);
			this.requirePaidPlan = false;
			this.buildTime = Duration.ofSeconds(30);
			this.buildNeverFinishes = false;
			this.buildError = null;
			this.apiQuota = 1000;
			this.playApp = true;
			this.appJobTime = Duration.ZERO;
			this.appStartTime = Duration.ZERO;
			this.runtimeError = null;
			this.pauseNewSpaces = false;
			this.creationLimitRetryAfter = null;
			this.conflictingCreates = 0;
			this.maxPageSize = 1000;
		}
		return this;
	}

	private FakeHub trouble(Trouble trouble) {
		synchronized (this.lock) {
			this.troubles.add(trouble);
		}
		return this;
	}

	/** Delays the next {@code count} answers by {@code delay}, really. */
	public FakeHub delayNext(int count, Duration delay) {
		return delayNext("/", count, delay);
	}

	public FakeHub delayNext(String pathPrefix, int count, Duration delay) {
		synchronized (this.lock) {
			this.slownesses.add(new Slowness(pathPrefix, new AtomicInteger(count), delay));
		}
		return this;
	}

	/** Forgets injected failures and delays that are still pending; releases hangs. */
	public FakeHub clearTrouble() {
		synchronized (this.lock) {
			this.troubles.clear();
			this.slownesses.clear();
			this.conflictingCreates = 0;
		}
		releaseHangs();
		return this;
	}

	/**
	 * The next request of {@code method} under {@code pathPrefix} hangs, received but
	 * unanswered, until the test releases it (or {@code atMost} passed); the others are
	 * answered meanwhile.
	 */
	public Hang hangNext(String method, String pathPrefix, Duration atMost) {
		Hang hang = new Hang(method, pathPrefix, atMost);
		synchronized (this.lock) {
			this.hangs.add(hang);
		}
		return hang;
	}

	private Hang hangFor(String method, String path) {
		synchronized (this.lock) {
			for (Iterator<Hang> it = this.hangs.iterator(); it.hasNext();) {
				Hang hang = it.next();
				if (hang.method.equals(method) && path.startsWith(hang.pathPrefix)) {
					it.remove();
					return hang;
				}
			}
			return null;
		}
	}

	private void releaseHangs() {
		List<Hang> pending;
		synchronized (this.lock) {
			pending = List.copyOf(this.hangs);
			this.hangs.clear();
		}
		pending.forEach(Hang::release);
	}

	/**
	 * How long each job takes a Space's app on the clock, from {@code started} to its
	 * predictions (none by default).
	 */
	public FakeHub appJobTime(Duration duration) {
		synchronized (this.lock) {
			this.appJobTime = duration;
		}
		return this;
	}

	/**
	 * The Space disappears at once, as on an eviction: the Hub no longer knows it (404),
	 * its app stops wherever it was, and nobody deleted it.
	 */
	public FakeHub loseSpace(String space) {
		synchronized (this.lock) {
			if (this.spaces.remove(idOf(space)) != null) {
				this.lost.add(idOf(space));
			}
		}
		return this;
	}

	/**
	 * The Space's app crashes: its stage turns {@code RUNTIME_ERROR} and its app stops.
	 */
	public FakeHub crashSpace(String space) {
		return stage(space, "RUNTIME_ERROR");
	}

	/**
	 * Registers a model.
	 * @param id {@code namespace/name} or a bare name
	 * @param revisions branch and tag names besides {@code main} and the sha itself
	 * @param readToken a token that may read it when private (the valid token always may)
	 */
	public FakeHub addModel(String id, String sha, boolean isPrivate, Set<String> revisions, String readToken) {
		synchronized (this.lock) {
			this.models.put(id, new FakeModel(id, sha, isPrivate, Set.copyOf(revisions), readToken, null, Set.of()));
		}
		return this;
	}

	/** The predictions that the app hands in for a MODEL submission of this model. */
	public FakeHub modelPredictions(String modelId, String csv) {
		synchronized (this.lock) {
			this.modelPredictions.put(modelId, csv);
		}
		return this;
	}

	/** Whether running Spaces play the evaluation app (on by default). */
	public FakeHub playApp(boolean play) {
		synchronized (this.lock) {
			this.playApp = play;
		}
		return this;
	}

	/**
	 * How long a built Space stays {@code APP_STARTING} ({@code RUNNING_APP_STARTING}
	 * after a rebuild of a running one) before it runs; none by default.
	 */
	public FakeHub appStartTime(Duration duration) {
		synchronized (this.lock) {
			this.appStartTime = duration;
		}
		return this;
	}

	/**
	 * Apps crash as they start: a built Space ends in {@code RUNTIME_ERROR} with this
	 * message; {@code null} lets them run again.
	 */
	public FakeHub failRuntimes(String errorMessage) {
		synchronized (this.lock) {
			this.runtimeError = errorMessage;
		}
		return this;
	}

	/**
	 * New Spaces are {@code PAUSED} right after creation, as when the namespace has no
	 * hardware quota left for them.
	 */
	public FakeHub pauseNewSpaces(boolean pause) {
		synchronized (this.lock) {
			this.pauseNewSpaces = pause;
		}
		return this;
	}

	/**
	 * The creation limit's 429 carries {@code Retry-After} with this wait; by default it
	 * carries none, as the only recorded one.
	 */
	public FakeHub creationLimitRetryAfter(Duration retryAfter) {
		synchronized (this.lock) {
			this.creationLimitRetryAfter = retryAfter;
		}
		return this;
	}

	/**
	 * The next {@code count} creations answer 409 "another conflicting operation is in
	 * progress" and make nothing.
	 */
	public FakeHub conflictNextCreates(int count) {
		synchronized (this.lock) {
			this.conflictingCreates = count;
		}
		return this;
	}

	/** The most Spaces one page of a listing holds, whatever {@code limit} asks. */
	public FakeHub maxPageSize(int size) {
		synchronized (this.lock) {
			this.maxPageSize = size;
		}
		return this;
	}

	/**
	 * What whoami-v2 says of the valid token: its role and, for {@code fineGrained}, its
	 * permissions by entity name ({@code null} sends no {@code fineGrained} block).
	 */
	public FakeHub tokenRole(String role, Map<String, List<String>> scopes) {
		synchronized (this.lock) {
			this.tokenRole = role;
			this.fineGrainedScopes = (scopes != null) ? Map.copyOf(scopes) : null;
		}
		return this;
	}

	/**
	 * Renames a registered model: its old id answers 307 with a relative {@code Location}
	 * to the new one, on every model endpoint.
	 */
	public FakeHub renameModel(String oldId, String newId) {
		synchronized (this.lock) {
			FakeModel model = this.models.remove(oldId);
			if (model == null) {
				throw new IllegalArgumentException("No model " + oldId);
			}
			this.models.put(newId, model.renamed(newId));
			this.renamedModels.put(oldId, newId);
		}
		return this;
	}

	/**
	 * Gates a registered model ({@code auto} or {@code manual}): model info answers as
	 * before, downloads ({@code auth-check}) only for the tokens granted access.
	 */
	public FakeHub gateModel(String id, String mode, Set<String> grantedTokens) {
		synchronized (this.lock) {
			FakeModel model = this.models.get(id);
			if (model == null) {
				throw new IllegalArgumentException("No model " + id);
			}
			this.models.put(id, model.gated(mode, Set.copyOf(grantedTokens)));
		}
		return this;
	}

	// ------------------------------------------------------------------ observations

	public List<RecordedRequest> requests() {
		synchronized (this.lock) {
			return List.copyOf(this.requests);
		}
	}

	public List<RecordedRequest> requests(String method, String pathPrefix) {
		return requests().stream().filter((request) -> request.is(method, pathPrefix)).toList();
	}

	public int whoamiCalls() {
		return this.whoamiCalls.get();
	}

	/** Ids of every Space created, in order, deleted ones included. */
	public List<String> createdSpaces() {
		synchronized (this.lock) {
			return List.copyOf(this.created);
		}
	}

	public List<String> deletedSpaces() {
		synchronized (this.lock) {
			return List.copyOf(this.deleted);
		}
	}

	public Set<String> liveSpaces() {
		synchronized (this.lock) {
			return Set.copyOf(this.spaces.keySet());
		}
	}

	/** A Space's secrets now (or when it was deleted). */
	public Map<String, String> secretsOf(String space) {
		synchronized (this.lock) {
			return Map.copyOf(known(space).secrets);
		}
	}

	/** The secrets that came with the creation call. */
	public Map<String, String> secretsAtCreation(String space) {
		synchronized (this.lock) {
			return known(space).secretsAtCreation;
		}
	}

	public Map<String, String> variablesOf(String space) {
		synchronized (this.lock) {
			return Map.copyOf(known(space).variables);
		}
	}

	/** The Space's files, from the creation call and commits. */
	public Map<String, byte[]> filesOf(String space) {
		synchronized (this.lock) {
			return Map.copyOf(known(space).files);
		}
	}

	/** Summaries of the commits made after creation, in order. */
	public List<String> commitsOf(String space) {
		synchronized (this.lock) {
			return List.copyOf(known(space).commits);
		}
	}

	public int preuploadsOf(String space) {
		synchronized (this.lock) {
			return known(space).preuploads;
		}
	}

	public String hardwareOf(String space) {
		synchronized (this.lock) {
			return known(space).hardware;
		}
	}

	/** The stage the runtime endpoint would report now, without playing the app. */
	public String stageOf(String space) {
		synchronized (this.lock) {
			return stageOf(known(space), this.clock.instant());
		}
	}

	public List<AppRun> appRuns() {
		synchronized (this.lock) {
			return List.copyOf(this.appRuns);
		}
	}

	// ------------------------------------------------------------------ serving

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = exchange.getRequestBody().readAllBytes();
			String method = exchange.getRequestMethod();
			String path = exchange.getRequestURI().getRawPath();
			String query = exchange.getRequestURI().getRawQuery();
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
			Hang hang = hangFor(method, path);
			if (hang != null && !hang.hold()) {
				return;
			}
			Duration delay = slownessFor(path);
			if (delay != null) {
				try {
					Thread.sleep(delay.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			Answer answer;
			synchronized (this.lock) {
				try {
					answer = answer(method, path, query, authorization, contentType, body);
				}
				catch (BadRequest ex) {
					answer = Answer.error(400, ex.getMessage(), null);
				}
				if (!answer.bare) {
					answer.headers.putIfAbsent("X-Request-Id", "Root=1-fake-" + this.requestIds.incrementAndGet());
				}
				this.requests
					.add(new RecordedRequest(method, path, query, authorization, contentType, body, answer.status));
			}
			answer.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
			exchange.sendResponseHeaders(answer.status, (answer.body.length == 0) ? -1 : answer.body.length);
			if (answer.body.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer.body);
				}
			}
		}
	}

	private Answer answer(String method, String path, String query, String authorization, String contentType,
			byte[] body) {
		// ---- issue 17: dataset repos and Hub users, served by FakeHubRepos (additive)
		FakeHubRepos.Reply reply = this.repos.reply(method, path, bearer(authorization));
		if (reply != null) {
			Answer answer = new Answer(reply.status(), reply.body(), reply.contentType());
			reply.headers().forEach(answer::header);
			return answer;
		}
		// ---- end of issue 17
		if (!path.startsWith("/api/")) {
			return Answer.error(404, "Not Found", null);
		}
		Instant now = this.clock.instant();
		String bearer = bearer(authorization);
		ApiWindow window = apiWindow(bearer, now);
		window.used++;
		Answer answer = troubleFor(path, window, now);
		if (answer == null && window.used > this.apiQuota) {
			answer = Answer
				.error(429, "We had to rate limit you, you hit the quota of " + this.apiQuota
						+ " api requests per 5 minutes period. Upgrade to a PRO user or Team/Enterprise organization "
						+ "account for higher limits.", null)
				.header("Retry-After", String.valueOf(window.resetSeconds(now)));
		}
		if (answer == null) {
			answer = authorized(path, bearer)
					? route(method, segments(path), path, query, bearer, contentType, body, now)
					: Answer.error(401, "Invalid credentials in Authorization header", null);
			if (answer.status / 100 == 2) {
				answer = afterApply(path, answer);
			}
		}
		if (!answer.bare && !answer.html) {
			answer.headers.putIfAbsent("RateLimit",
					"\"api\";r=%d;t=%d".formatted(Math.max(0, this.apiQuota - window.used), window.resetSeconds(now)));
			answer.headers.putIfAbsent("RateLimit-Policy",
					"\"fixed window\";\"api\";q=%d;w=%d".formatted(this.apiQuota, API_WINDOW_SECONDS));
		}
		return answer;
	}

	private Answer route(String method, List<String> path, String rawPath, String query, String bearer,
			String contentType, byte[] body, Instant now) {
		// path starts with "api"
		String resource = (path.size() > 1) ? path.get(1) : "";
		if (method.equals("GET") && path.equals(List.of("api", "whoami-v2"))) {
			return whoami();
		}
		if (resource.equals("repos") && path.size() == 3) {
			if (method.equals("POST") && path.get(2).equals("create")) {
				return createRepo(readJson(body), now);
			}
			if (method.equals("DELETE") && path.get(2).equals("delete")) {
				return deleteRepo(readJson(body));
			}
		}
		if (resource.equals("spaces")) {
			if (path.size() == 2 && method.equals("GET")) {
				return listSpaces(query, now);
			}
			if (path.size() >= 4) {
				FakeSpace space = this.spaces.get(path.get(2) + "/" + path.get(3));
				if (space == null) {
					return Answer.error(404, "Repository not found", "RepoNotFound");
				}
				return spaceAction(method, path.subList(4, path.size()), space, contentType, body, now);
			}
		}
		if (resource.equals("models") && method.equals("GET") && path.size() >= 3) {
			return model(path.subList(2, path.size()), rawPath, bearer);
		}
		return Answer.error(404, "Sorry, we can't find the page you are looking for.", null);
	}

	private Answer spaceAction(String method, List<String> action, FakeSpace space, String contentType, byte[] body,
			Instant now) {
		String what = action.isEmpty() ? "" : action.get(0);
		if (action.isEmpty() && method.equals("GET")) {
			return Answer.json(200, spaceJson(space, now, List.of()));
		}
		if (what.equals("runtime") && method.equals("GET")) {
			return Answer.json(200, runtime(space, now));
		}
		if (what.equals("secrets")) {
			JsonNode request = readJson(body);
			String key = required(request, "key");
			if (method.equals("POST")) {
				space.secrets.put(key, text(request, "value", ""));
			}
			else if (method.equals("DELETE")) {
				space.secrets.remove(key);
			}
			else {
				return Answer.error(405, "Method not allowed", null);
			}
			// A change of secrets restarts the Space, as on the Hub.
			space.restart(now, stageOf(space, now).startsWith("RUNNING"));
			return Answer.json(200, Map.of());
		}
		if (what.equals("variables")) {
			if (method.equals("POST") || method.equals("DELETE")) {
				JsonNode request = readJson(body);
				String key = required(request, "key");
				if (method.equals("POST")) {
					space.variables.put(key, text(request, "value", ""));
					space.variableUpdates.put(key, now);
				}
				else {
					space.variables.remove(key);
					space.variableUpdates.remove(key);
				}
				space.restart(now, stageOf(space, now).startsWith("RUNNING"));
			}
			Map<String, Object> variables = new LinkedHashMap<>();
			space.variables.forEach((key, value) -> variables.put(key,
					Map.of("value", value, "updatedAt", space.variableUpdates.getOrDefault(key, now).toString())));
			return Answer.json(200, variables);
		}
		if (what.equals("commit") && method.equals("POST")) {
			return commit(space, contentType, body, now);
		}
		if (what.equals("preupload") && method.equals("POST")) {
			space.preuploads++;
			List<Map<String, Object>> files = new ArrayList<>();
			for (JsonNode file : readJson(body).path("files")) {
				boolean large = file.path("size").asLong() > 10 * 1024 * 1024;
				files.add(Map.of("path", file.path("path").asString(), "uploadMode", large ? "lfs" : "regular",
						"shouldIgnore", false));
			}
			return Answer.json(200, Map.of("files", files));
		}
		if (what.equals("pause") && method.equals("POST")) {
			space.paused = true;
			return Answer.json(200, runtime(space, now));
		}
		if (what.equals("restart") && method.equals("POST")) {
			space.paused = false;
			space.restart(now, stageOf(space, now).startsWith("RUNNING"));
			return Answer.json(200, runtime(space, now));
		}
		return Answer.error(404, "Sorry, we can't find the page you are looking for.", null);
	}

	private Answer whoami() {
		this.whoamiCalls.incrementAndGet();
		Map<String, Object> accessToken = new LinkedHashMap<>();
		accessToken.put("displayName", "podium");
		accessToken.put("role", this.tokenRole);
		accessToken.put("createdAt", "2026-01-05T10:00:00.000Z");
		if (this.fineGrainedScopes != null) {
			List<Map<String, Object>> scoped = new ArrayList<>();
			this.fineGrainedScopes.forEach((entity,
					permissions) -> scoped.add(Map.of("entity",
							Map.of("_id", hex(12), "type", entity.equals(USER) ? "user" : "org", "name", entity),
							"permissions", permissions)));
			accessToken.put("fineGrained", Map.of("canReadGatedRepos", true, "global", List.of(), "scoped", scoped));
		}
		return Answer.json(200,
				Map.of("type", "user", "id", "64b0fake", "name", USER, "fullname", "Podium Bot", "orgs",
						List.of(Map.of("type", "org", "name", this.namespace, "roleInOrg", "write")), "auth",
						Map.of("type", "access_token", "accessToken", accessToken)));
	}

	private Answer createRepo(JsonNode request, Instant now) {
		String type = text(request, "type", "model");
		String name = required(request, "name");
		String organization = text(request, "organization", USER);
		if (!type.equals("space")) {
			throw new BadRequest("The fake Hub only creates spaces, not " + type);
		}
		if (!organization.equals(this.namespace) && !organization.equals(USER)) {
			return Answer.error(403,
					"You don't have the rights to create a space under the namespace \"" + organization + "\"", null);
		}
		if (!NAME.matcher(name).matches() || name.contains("--") || name.contains("..")) {
			return Answer.error(400, "Invalid repo name: " + name, null);
		}
		String sdk = text(request, "sdk", null);
		if (this.requirePaidPlan && "docker".equals(sdk)) {
			return Answer.error(402,
					"Docker Spaces are only available to PRO users and Team or Enterprise organizations", null);
		}
		String hardware = text(request, "hardware", "cpu-basic");
		if (!HARDWARE.contains(hardware)) {
			return Answer.error(400, "Invalid hardware \"" + hardware + "\": not a Space hardware flavor", null);
		}
		if (this.conflictingCreates > 0) {
			this.conflictingCreates--;
			return Answer.error(409, CONFLICTING, null);
		}
		Deque<Instant> creations = this.creations.computeIfAbsent(organization, (owner) -> new ArrayDeque<>());
		while (!creations.isEmpty() && !creations.peekFirst().plus(this.creationWindow).isAfter(now)) {
			creations.removeFirst();
		}
		if (creations.size() >= this.dailyCreationLimit) {
			// As the one recorded: the api bucket's headers (room left), no Retry-After.
			Answer limited = Answer.error(429, "You have exceeded the rate limit for repository creation ("
					+ this.dailyCreationLimit + " per day).", null);
			if (this.creationLimitRetryAfter != null) {
				limited.header("Retry-After", String.valueOf(seconds(this.creationLimitRetryAfter)));
			}
			return limited;
		}
		String id = organization + "/" + name;
		String url = url() + "/spaces/" + id;
		if (this.spaces.containsKey(id)) {
			return Answer.json(409, Map.of("error", "You already created this space repo", "url", url));
		}
		FakeSpace space = new FakeSpace(id, sdk, hardware,
				request.path("private").asBoolean(false) || "private".equals(text(request, "visibility", null)), now);
		space.paused = this.pauseNewSpaces;
		for (JsonNode secret : request.path("secrets")) {
			space.secrets.put(required(secret, "key"), text(secret, "value", ""));
		}
		for (JsonNode variable : request.path("variables")) {
			space.variables.put(required(variable, "key"), text(variable, "value", ""));
			space.variableUpdates.put(required(variable, "key"), now);
		}
		for (JsonNode file : request.path("files")) {
			space.files.put(required(file, "path"), content(file));
		}
		space.secretsAtCreation = Map.copyOf(space.secrets);
		this.spaces.put(id, space);
		this.history.put(id, space);
		this.created.add(id);
		creations.addLast(now);
		return Answer.json(200, Map.of("url", url, "name", id, "id", hex(12)));
	}

	private Answer deleteRepo(JsonNode request) {
		String id = text(request, "organization", USER) + "/" + required(request, "name");
		if (this.spaces.remove(id) == null) {
			return Answer.error(404, "Repository not found", "RepoNotFound");
		}
		this.deleted.add(id);
		return new Answer(200, "OK".getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
	}

	private Answer commit(FakeSpace space, String contentType, byte[] body, Instant now) {
		if (contentType == null || !contentType.startsWith("application/x-ndjson")) {
			throw new BadRequest("A commit is sent as application/x-ndjson, not " + contentType);
		}
		String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
		String summary = null;
		Map<String, byte[]> files = new LinkedHashMap<>();
		List<String> removed = new ArrayList<>();
		for (String line : lines) {
			if (line.isBlank()) {
				continue;
			}
			JsonNode entry = readJson(line.getBytes(StandardCharsets.UTF_8));
			JsonNode value = entry.path("value");
			switch (entry.path("key").asString()) {
				case "header" -> summary = required(value, "summary");
				case "file" -> files.put(required(value, "path"), content(value));
				case "deletedFile" -> removed.add(required(value, "path"));
				default -> throw new BadRequest("Unsupported commit line: " + entry.path("key").asString());
			}
		}
		if (summary == null) {
			throw new BadRequest("A commit starts with its header line");
		}
		space.files.putAll(files);
		removed.forEach(space.files::remove);
		space.commits.add(summary);
		space.restart(now, stageOf(space, now).startsWith("RUNNING"));
		String oid = hex(20);
		return Answer.json(200, Map.of("success", true, "commitOid", oid, "commitUrl",
				url() + "/spaces/" + space.id + "/commit/" + oid, "hookOutput", ""));
	}

	private Answer listSpaces(String query, Instant now) {
		Map<String, List<String>> parameters = parameters(query);
		List<String> expand = parameters.getOrDefault("expand", List.of());
		for (String field : expand) {
			if (!EXPANDABLE.contains(field)) {
				return Answer.error(400,
						"\"expand\" must be one of " + new java.util.TreeSet<>(EXPANDABLE) + ", not \"" + field + "\"",
						null);
			}
		}
		String author = first(parameters, "author");
		String search = first(parameters, "search");
		int limit = Math.min(this.maxPageSize,
				Integer.parseInt(Optional.ofNullable(first(parameters, "limit")).orElse("1000")));
		int cursor = Integer.parseInt(Optional.ofNullable(first(parameters, "cursor")).orElse("0"));
		List<FakeSpace> matching = this.spaces.values()
			.stream()
			.filter((space) -> author == null || space.id.startsWith(author + "/"))
			// as the Hub: a case-insensitive substring of the whole id
			.filter((space) -> search == null
					|| space.id.toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
			.toList();
		List<Object> page = new ArrayList<>();
		for (FakeSpace space : matching.subList(Math.min(cursor, matching.size()),
				Math.min(cursor + limit, matching.size()))) {
			page.add(spaceJson(space, now, expand));
		}
		Answer answer = Answer.json(200, page);
		if (cursor + limit < matching.size()) {
			StringBuilder next = new StringBuilder(url() + "/api/spaces?");
			for (String part : query.split("&")) {
				if (!part.startsWith("cursor=")) {
					next.append(part).append('&');
				}
			}
			next.append("cursor=").append(cursor + limit);
			answer.header("Link", "<" + next + ">; rel=\"next\"");
		}
		return answer;
	}

	private Answer model(List<String> path, String rawPath, String bearer) {
		int revisionAt = path.indexOf("revision");
		boolean authCheck = revisionAt < 0 && path.get(path.size() - 1).equals("auth-check");
		List<String> idParts = (revisionAt >= 0) ? path.subList(0, revisionAt)
				: authCheck ? path.subList(0, path.size() - 1) : path;
		String revision = (revisionAt >= 0 && revisionAt + 1 < path.size())
				? String.join("/", path.subList(revisionAt + 1, path.size())) : null;
		String id = String.join("/", idParts);
		String renamed = this.renamedModels.get(id);
		if (renamed != null) {
			String rest = rawPath.substring(("/api/models/" + id).length());
			return Answer.json(307, Map.of("error", "Repository moved"))
				.header("Location", "/api/models/" + renamed + rest);
		}
		FakeModel model = this.models.get(id);
		if (model == null) {
			return Answer.error(404, "Repository not found", "RepoNotFound");
		}
		if (model.isPrivate && !this.token.equals(bearer) && !Objects.equals(model.readToken, bearer)) {
			return Answer.error(401, "Repository not found", "RepoNotFound");
		}
		if (authCheck) {
			if (model.gated == null || (bearer != null && model.granted.contains(bearer))) {
				return Answer.json(200, Map.of());
			}
			if (bearer == null) {
				return Answer.error(401, "Access to model " + model.id + " is restricted. You must have access to it "
						+ "and be authenticated to access it. Please log in.", "GatedRepo");
			}
			return Answer.error(403,
					"Access to model " + model.id + " is restricted and you are not in the "
							+ "authorized list. Visit https://huggingface.co/" + model.id + " to ask for access.",
					"GatedRepo");
		}
		if (revision != null && !revision.equals("main") && !revision.equals(model.sha)
				&& !model.revisions.contains(revision)) {
			return Answer.error(404, "Invalid rev id: " + revision, "RevisionNotFound");
		}
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("_id", hex(12));
		info.put("id", model.id);
		info.put("modelId", model.id);
		info.put("sha", model.sha);
		info.put("private", model.isPrivate);
		info.put("gated", (model.gated != null) ? model.gated : false);
		info.put("disabled", false);
		info.put("siblings", List.of(Map.of("rfilename", "config.json"), Map.of("rfilename", "model.safetensors")));
		return Answer.json(200, info);
	}

	/**
	 * A Space as a listing shows it: without {@code expand}, the default fields; with it,
	 * only {@code _id}, {@code id} and the expanded fields.
	 */
	private Map<String, Object> spaceJson(FakeSpace space, Instant now, List<String> expand) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("_id", space.objectId);
		all.put("id", space.id);
		all.put("author", space.id.substring(0, space.id.indexOf('/')));
		all.put("private", space.isPrivate);
		all.put("sdk", space.sdk);
		all.put("likes", 0);
		all.put("tags", List.of(String.valueOf(space.sdk)));
		all.put("createdAt", space.createdAt.toString());
		all.put("lastModified", space.buildStartedAt.toString());
		if (expand.isEmpty()) {
			return all;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("_id", space.objectId);
		body.put("id", space.id);
		for (String field : expand) {
			if (field.equals("runtime")) {
				body.put("runtime", runtime(space, now));
			}
			else if (all.containsKey(field)) {
				body.put(field, all.get(field));
			}
		}
		return body;
	}

	/** The runtime JSON; a first sight of RUNNING since the last boot starts the app. */
	private Map<String, Object> runtime(FakeSpace space, Instant now) {
		String stage = stageOf(space, now);
		Map<String, Object> hardware = new LinkedHashMap<>();
		hardware.put("current", stage.startsWith("RUNNING") ? space.hardware : null);
		hardware.put("requested", space.hardware);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("stage", stage);
		body.put("hardware", hardware);
		body.put("gcTimeout", 172800);
		body.put("replicas", Map.of("requested", 1));
		body.put("devMode", false);
		String domain = space.id.replace('/', '-').replace('_', '-').replace('.', '-').toLowerCase(Locale.ROOT);
		body.put("domains", List.of(Map.of("domain", domain + ".hf.space", "stage", "READY")));
		if (stage.equals("BUILD_ERROR") && this.buildError != null) {
			body.put("errorMessage", this.buildError);
		}
		if (stage.equals("RUNTIME_ERROR") && this.runtimeError != null) {
			body.put("errorMessage", this.runtimeError);
		}
		return body;
	}

	private String stageOf(FakeSpace space, Instant now) {
		String forced = this.forcedStages.get(space.id);
		if (forced != null) {
			return forced;
		}
		if (!this.spaces.containsKey(space.id)) {
			return "DELETING";
		}
		if (space.paused) {
			return "PAUSED";
		}
		// a Space that ran keeps running its old app while the new one builds and starts
		String running = space.ranBeforeRestart ? "RUNNING_" : "";
		if (this.buildNeverFinishes || now.isBefore(space.buildStartedAt.plus(this.buildTime))) {
			return running + "BUILDING";
		}
		if (this.buildError != null) {
			return "BUILD_ERROR";
		}
		if (now.isBefore(space.buildStartedAt.plus(this.buildTime).plus(this.appStartTime))) {
			return running + "APP_STARTING";
		}
		return (this.runtimeError != null) ? "RUNTIME_ERROR" : "RUNNING";
	}

	// ------------------------------------------------------------------ the Space's app

	/**
	 * Starts the app of every Space that runs now and has not started it since its last
	 * boot: a Space runs its app whether or not anyone looks at its runtime.
	 */
	private void bootApps() {
		synchronized (this.lock) {
			if (!this.playApp) {
				return;
			}
			Instant now = this.clock.instant();
			for (FakeSpace space : this.spaces.values()) {
				if (space.appStarted || !"RUNNING".equals(stageOf(space, now))) {
					continue;
				}
				String callback = space.variables.getOrDefault(CALLBACK_VARIABLE, space.secrets.get(CALLBACK_VARIABLE));
				String sandboxToken = space.secrets.get(TOKEN_SECRET);
				if (callback == null || sandboxToken == null) {
					continue;
				}
				space.appStarted = true;
				AppRun run = new AppRun(space.id);
				this.appRuns.add(run);
				int boot = space.boot;
				Duration jobTime = this.appJobTime;
				Map<String, String> predictions = Map.copyOf(this.modelPredictions);
				this.app.execute(() -> play(
						new Incarnation(space, boot, run, stripSlash(callback), sandboxToken, jobTime, predictions)));
			}
		}
	}

	/** One boot of a Space's app, as long as that boot lasts. */
	private record Incarnation(FakeSpace space, int boot, AppRun run, String callback, String token, Duration jobTime,
			Map<String, String> predictions) {
	}

	/**
	 * Whether this boot of the app still runs: not deleted, lost, crashed or rebooted.
	 */
	private boolean alive(Incarnation app) {
		synchronized (this.lock) {
			return this.spaces.get(app.space.id) == app.space && app.space.boot == app.boot
					&& "RUNNING".equals(stageOf(app.space, this.clock.instant()));
		}
	}

	/**
	 * What {@code docker/eval-space/app.py} does against Podium's sandbox API (protocol
	 * v2): ask for the next job (a long poll), download what it needs (a FILE job's CSV
	 * from Podium, a MODEL job's repo from this Hub with the job's own token), say it
	 * started, take the job's time on the clock, hand in predictions or a failure; again,
	 * until Podium answers 410.
	 */
	private void play(Incarnation app) {
		AppRun run = app.run;
		try {
			while (alive(app)) {
				HttpResponse<byte[]> next = sendQuietly(run, "POST", app.callback + "/jobs/next?wait=" + APP_POLL_WAIT,
						app.token, null, null);
				int status = (next != null) ? next.statusCode() : 0;
				if (status == 204) {
					continue;
				}
				if (status == 410) {
					run.finish(AppRun.State.RETIRED, null);
					return;
				}
				if (status == 401 || status == 403 || status == 404) {
					run.finish(AppRun.State.REFUSED, "Podium answered " + status + " to the job request");
					return;
				}
				if (status != 200) {
					// connection errors, 429 and 5xx: retried for as long as they last
					pause(APP_BACKOFF);
					continue;
				}
				serve(app, json.readTree(next.body()));
			}
			run.finish(AppRun.State.STOPPED, null);
		}
		catch (RuntimeException ex) {
			run.finish(AppRun.State.STOPPED, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			run.finish(AppRun.State.STOPPED, "interrupted");
		}
	}

	private void serve(Incarnation app, JsonNode job) throws InterruptedException {
		String base = app.callback + "/jobs/" + job.path("jobId").asString();
		String kind = job.path("kind").asString();
		String model = textOrNull(job, "model");
		AppRun.Job taken = app.run.took(job.path("jobId").asString(), job.path("submissionId").asString(), kind, model,
				textOrNull(job, "hubToken"));
		byte[] predictions;
		if ("FILE".equals(kind)) {
			HttpResponse<byte[]> file = sendQuietly(app.run, "GET", textOrNull(job, "fileUrl"), app.token, null, null);
			if (file == null || file.statusCode() != 200) {
				report(app, taken, base + "/failure", "application/json", failure("PLATFORM",
						"the submitted file could not be fetched: " + ((file != null) ? file.statusCode() : 0)));
				return;
			}
			predictions = file.body();
		}
		else {
			int download = download(app.run, model, taken.hubToken());
			taken.downloaded(download);
			if (download != 200) {
				report(app, taken, base + "/failure", "application/json",
						failure("SUBMISSION", "the model " + model + " could not be downloaded (" + download + ")"));
				return;
			}
			String csv = app.predictions.get(model);
			if (csv == null) {
				report(app, taken, base + "/failure", "application/json",
						failure("SUBMISSION", "predict.py wrote no predictions"));
				return;
			}
			predictions = csv.getBytes(StandardCharsets.UTF_8);
		}
		HttpResponse<byte[]> started = sendWhileAlive(app, "POST", base + "/started", null, null);
		if (started == null || started.statusCode() != 204) {
			taken.ended((started != null) ? "started answered " + started.statusCode() : "lost");
			return;
		}
		Instant until = this.clock.instant().plus(app.jobTime);
		while (this.clock.instant().isBefore(until)) {
			if (!alive(app)) {
				taken.ended("lost");
				return;
			}
			pause(Duration.ofMillis(10));
		}
		report(app, taken, base + "/predictions", "text/csv", predictions);
	}

	private void report(Incarnation app, AppRun.Job job, String url, String contentType, byte[] body)
			throws InterruptedException {
		HttpResponse<byte[]> answer = sendWhileAlive(app, url.endsWith("/predictions") ? "PUT" : "POST", url,
				contentType, body);
		job.ended((answer != null) ? url.substring(url.lastIndexOf('/') + 1) + " " + answer.statusCode() : "lost");
	}

	/**
	 * Sends until Podium answers something else than a transient trouble, or the boot
	 * ends.
	 */
	private HttpResponse<byte[]> sendWhileAlive(Incarnation app, String method, String url, String contentType,
			byte[] body) throws InterruptedException {
		while (alive(app)) {
			HttpResponse<byte[]> answer = sendQuietly(app.run, method, url, app.token, contentType, body);
			int status = (answer != null) ? answer.statusCode() : 0;
			if (status != 0 && status != 408 && status != 425 && status != 429 && status < 500) {
				return answer;
			}
			pause(APP_BACKOFF);
		}
		return null;
	}

	/**
	 * Downloads a model as {@code huggingface_hub} would, from this Hub, with the job's
	 * token (none when it has none).
	 * @return the Hub's status: 200 when the token may read it
	 */
	private int download(AppRun run, String model, String hubToken) throws InterruptedException {
		HttpResponse<byte[]> answer = sendQuietly(run, "GET", url() + "/api/models/" + model + "/auth-check", hubToken,
				null, null);
		return (answer != null) ? answer.statusCode() : 0;
	}

	private static byte[] failure(String category, String message) {
		return json.writeValueAsBytes(new AppFailure(category, message));
	}

	private static String textOrNull(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

	private static void pause(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	/** One call of the app; {@code null} when no answer came. */
	private HttpResponse<byte[]> sendQuietly(AppRun run, String method, String url, String bearer, String contentType,
			byte[] body) throws InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(APP_TIMEOUT)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		try {
			HttpResponse<byte[]> response = this.appClient.send(request.build(),
					HttpResponse.BodyHandlers.ofByteArray());
			run.record(method, url, response.statusCode());
			return response;
		}
		catch (IOException ex) {
			run.record(method, url, 0);
			return null;
		}
	}

	// ------------------------------------------------------------------ plumbing

	private ApiWindow apiWindow(String bearer, Instant now) {
		ApiWindow window = this.apiWindows.computeIfAbsent((bearer != null) ? bearer : "", (key) -> new ApiWindow());
		long windowStart = now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), API_WINDOW_SECONDS);
		if (windowStart != window.start) {
			window.start = windowStart;
			window.used = 0;
		}
		return window;
	}

	/**
	 * The valid token may do everything; models are public reading, for anonymous calls
	 * and for the other tokens the Hub knows (participants' read tokens).
	 */
	private boolean authorized(String path, String bearer) {
		if (this.token.equals(bearer)) {
			return true;
		}
		if (!path.startsWith("/api/models/")) {
			return false;
		}
		return bearer == null || this.models.values()
			.stream()
			.anyMatch((model) -> bearer.equals(model.readToken) || model.granted.contains(bearer));
	}

	private static String bearer(String authorization) {
		return (authorization != null && authorization.startsWith("Bearer ")) ? authorization.substring(7) : null;
	}

	private Answer troubleFor(String path, ApiWindow window, Instant now) {
		for (Iterator<Trouble> it = this.troubles.iterator(); it.hasNext();) {
			Trouble trouble = it.next();
			if (path.startsWith(trouble.pathPrefix) && trouble.remaining.getAndDecrement() > 0) {
				if (trouble.remaining.get() <= 0) {
					it.remove();
				}
				if (trouble.shape == TroubleShape.HTML) {
					return Answer.html(trouble.status);
				}
				if (trouble.shape == TroubleShape.API_BUCKET) {
					long reset = window.resetSeconds(now);
					return Answer
						.error(429,
								"We had to rate limit you, you hit the quota of " + this.apiQuota
										+ " api requests per 5 minutes period.",
								null)
						.header("RateLimit", "\"api\";r=0;t=" + reset)
						.header("Retry-After", String.valueOf(reset));
				}
				Answer answer = Answer.error(trouble.status, troubleMessage(trouble.status), null);
				answer.bare = trouble.shape == TroubleShape.BARE;
				if (trouble.retryAfter != null) {
					answer.header("Retry-After", String.valueOf(seconds(trouble.retryAfter)));
				}
				return answer;
			}
		}
		return null;
	}

	private static String troubleMessage(int status) {
		if (status == 409) {
			// the 409 of a Space that exists, injected where none does
			return "You already created this space repo";
		}
		if (status == 429) {
			return "We had to rate limit you. Please retry later.";
		}
		if (status == 408) {
			return "Request Timeout";
		}
		return "Internal Error - We're working hard to fix this as soon as possible!";
	}

	private Duration slownessFor(String path) {
		synchronized (this.lock) {
			for (Iterator<Slowness> it = this.slownesses.iterator(); it.hasNext();) {
				Slowness slowness = it.next();
				if (path.startsWith(slowness.pathPrefix) && slowness.remaining.getAndDecrement() > 0) {
					if (slowness.remaining.get() <= 0) {
						it.remove();
					}
					return slowness.delay;
				}
			}
			return null;
		}
	}

	private FakeSpace known(String space) {
		FakeSpace known = this.history.get(idOf(space));
		if (known == null) {
			throw new IllegalArgumentException("No Space " + idOf(space) + " was ever created");
		}
		return known;
	}

	private String idOf(String space) {
		return space.contains("/") ? space : this.namespace + "/" + space;
	}

	private static List<String> segments(String rawPath) {
		List<String> segments = new ArrayList<>();
		for (String segment : rawPath.substring(1).split("/")) {
			segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
		}
		return segments;
	}

	private static Map<String, List<String>> parameters(String query) {
		Map<String, List<String>> parameters = new HashMap<>();
		if (query == null) {
			return parameters;
		}
		for (String part : query.split("&")) {
			int equals = part.indexOf('=');
			String name = URLDecoder.decode((equals < 0) ? part : part.substring(0, equals), StandardCharsets.UTF_8);
			String value = (equals < 0) ? "" : URLDecoder.decode(part.substring(equals + 1), StandardCharsets.UTF_8);
			parameters.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		}
		return parameters;
	}

	private static String first(Map<String, List<String>> parameters, String name) {
		List<String> values = parameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	private static JsonNode readJson(byte[] body) {
		try {
			return json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new BadRequest("The body is not JSON");
		}
	}

	private static String required(JsonNode node, String field) {
		String value = text(node, field, null);
		if (value == null || value.isBlank()) {
			throw new BadRequest("\"" + field + "\" is required");
		}
		return value;
	}

	private static String text(JsonNode node, String field, String fallback) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? fallback : value.asString();
	}

	private static byte[] content(JsonNode file) {
		String content = text(file, "content", "");
		return "base64".equals(text(file, "encoding", null)) ? Base64.getDecoder().decode(content)
				: content.getBytes(StandardCharsets.UTF_8);
	}

	private static long seconds(Duration duration) {
		return (duration.toMillis() + 999) / 1000;
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private static ThreadFactory daemon(String name) {
		AtomicInteger threads = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/** Spaces that disappeared without being deleted ({@link #loseSpace}). */
	public List<String> lostSpaces() {
		synchronized (this.lock) {
			return List.copyOf(this.lost);
		}
	}

	/** Waits for the app runs started so far to finish; for tests that need them done. */
	public boolean awaitApps(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (appRuns().stream().allMatch(AppRun::finished)) {
				return true;
			}
			TimeUnit.MILLISECONDS.sleep(20);
		}
		return false;
	}

	private static final class FakeSpace {

		private final String id;

		private final String objectId = hex(12);

		private final String sdk;

		private final String hardware;

		private final boolean isPrivate;

		private final Instant createdAt;

		private final Map<String, String> secrets = new LinkedHashMap<>();

		private final Map<String, String> variables = new LinkedHashMap<>();

		private final Map<String, Instant> variableUpdates = new HashMap<>();

		private final Map<String, byte[]> files = new LinkedHashMap<>();

		private final List<String> commits = new ArrayList<>();

		private Map<String, String> secretsAtCreation = Map.of();

		private int preuploads;

		private Instant buildStartedAt;

		private boolean paused;

		/** Whether the app started since the last boot. */
		private boolean appStarted;

		/** Which boot this is: a restart ends the app of the one before. */
		private int boot;

		/** Whether it ran when it was last restarted: its stages then read RUNNING_*. */
		private boolean ranBeforeRestart;

		private FakeSpace(String id, String sdk, String hardware, boolean isPrivate, Instant createdAt) {
			this.id = id;
			this.sdk = sdk;
			this.hardware = hardware;
			this.isPrivate = isPrivate;
			this.createdAt = createdAt;
			this.buildStartedAt = createdAt;
		}

		private String name() {
			return this.id.substring(this.id.indexOf('/') + 1);
		}

		/** Commits, secrets and restarts rebuild the Space, and its app runs again. */
		private void restart(Instant now, boolean wasRunning) {
			this.buildStartedAt = now;
			this.appStarted = false;
			this.boot++;
			this.ranBeforeRestart = wasRunning;
		}

	}

	/**
	 * @param gated {@code null}, {@code auto} or {@code manual}
	 * @param granted the tokens that may download a gated model
	 */
	private record FakeModel(String id, String sha, boolean isPrivate, Set<String> revisions, String readToken,
			String gated, Set<String> granted) {

		FakeModel renamed(String newId) {
			return new FakeModel(newId, this.sha, this.isPrivate, this.revisions, this.readToken, this.gated,
					this.granted);
		}

		FakeModel gated(String mode, Set<String> tokens) {
			return new FakeModel(this.id, this.sha, this.isPrivate, this.revisions, this.readToken, mode, tokens);
		}

	}

	private static final class ApiWindow {

		private long start = Long.MIN_VALUE;

		private int used;

		long resetSeconds(Instant now) {
			Instant end = Instant.ofEpochSecond(this.start + API_WINDOW_SECONDS);
			return Math.max(0, seconds(Duration.between(now, end)));
		}

	}

	private enum TroubleShape {

		/** The Hub's JSON error, with its headers. */
		JSON,

		/** No headers at all. */
		BARE,

		/** A gateway's HTML page. */
		HTML,

		/** The api bucket, empty. */
		API_BUCKET

	}

	/** What the app reports when it cannot evaluate a submission. */
	private record AppFailure(String category, String message) {
	}

	private record Trouble(String pathPrefix, AtomicInteger remaining, int status, Duration retryAfter,
			TroubleShape shape) {
	}

	private record Slowness(String pathPrefix, AtomicInteger remaining, Duration delay) {
	}

	/** A request held unanswered until the test releases it. */
	public static final class Hang {

		private final String method;

		private final String pathPrefix;

		private final Duration atMost;

		private final CountDownLatch entered = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		private volatile boolean answered;

		private Hang(String method, String pathPrefix, Duration atMost) {
			this.method = method;
			this.pathPrefix = pathPrefix;
			this.atMost = atMost;
		}

		/**
		 * @return whether to go on and answer (not when interrupted, as on close)
		 */
		private boolean hold() {
			this.entered.countDown();
			try {
				this.released.await(this.atMost.toMillis(), TimeUnit.MILLISECONDS);
				this.answered = true;
				return true;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

		/** Whether the request came and is held now. */
		public boolean isHanging() {
			return this.entered.getCount() == 0 && !this.answered;
		}

		public boolean awaitEntered(Duration timeout) throws InterruptedException {
			return this.entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		public void release() {
			this.released.countDown();
		}

	}

	private static final class Answer {

		private final int status;

		private final byte[] body;

		private final Map<String, String> headers = new LinkedHashMap<>();

		/** No headers beyond the content type. */
		private boolean bare;

		/** A gateway's page: not the Hub's API, so none of its headers. */
		private boolean html;

		private Answer(int status, byte[] body, String contentType) {
			this.status = status;
			this.body = body;
			this.headers.put("Content-Type", contentType);
		}

		static Answer json(int status, Object body) {
			return new Answer(status, json.writeValueAsBytes(body), "application/json; charset=utf-8");
		}

		static Answer html(int status) {
			String reason = switch (status) {
				case 502 -> "Bad Gateway";
				case 503 -> "Service Temporarily Unavailable";
				case 504 -> "Gateway Time-out";
				default -> "Error";
			};
			Answer answer = new Answer(status,
					GATEWAY_PAGE.formatted(status, reason, reason).getBytes(StandardCharsets.UTF_8),
					"text/html; charset=utf-8");
			answer.html = true;
			return answer;
		}

		static Answer error(int status, String message, String errorCode) {
			Answer answer = json(status, Map.of("error", message));
			if (errorCode != null) {
				answer.header("X-Error-Code", errorCode);
				answer.header("X-Error-Message", message);
			}
			return answer;
		}

		Answer header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

	}

	private static final class BadRequest extends RuntimeException {

		private BadRequest(String message) {
			super(message);
		}

	}

}
