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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Beyond answering, it plays the evaluation app of a Space that reaches {@code RUNNING}
 * with the secrets {@code PODIUM_CALLBACK_URL} and {@code PODIUM_SANDBOX_TOKEN}: it
 * fetches the job from Podium and hands in predictions (or failures), as the real app
 * would. Trouble is injected with {@link #failNext}, {@link #failNextBare},
 * {@link #failNextHtml}, {@link #conflictNextCreates} and {@link #delayNext}.
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

	private static final String CALLBACK_SECRET = "PODIUM_CALLBACK_URL";

	private static final String TOKEN_SECRET = "PODIUM_SANDBOX_TOKEN";

	private static final int MAX_APP_SUBMISSIONS = 100;

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
		this.handlers = Executors.newFixedThreadPool(8, daemon("fake-hub"));
		// Bounded: two Spaces play their app at a time, each call with a timeout.
		this.app = Executors.newFixedThreadPool(2, daemon("fake-hub-app"));
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

	/** Forgets injected failures and delays that are still pending. */
	public FakeHub clearTrouble() {
		synchronized (this.lock) {
			this.troubles.clear();
			this.slownesses.clear();
		}
		return this;
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
			List<FakeSpace> booted = new ArrayList<>();
			synchronized (this.lock) {
				try {
					answer = answer(method, path, query, authorization, contentType, body, booted);
				}
				catch (BadRequest ex) {
					answer = Answer.error(400, ex.getMessage(), null);
				}
				if (!answer.bare) {
					answer.headers.putIfAbsent("X-Request-Id", "Root=1-fake-" + this.requestIds.incrementAndGet());
				}
				this.requests
					.add(new RecordedRequest(method, path, query, authorization, contentType, body, answer.status));
				for (FakeSpace space : booted) {
					startApp(space);
				}
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
			byte[] body, List<FakeSpace> booted) {
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
					? route(method, segments(path), path, query, bearer, contentType, body, now, booted)
					: Answer.error(401, "Invalid credentials in Authorization header", null);
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
			String contentType, byte[] body, Instant now, List<FakeSpace> booted) {
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
				return listSpaces(query, now, booted);
			}
			if (path.size() >= 4) {
				FakeSpace space = this.spaces.get(path.get(2) + "/" + path.get(3));
				if (space == null) {
					return Answer.error(404, "Repository not found", "RepoNotFound");
				}
				return spaceAction(method, path.subList(4, path.size()), space, contentType, body, now, booted);
			}
		}
		if (resource.equals("models") && method.equals("GET") && path.size() >= 3) {
			return model(path.subList(2, path.size()), rawPath, bearer);
		}
		return Answer.error(404, "Sorry, we can't find the page you are looking for.", null);
	}

	private Answer spaceAction(String method, List<String> action, FakeSpace space, String contentType, byte[] body,
			Instant now, List<FakeSpace> booted) {
		String what = action.isEmpty() ? "" : action.get(0);
		if (action.isEmpty() && method.equals("GET")) {
			return Answer.json(200, spaceJson(space, now, List.of(), booted));
		}
		if (what.equals("runtime") && method.equals("GET")) {
			return Answer.json(200, runtime(space, now, booted));
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
			return Answer.json(200, runtime(space, now, booted));
		}
		if (what.equals("restart") && method.equals("POST")) {
			space.paused = false;
			space.restart(now, stageOf(space, now).startsWith("RUNNING"));
			return Answer.json(200, runtime(space, now, booted));
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

	private Answer listSpaces(String query, Instant now, List<FakeSpace> booted) {
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
			page.add(spaceJson(space, now, expand, booted));
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
	private Map<String, Object> spaceJson(FakeSpace space, Instant now, List<String> expand, List<FakeSpace> booted) {
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
				body.put("runtime", runtime(space, now, booted));
			}
			else if (all.containsKey(field)) {
				body.put(field, all.get(field));
			}
		}
		return body;
	}

	/** The runtime JSON; a first sight of RUNNING since the last boot starts the app. */
	private Map<String, Object> runtime(FakeSpace space, Instant now, List<FakeSpace> booted) {
		String stage = stageOf(space, now);
		if (stage.equals("RUNNING") && !space.appStarted) {
			space.appStarted = true;
			if (this.playApp && space.secrets.containsKey(CALLBACK_SECRET) && space.secrets.containsKey(TOKEN_SECRET)) {
				booted.add(space);
			}
		}
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

	private void startApp(FakeSpace space) {
		AppRun run = new AppRun(space.id);
		this.appRuns.add(run);
		String callback = stripSlash(space.secrets.get(CALLBACK_SECRET));
		String sandboxToken = space.secrets.get(TOKEN_SECRET);
		Map<String, String> predictions = Map.copyOf(this.modelPredictions);
		this.app.submit(() -> play(run, callback, sandboxToken, predictions));
	}

	/** What the evaluation app in a Space does against Podium's sandbox API. */
	private void play(AppRun run, String callback, String sandboxToken, Map<String, String> predictions) {
		try {
			HttpResponse<byte[]> job = send(run, "GET", callback + "/job", sandboxToken, null, null);
			if (job.statusCode() != 200) {
				run.finish("the job answered " + job.statusCode());
				return;
			}
			JsonNode submissions = json.readTree(job.body()).path("submissions");
			int played = 0;
			for (JsonNode submission : submissions) {
				if (played++ == MAX_APP_SUBMISSIONS || Thread.currentThread().isInterrupted()) {
					break;
				}
				String id = submission.path("id").asString();
				String base = callback + "/submissions/" + id;
				if ("FILE".equals(submission.path("kind").asString())) {
					String fileUrl = resolve(callback, submission.path("fileUrl").asString());
					HttpResponse<byte[]> file = send(run, "GET", fileUrl, sandboxToken, null, null);
					if (file.statusCode() == 200) {
						send(run, "PUT", base + "/predictions", sandboxToken, "text/csv", file.body());
					}
					else {
						fail(run, base, sandboxToken, "the fake hub could not download the file: " + file.statusCode());
					}
				}
				else {
					String csv = predictions.get(submission.path("model").asString());
					if (csv != null) {
						send(run, "PUT", base + "/predictions", sandboxToken, "text/csv",
								csv.getBytes(StandardCharsets.UTF_8));
					}
					else {
						fail(run, base, sandboxToken, "fake hub cannot run models");
					}
				}
			}
			run.finish(null);
		}
		catch (IOException | RuntimeException ex) {
			run.finish(ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			run.finish("interrupted");
		}
	}

	private void fail(AppRun run, String base, String sandboxToken, String message)
			throws IOException, InterruptedException {
		byte[] body = json.writeValueAsBytes(new AppFailure("PLATFORM", message));
		send(run, "POST", base + "/failure", sandboxToken, "application/json", body);
	}

	private HttpResponse<byte[]> send(AppRun run, String method, String url, String bearer, String contentType,
			byte[] body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(APP_TIMEOUT)
			.header("Authorization", "Bearer " + bearer)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
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
			throw ex;
		}
	}

	/** A file URL is absolute, host-relative, or relative to the callback URL. */
	private static String resolve(String callback, String fileUrl) {
		if (fileUrl.startsWith("http://") || fileUrl.startsWith("https://")) {
			return fileUrl;
		}
		if (fileUrl.startsWith("/")) {
			return URI.create(callback).resolve(fileUrl).toString();
		}
		return callback + "/" + fileUrl;
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
