package dev.podium.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.podium.PodiumProcess;
import dev.podium.TestSupport;
import dev.podium.budget.CreationBudget;
import dev.podium.submission.SubmissionQueue;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Podium with a long queue, against raw PostgreSQL in the same run: starts Podium
 * in-process on a random port against the machine's PostgreSQL (127.0.0.1:5432, user
 * {@code postgres}, a fresh database {@code podium_bench}), with the budget at 0 so that
 * everything waits, and loads it from 8 concurrent HTTP clients on loopback while pgbench
 * measures a single-row durable INSERT at the same concurrency on the same server. The
 * backlog is seeded with SQL that writes the rows the intake writes. Prints every figure
 * of issue 14 with its target or reference and the ratio; asserts nothing about them.
 * <p>
 * Run with {@code ./mvnw -o -B test -Dtest=BacklogBenchmark -Dpodium.bench=backlog};
 * {@code -Dpodium.bench.steady=PT1H} makes the steady phase an hour (default 3 minutes),
 * {@code -Dpodium.bench.requests} sets the requests per measured phase (default 2000),
 * {@code -Dpodium.bench.backlogs=0,10000} the backlogs the intake is measured at and
 * {@code -Dpodium.bench.phases=reads,dashboards} runs only some of the phases
 * ({@code intake}, {@code reads}, {@code boards}, {@code dashboards}, {@code steady}: a
 * quick look while tuning one; without the intake, the backlog is seeded to the last of
 * the backlogs). Skips, saying why, without a PostgreSQL server there or without
 * {@code pgbench}.
 */
@EnabledIfSystemProperty(named = "podium.bench", matches = "backlog|all")
class BacklogBenchmark {

	static final String HOST = "127.0.0.1";

	static final int PORT = 5432;

	static final String DATABASE = "podium_bench";

	static final int CLIENTS = 8;

	static final int PARTICIPANTS = 1000;

	static final int SCORED = Integer.getInteger("podium.bench.scored", 100_000);

	static final int REQUESTS = Integer.getInteger("podium.bench.requests", 2000);

	static final Duration PHASE_LIMIT = Duration.ofSeconds(Integer.getInteger("podium.bench.phase-seconds", 40));

	/** Calls of each phase sent before it is measured, within {@link #WARMUP_LIMIT}. */
	static final int WARMUP = Integer.getInteger("podium.bench.warmup", 500);

	static final Duration WARMUP_LIMIT = Duration.ofSeconds(Integer.getInteger("podium.bench.warmup-seconds", 15));

	/** How long every kind of call is sent before anything is measured. */
	static final Duration WARM_UP = Duration.parse(System.getProperty("podium.bench.warm-up", "PT60S"));

	static final Duration STEADY = Duration.parse(System.getProperty("podium.bench.steady", "PT3M"));

	static final int[] BACKLOGS = Arrays
		.stream(System.getProperty("podium.bench.backlogs", "0,10000,50000,100000").split(","))
		.mapToInt(Integer::parseInt)
		.toArray();

	static final Set<String> PHASES = Set
		.of(System.getProperty("podium.bench.phases", "intake,reads,boards,dashboards,steady").split(","));

	static final String COMPETITION = "bench";

	/** Waits: a SANDBOX task, with no budget to create one. */
	static final String QUEUE_TASK = "queue";

	/** Scored inside Podium as submissions come: its leaderboard moves during the run. */
	static final String BOARD_TASK = "board";

	static final int ROWS = 100;

	static final String SOLUTION;

	static final String PREDICTIONS;

	static {
		StringBuilder solution = new StringBuilder("id,label,split\n");
		StringBuilder predictions = new StringBuilder("id,label\n");
		for (int i = 0; i < ROWS; i++) {
			solution.append(i)
				.append(',')
				.append(i % 2)
				.append(',')
				.append((i % 2 == 0) ? "public" : "private")
				.append('\n');
			predictions.append(i).append(',').append((i % 3 == 0) ? 1 : i % 2).append('\n');
		}
		SOLUTION = solution.toString();
		PREDICTIONS = predictions.toString();
	}

	private final List<String> table = new ArrayList<>();

	private ConfigurableApplicationContext podium;

	private String base;

	private String adminToken = TestSupport.ADMIN_TOKEN;

	private final List<String> tokens = new ArrayList<>();

	private final List<UUID> participantIds = new ArrayList<>();

	private UUID competitionId;

	private UUID queueTaskId;

	private UUID boardTaskId;

	@Test
	void printsTheQueueAtBacklogScale() throws Exception {
		Assumptions.assumeTrue(reachable(),
				"No PostgreSQL at " + HOST + ":" + PORT + ": the backlog benchmark needs the machine's server");
		Assumptions.assumeTrue(onPath("pgbench"),
				"pgbench is not installed (apt-get install -y postgresql-client): it is the reference");
		recreateDatabase();
		Path dataDir = Files.createTempDirectory("podium-bench");
		Map<String, String> environment = new HashMap<>();
		environment.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE);
		environment.put("SPRING_DATASOURCE_USERNAME", "postgres");
		environment.put("SPRING_DATASOURCE_PASSWORD", "");
		environment.put("SERVER_PORT", "0");
		environment.put("SERVER_ADDRESS", HOST);
		environment.put("SPRING_MAIN_BANNER_MODE", "off");
		environment.put("PODIUM_DATA_DIR", dataDir.toString());
		environment.put("PODIUM_DEMO_ENABLED", "false");
		environment.put("PODIUM_SECURITY_ADMIN_TOKEN", this.adminToken);
		environment.put("PODIUM_SECURITY_ENCRYPTION_KEY", TestSupport.ENCRYPTION_KEY);
		environment.put("PODIUM_BUDGET_LIMIT", "0");
		// the clients are few and fast: the per-token buckets are not what is measured
		environment.put("PODIUM_RATE_LIMIT_ENABLED", "false");
		// Podium logs every submission's change, as deployed: to a file, not the console
		environment.put("LOGGING_FILE_NAME", "target/bench/podium.log");
		environment.put("LOGGING_THRESHOLD_CONSOLE", "WARN");
		this.podium = PodiumProcess.start(environment);
		try {
			int port = ((WebServerApplicationContext) this.podium).getWebServer().getPort();
			this.base = "http://" + HOST + ":" + port;
			run();
		}
		finally {
			this.podium.close();
			System.out.println();
			System.out.println("Backlog benchmark (issue 14), " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", "
					+ Runtime.getRuntime().availableProcessors() + " cores, " + CLIENTS + " clients, " + ROWS
					+ "-row predictions, budget 0");
			System.out.println("| what | Podium | target or reference | ratio |");
			System.out.println("|---|---|---|---|");
			this.table.forEach(System.out::println);
		}
	}

	private void run() throws Exception {
		setUp();
		roundCost("backlog 0");

		Pgbench reference = pgbench();
		row("pgbench single-row durable INSERT, " + CLIENTS + " clients",
				"%.0f per second, mean %.2f ms".formatted(reference.tps(), reference.latencyMs()), "reference", "");
		double p99AtZero = 0;
		warmUp();
		for (int backlog : PHASES.contains("intake") ? BACKLOGS : new int[0]) {
			seedWaiting(backlog - waiting());
			long before = waiting();
			Result intake = measure(REQUESTS, PHASE_LIMIT, (client, i) -> postFile(client, QUEUE_TASK, i), 201);
			if (backlog == 0) {
				p99AtZero = intake.p99();
			}
			row("POST .../submissions at %,d waiting".formatted(before), intake.summary(),
					"15%% of pgbench: %.0f/s; p99 within 2x of backlog 0 (%.1f ms)".formatted(reference.tps() * 0.15,
							p99AtZero),
					"%.1f%% of pgbench; p99 %.2fx".formatted(100 * intake.rate() / reference.tps(),
							intake.p99() / p99AtZero));
		}
		seedWaiting(BACKLOGS[BACKLOGS.length - 1] - waiting());
		long waiting = waiting();
		List<String[]> own = ownWaiting(2000);
		if (PHASES.contains("reads")) {
			reads(waiting, own);
		}
		if (PHASES.contains("boards") || PHASES.contains("dashboards") || PHASES.contains("steady")) {
			seedScored(SCORED);
		}
		if (PHASES.contains("boards")) {
			boards();
		}
		if (PHASES.contains("dashboards")) {
			dashboards();
		}
		if (PHASES.contains("steady")) {
			steady(own);
		}
	}

	private void reads(long waiting, List<String[]> own) throws Exception {
		Result show = load(REQUESTS, PHASE_LIMIT, (client, i) -> {
			String[] pick = own.get(i % own.size());
			return client.get("/api/submissions/" + pick[0], pick[1]);
		}, 200);
		row("GET /api/submissions/{id} at %,d waiting".formatted(waiting), show.summary(), "p99 < 20 ms",
				ratio(show.p99(), 20));
		Result mine = load(REQUESTS, PHASE_LIMIT,
				(client, i) -> client.get("/api/me/submissions", this.tokens.get(i % PARTICIPANTS)), 200);
		row("GET /api/me/submissions at %,d waiting".formatted(waiting), mine.summary(), "p99 < 20 ms",
				ratio(mine.p99(), 20));
		roundCost("backlog %,d".formatted(waiting));
	}

	private void boards() throws Exception {
		AtomicInteger scoredDuring = new AtomicInteger();
		Result publicBoard = whileScoring(scoredDuring,
				() -> load(REQUESTS / 4, PHASE_LIMIT,
						(client, i) -> client.get(
								"/api/competitions/" + COMPETITION + "/tasks/" + BOARD_TASK + "/leaderboard",
								this.tokens.get(i % PARTICIPANTS)),
						200));
		row("public leaderboard, %,d scored of %,d participants (%d scored during)".formatted(SCORED, PARTICIPANTS,
				scoredDuring.get()), publicBoard.summary(), "p99 < 50 ms", ratio(publicBoard.p99(), 50));
		Result privateBoard = whileScoring(scoredDuring,
				() -> load(REQUESTS / 4, PHASE_LIMIT, (client, i) -> client.get(
						"/api/competitions/" + COMPETITION + "/tasks/" + BOARD_TASK + "/leaderboard?view=private",
						this.adminToken), 200));
		row("private leaderboard, same (%d scored during)".formatted(scoredDuring.get()), privateBoard.summary(),
				"p99 < 50 ms", ratio(privateBoard.p99(), 50));
	}

	private void dashboards() throws Exception {
		for (String page : List.of("/queue", "/competitions/" + COMPETITION,
				"/competitions/" + COMPETITION + "/tasks/" + BOARD_TASK + "/leaderboard", "/budget")) {
			Result result = load(REQUESTS / 8, PHASE_LIMIT, (client, i) -> client.page(page), 200);
			row("dashboard " + page, result.summary(), "p99 < 100 ms", ratio(result.p99(), 100));
		}
	}

	private void steady(List<String[]> own) throws Exception {
		long heapStart = heapAfterFullGc();
		Result steady = load(Integer.MAX_VALUE, STEADY, (client, i) -> {
			String token = this.tokens.get(i % PARTICIPANTS);
			return switch (i % 5) {
				case 0 -> postFile(client, QUEUE_TASK, i);
				case 1 -> client.get("/api/me/submissions", token);
				case 2 ->
					client.get("/api/competitions/" + COMPETITION + "/tasks/" + BOARD_TASK + "/leaderboard", token);
				case 3 -> client.page("/queue");
				default -> {
					String[] pick = own.get(i % own.size());
					yield client.get("/api/submissions/" + pick[0], pick[1]);
				}
			};
		}, 0);
		long heapEnd = heapAfterFullGc();
		long max = Runtime.getRuntime().maxMemory();
		row("heap after full GC, start / end of %s steady mixed load (%,d requests, %,d waiting at the end)".formatted(
				STEADY, steady.count(), waiting()), "%,d MiB / %,d MiB".formatted(heapStart >> 20, heapEnd >> 20),
				"default heap (max %,d MiB), no growth".formatted(max >> 20),
				"end/start %.2f".formatted((double) heapEnd / heapStart));
	}

	/**
	 * A service runs for days: before anything is measured, {@link #WARM_UP} of every
	 * kind of call the phases make, so that the figures are a compiled JVM's, not those
	 * of its first minute (its compiler threads used half as much CPU as the request
	 * threads then). The warm-up's submissions are cancelled: the intake still starts
	 * from none.
	 */
	private void warmUp() throws Exception {
		List<String[]> mine = java.util.Collections.synchronizedList(new ArrayList<>());
		measure(Integer.MAX_VALUE, WARM_UP, (client, i) -> {
			String token = this.tokens.get(i % PARTICIPANTS);
			return switch (i % 6) {
				case 0, 1 -> {
					HttpResponse<String> posted = postFile(client, QUEUE_TASK, i);
					posted.headers()
						.firstValue("Location")
						.ifPresent((location) -> mine
							.add(new String[] { location.substring(location.lastIndexOf('/') + 1), poster(i) }));
					yield posted;
				}
				case 2 -> client.get("/api/me/submissions", token);
				case 3 ->
					client.get("/api/competitions/" + COMPETITION + "/tasks/" + BOARD_TASK + "/leaderboard", token);
				case 4 -> client.page((i % 12 == 4) ? "/queue" : "/budget");
				default -> {
					if (mine.isEmpty()) {
						yield client.get("/api/me/submissions", token);
					}
					String[] pick = mine.get(i % mine.size());
					yield client.get("/api/submissions/" + pick[0], pick[1]);
				}
			};
		}, 0);
		execute("update submissions set status = 'CANCELLED', finished_at = now() where status = 'QUEUED'");
	}

	// --- the figures

	private void row(String what, String podium, String target, String ratio) {
		String line = "| %s | %s | %s | %s |".formatted(what, podium, target, ratio);
		this.table.add(line);
		System.out.println(line);
	}

	private static String ratio(double measured, double target) {
		return "%.2fx of target".formatted(measured / target);
	}

	/**
	 * What a scheduling round asks the database about the queue, call by call: the
	 * planner's heads, the budget's status (which the planner and the forecasts read), an
	 * inline claim (rolled back), the metrics' sample of the order.
	 */
	private void roundCost(String label) {
		SubmissionQueue queue = this.podium.getBean(SubmissionQueue.class);
		CreationBudget budget = this.podium.getBean(CreationBudget.class);
		TransactionTemplate rolledBack = new TransactionTemplate(this.podium.getBean(PlatformTransactionManager.class));
		Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
		calls.put("heads(64)", () -> queue.heads(64));
		calls.put("budget as the planner reads it", budget::allowance);
		calls.put("inline claim", () -> rolledBack.executeWithoutResult((status) -> {
			queue.claimInline(Instant.now().plusSeconds(60));
			status.setRollbackOnly();
		}));
		calls.put("waitingInOrder(200)", () -> queue.waitingInOrder(200));
		StringBuilder each = new StringBuilder();
		double total = 0;
		for (Map.Entry<String, Runnable> call : calls.entrySet()) {
			long[] times = new long[30];
			for (int i = 0; i < times.length; i++) {
				long start = System.nanoTime();
				call.getValue().run();
				times[i] = System.nanoTime() - start;
			}
			Arrays.sort(times);
			double median = times[times.length / 2] / 1e6;
			total += median;
			each.append(call.getKey()).append(' ').append("%.2f".formatted(median)).append(" ms; ");
		}
		row("scheduling round's queue reads at " + label + " (median of 30)", "%.2f ms: %s".formatted(total, each),
				"independent of the backlog", "");
		long start = System.nanoTime();
		queue.refreshSnapshot(Duration.ZERO);
		row("the queue's recount for positions at " + label + " (at most once per 5 s, not per request)",
				"%.2f ms".formatted((System.nanoTime() - start) / 1e6), "", "");
	}

	// --- load

	/** One client: its own connection pool and cookies, as a separate user agent. */
	final class Client {

		final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		boolean signedIn;

		HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
			return this.http.send(HttpRequest.newBuilder(URI.create(BacklogBenchmark.this.base + path))
				.header("Authorization", "Bearer " + token)
				.timeout(Duration.ofSeconds(30))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> post(String path, String token, String contentType, String body)
				throws IOException, InterruptedException {
			return this.http.send(HttpRequest.newBuilder(URI.create(BacklogBenchmark.this.base + path))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", contentType)
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		/** A dashboard page, signed in once as the operator (a session cookie). */
		HttpResponse<String> page(String path) throws IOException, InterruptedException {
			if (!this.signedIn) {
				HttpResponse<String> form = this.http.send(
						HttpRequest.newBuilder(URI.create(BacklogBenchmark.this.base + "/login")).GET().build(),
						HttpResponse.BodyHandlers.ofString());
				Matcher csrf = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(form.body());
				if (!csrf.find()) {
					throw new IllegalStateException("no CSRF token on the sign-in page");
				}
				HttpResponse<String> signIn = this.http.send(
						HttpRequest.newBuilder(URI.create(BacklogBenchmark.this.base + "/login"))
							.header("Content-Type", "application/x-www-form-urlencoded")
							.POST(HttpRequest.BodyPublishers.ofString("token="
									+ URLEncoder.encode(BacklogBenchmark.this.adminToken, StandardCharsets.UTF_8)
									+ "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				if (signIn.statusCode() != 302
						|| signIn.headers().firstValue("Location").orElse("").contains("error")) {
					throw new IllegalStateException("sign-in failed: " + signIn.statusCode());
				}
				this.signedIn = true;
			}
			return this.http.send(HttpRequest.newBuilder(URI.create(BacklogBenchmark.this.base + path))
				.timeout(Duration.ofSeconds(30))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

	@FunctionalInterface
	interface Call {

		HttpResponse<String> send(Client client, int index) throws Exception;

	}

	private final List<Client> clients = new ArrayList<>();

	/** Every file sent differs, so that the duplicate check runs as it does for real. */
	private final AtomicInteger sent = new AtomicInteger();

	private HttpResponse<String> postFile(Client client, String task, int index)
			throws IOException, InterruptedException {
		String boundary = "----podium-bench-" + index;
		String body = "--" + boundary + "\r\n"
				+ "Content-Disposition: form-data; name=\"file\"; filename=\"predictions.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\n" + predictions(this.sent.incrementAndGet()) + "\r\n--" + boundary
				+ "--\r\n";
		return client.post("/api/competitions/" + COMPETITION + "/tasks/" + task + "/submissions", poster(index),
				"multipart/form-data; boundary=" + boundary, body);
	}

	/** The participant who sends the index-th file: spread over all of them. */
	private String poster(int index) {
		return this.tokens.get(Math.floorMod(index * 7919, PARTICIPANTS));
	}

	/**
	 * The n-th of 2^24 different files: the first rows' labels flipped as n's bits say.
	 */
	static String predictions(int n) {
		StringBuilder predictions = new StringBuilder("id,label\n");
		for (int i = 0; i < ROWS; i++) {
			int label = (i % 3 == 0) ? 1 : i % 2;
			if (i < 24 && ((n >>> i) & 1) == 1) {
				label = 1 - label;
			}
			predictions.append(i).append(',').append(label).append('\n');
		}
		return predictions.toString();
	}

	record Result(long[] nanos, Duration took, int errors) {

		int count() {
			return this.nanos.length;
		}

		double rate() {
			return this.nanos.length / (this.took.toNanos() / 1e9);
		}

		double quantile(double q) {
			if (this.nanos.length == 0) {
				return Double.NaN;
			}
			return this.nanos[(int) Math.min(this.nanos.length - 1, Math.ceil(q * this.nanos.length) - 1)] / 1e6;
		}

		double p99() {
			return quantile(0.99);
		}

		String summary() {
			return "%,d in %.1f s: %.0f per second, p50 %.1f ms, p99 %.1f ms%s".formatted(count(),
					this.took.toMillis() / 1000.0, rate(), quantile(0.5), p99(),
					(this.errors > 0) ? ", " + this.errors + " errors" : "");
		}

	}

	/**
	 * {@code requests} calls from {@value #CLIENTS} clients at once, as fast as answers
	 * come, stopping at the time limit.
	 * @param expected the status every answer should have ({@code 0}: any below 400)
	 */
	private Result load(int requests, Duration limit, Call call, int expected) throws Exception {
		// the JIT compiles what the phase calls first: a warm-up the figures leave out
		measure(WARMUP, WARMUP_LIMIT, call, expected);
		return measure(requests, limit, call, expected);
	}

	private Result measure(int requests, Duration limit, Call call, int expected) throws Exception {
		while (this.clients.size() < CLIENTS) {
			this.clients.add(new Client());
		}
		ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		AtomicReference<String> firstError = new AtomicReference<>();
		long deadline = System.nanoTime() + limit.toNanos();
		long started = System.nanoTime();
		try {
			List<Future<long[]>> parts = new ArrayList<>();
			for (Client client : this.clients) {
				parts.add(pool.submit(() -> {
					long[] times = new long[1024];
					int n = 0;
					int i;
					while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < requests) {
						long start = System.nanoTime();
						HttpResponse<String> response = call.send(client, i);
						long took = System.nanoTime() - start;
						boolean ok = (expected == 0) ? response.statusCode() < 400 : response.statusCode() == expected;
						if (!ok) {
							errors.incrementAndGet();
							firstError.compareAndSet(null, response.statusCode() + " " + response.uri() + ": "
									+ response.body().substring(0, Math.min(300, response.body().length())));
							continue;
						}
						if (n == times.length) {
							times = Arrays.copyOf(times, n * 2);
						}
						times[n++] = took;
					}
					return Arrays.copyOf(times, n);
				}));
			}
			List<long[]> all = new ArrayList<>();
			for (Future<long[]> part : parts) {
				all.add(part.get());
			}
			long[] nanos = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
			if (firstError.get() != null) {
				System.out.println("first error: " + firstError.get());
			}
			return new Result(nanos, Duration.ofNanos(System.nanoTime() - started), errors.get());
		}
		finally {
			pool.shutdownNow();
			pool.awaitTermination(30, TimeUnit.SECONDS);
		}
	}

	/**
	 * Runs the load while submissions keep arriving at the INLINE task (5 a second),
	 * which Podium scores as they come; counts those scored meanwhile.
	 */
	private Result whileScoring(AtomicInteger scored, Callable<Result> measure) throws Exception {
		long before = count(
				"select count(*) from submissions where task_id = '" + this.boardTaskId + "' and status = 'SCORED'");
		AtomicBoolean stop = new AtomicBoolean();
		Client client = new Client();
		Thread feeder = new Thread(() -> {
			int i = 0;
			while (!stop.get()) {
				try {
					postFile(client, BOARD_TASK, i++);
					Thread.sleep(200);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (IOException ex) {
					// the measured load goes on
				}
			}
		});
		feeder.start();
		Result result;
		try {
			result = measure.call();
		}
		finally {
			stop.set(true);
			feeder.join(10_000);
		}
		long after = count(
				"select count(*) from submissions where task_id = '" + this.boardTaskId + "' and status = 'SCORED'");
		scored.set((int) (after - before));
		return result;
	}

	// --- Podium's setup, through its API

	private void setUp() throws Exception {
		Client admin = new Client();
		Instant now = Instant.now();
		String task = """
				{"slug":"%s","title":"%s","submissionKind":"FILE","evaluation":"%s","metric":"accuracy_score",
				 "dailySubmissionLimit":1000,"selectionLimit":2,"idColumn":"id","maxFileBytes":65536}
				""";
		String competition = """
				{"slug":"%s","title":"Backlog benchmark","startsAt":"%s","endsAt":"%s","timezone":"UTC","tasks":[%s,%s]}
				""".formatted(COMPETITION, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(30)),
				task.formatted(QUEUE_TASK, "Queue", "SANDBOX"), task.formatted(BOARD_TASK, "Board", "INLINE"));
		expect(admin.post("/api/competitions", this.adminToken, "application/json", competition), 201);
		for (String slug : List.of(QUEUE_TASK, BOARD_TASK)) {
			expect(admin.http.send(HttpRequest
				.newBuilder(URI.create(this.base + "/api/competitions/" + COMPETITION + "/tasks/" + slug + "/solution"))
				.header("Authorization", "Bearer " + this.adminToken)
				.header("Content-Type", "text/csv")
				.PUT(HttpRequest.BodyPublishers.ofString(SOLUTION))
				.build(), HttpResponse.BodyHandlers.ofString()), 200);
		}
		for (int i = 0; i < PARTICIPANTS; i++) {
			HttpResponse<String> added = admin.post("/api/competitions/" + COMPETITION + "/participants",
					this.adminToken, "application/json", "{\"name\":\"entrant-%04d\"}".formatted(i));
			expect(added, 201);
			this.tokens.add(JsonPath.read(added.body(), "$.token"));
		}
		try (Connection db = connect(); Statement statement = db.createStatement()) {
			ResultSet ids = statement.executeQuery(
					"select c.id, t.id, t.slug from competitions c join tasks t on t.competition_id = c.id where c.slug = '"
							+ COMPETITION + "'");
			while (ids.next()) {
				this.competitionId = ids.getObject(1, UUID.class);
				if (QUEUE_TASK.equals(ids.getString(3))) {
					this.queueTaskId = ids.getObject(2, UUID.class);
				}
				else {
					this.boardTaskId = ids.getObject(2, UUID.class);
				}
			}
			ResultSet participants = statement.executeQuery(
					"select id from accounts where competition_id = '" + this.competitionId + "' order by name");
			while (participants.next()) {
				this.participantIds.add(participants.getObject(1, UUID.class));
			}
		}
	}

	private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
		if (response.statusCode() != status) {
			throw new IllegalStateException("Expected " + status + " from " + response.uri() + " but got "
					+ response.statusCode() + ": " + response.body());
		}
		return response;
	}

	// --- the database: seeding as the intake writes, and the reference

	/**
	 * Adds waiting submissions to the queue task, spread over every participant, written
	 * as the intake writes them: the row (checked at once, as a file is), its file, its
	 * history line, and each entrant's next fair round.
	 */
	private void seedWaiting(long count) throws SQLException {
		if (count <= 0) {
			return;
		}
		seed(count, "QUEUED", this.queueTaskId);
	}

	/** Scored submissions on the board task, each with the history the engine writes. */
	private void seedScored(long count) throws SQLException {
		seed(count, "SCORED", this.boardTaskId);
	}

	private void seed(long count, String status, UUID task) throws SQLException {
		long started = System.nanoTime();
		boolean scored = "SCORED".equals(status);
		try (Connection db = connect()) {
			db.setAutoCommit(false);
			try (PreparedStatement insert = db.prepareStatement(
					"""
							with p as (
							    select id, (row_number() over (order by name)) - 1 as n from accounts where competition_id = ?
							), base as (
							    select p.id, p.n, greatest(coalesce(q.next_round, 0),
							           coalesce((select serving_round from queue_fronts where task_id = ?), 0)) as round
							    from p left join queue_rounds q on q.task_id = ? and q.entrant_id = p.id
							), seeded as (
							    select gen_random_uuid() as id, b.id as participant, b.round + g.i / ? as round,
							           %s + g.i * interval '1 microsecond' as at
							    from generate_series(0, ? - 1) g(i) join base b on b.n = g.i %% ?
							), ins as (
							    insert into submissions (id, competition_id, task_id, participant_id, entrant_id, kind, file_name,
							        file_bytes, status, quota_day, submitted_at, checked_at, request_fingerprint, fair_round,
							        started_at, evaluating_at, finished_at, attempts, public_score, private_score)
							    select r.id, ?, ?, r.participant, r.participant, 'FILE', 'predictions.csv', ?, ?,
							           (r.at at time zone 'UTC')::date, r.at, r.at, encode(sha256(r.id::text::bytea), 'hex'), r.round,
							           %s
							    from seeded r
							    returning id, submitted_at
							), files as (
							    insert into submission_files (submission_id, content) select id, ? from ins
							), history as (
							    insert into submission_transitions (submission_id, status, at, detail)
							    select id, 'QUEUED', submitted_at, 'submitted' from ins
							    %s
							)
							select count(*) from ins
							"""
						.formatted(scored ? "now() - interval '1 day'" : "now()", scored
								? "r.at, r.at, r.at + interval '1 second', 1, random(), random()"
								: "null::timestamptz, null::timestamptz, null::timestamptz, 0, null::float8, null::float8",
								scored ? """
										union all select id, 'EVALUATING', submitted_at, 'inline' from ins
										union all select id, 'SCORED', submitted_at + interval '1 second', 'public=0.5' from ins
										"""
										: ""))) {
				int p = 1;
				insert.setObject(p++, this.competitionId);
				insert.setObject(p++, task);
				insert.setObject(p++, task);
				insert.setInt(p++, PARTICIPANTS);
				insert.setLong(p++, count);
				insert.setInt(p++, PARTICIPANTS);
				insert.setObject(p++, this.competitionId);
				insert.setObject(p++, task);
				insert.setLong(p++, PREDICTIONS.length());
				insert.setString(p++, status);
				insert.setBytes(p++, PREDICTIONS.getBytes(StandardCharsets.UTF_8));
				insert.executeQuery();
			}
			try (PreparedStatement rounds = db.prepareStatement(
					"""
							insert into queue_rounds (task_id, entrant_id, next_round)
							select task_id, entrant_id, max(fair_round) + 1 from submissions where task_id = ? group by task_id, entrant_id
							on conflict (task_id, entrant_id) do update set next_round = greatest(queue_rounds.next_round, excluded.next_round)
							""")) {
				rounds.setObject(1, task);
				rounds.executeUpdate();
			}
			db.commit();
			try (Statement analyze = db.createStatement()) {
				db.setAutoCommit(true);
				analyze.execute("analyze submissions");
				analyze.execute("analyze submission_transitions");
			}
		}
		System.out.printf("seeded %,d %s submissions in %.1f s%n", count, status, (System.nanoTime() - started) / 1e9);
	}

	private long waiting() throws SQLException {
		return count(
				"select count(*) from submissions where status = 'QUEUED' and task_id = '" + this.queueTaskId + "'");
	}

	/**
	 * Waiting submissions from the back of the queue, with their participants' tokens.
	 */
	private List<String[]> ownWaiting(int limit) throws SQLException {
		Map<UUID, String> tokenOf = new HashMap<>();
		for (int i = 0; i < PARTICIPANTS; i++) {
			tokenOf.put(this.participantIds.get(i), this.tokens.get(i));
		}
		List<String[]> picked = new ArrayList<>();
		try (Connection db = connect(); Statement statement = db.createStatement()) {
			ResultSet rows = statement
				.executeQuery("select id, participant_id from submissions where task_id = '" + this.queueTaskId
						+ "' and status = 'QUEUED' order by fair_round desc, submitted_at desc limit " + limit);
			while (rows.next()) {
				picked.add(new String[] { rows.getString(1), tokenOf.get(rows.getObject(2, UUID.class)) });
			}
		}
		return picked;
	}

	private void execute(String sql) throws SQLException {
		try (Connection db = connect(); Statement statement = db.createStatement()) {
			statement.execute(sql);
		}
	}

	private long count(String sql) throws SQLException {
		try (Connection db = connect(); Statement statement = db.createStatement()) {
			ResultSet rows = statement.executeQuery(sql);
			rows.next();
			return rows.getLong(1);
		}
	}

	record Pgbench(double tps, double latencyMs) {
	}

	/** Single-row durable INSERTs (synchronous commit, as PostgreSQL defaults to). */
	private Pgbench pgbench() throws Exception {
		try (Connection db = connect(); Statement statement = db.createStatement()) {
			statement.execute("create table if not exists pgbench_single_insert (id bigserial primary key, "
					+ "at timestamptz not null default now(), payload text not null)");
		}
		Path script = Files.createTempFile("podium-bench", ".sql");
		Files.writeString(script, "insert into pgbench_single_insert (payload) values ('a predictions file');\n");
		Process process = new ProcessBuilder("pgbench", "-h", HOST, "-p", Integer.toString(PORT), "-U", "postgres",
				"-n", "-c", Integer.toString(CLIENTS), "-j", "2", "-T", "15", "-f", script.toString(), DATABASE)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor(60, TimeUnit.SECONDS);
		Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
		Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(output);
		if (!tps.find() || !latency.find()) {
			throw new IllegalStateException("pgbench said: " + output);
		}
		return new Pgbench(Double.parseDouble(tps.group(1)), Double.parseDouble(latency.group(1)));
	}

	private static long heapAfterFullGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE, "postgres", "");
	}

	private static void recreateDatabase() throws SQLException {
		try (Connection db = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres",
				"postgres", ""); Statement statement = db.createStatement()) {
			statement.execute("drop database if exists " + DATABASE + " with (force)");
			statement.execute("create database " + DATABASE);
		}
	}

	private static boolean reachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, PORT), 2000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean onPath(String command) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}

}
