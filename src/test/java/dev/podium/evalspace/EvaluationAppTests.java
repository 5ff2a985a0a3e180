package dev.podium.evalspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The evaluation app that Podium commits into every evaluation Space
 * ({@code docker/eval-space/app.py}), run as a child process with {@code --until-retired}
 * against a fake of Podium's sandbox API v2, the way a Space runs it. The participants'
 * code, the organizer's entry point and a stand-in for {@code huggingface_hub} are the
 * Python files under {@code participants/}; {@code hub/} there is the Hub's content.
 * Directories of the test stand in for {@code /tmp} and the Space's {@code HOME}.
 */
class EvaluationAppTests {

	private static final Path SOURCE = Path.of("docker", "eval-space").toAbsolutePath();

	private static final Path PARTICIPANTS = Path
		.of("src", "test", "java", "dev", "podium", "evalspace", "participants")
		.toAbsolutePath();

	private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static String python;

	private final UUID sandboxId = UUID.randomUUID();

	private final String sandboxToken = "sandbox-token-" + UUID.randomUUID();

	private final String datasetToken = "dataset-token-" + UUID.randomUUID();

	private final String organizerSecret = "organizer-secret-" + UUID.randomUUID();

	private final String aliceToken = "hf_" + UUID.randomUUID().toString().replace("-", "");

	@TempDir
	Path directory;

	private FakePodium podium;

	private Path app;

	private Path entryPoint;

	private Path tmp;

	private Path home;

	private Path work;

	private Path channel;

	private Path data;

	private Path hub;

	private int port;

	@BeforeAll
	static void needsPython() {
		python = pythonExecutable();
		Assumptions.assumeTrue(python != null,
				"python3 is not on PATH: the tests of the evaluation app (docker/eval-space/app.py) are skipped");
	}

	@BeforeEach
	void setUp() throws IOException {
		this.podium = new FakePodium(this.sandboxId, this.sandboxToken);
		// The app makes its own directory read-only: it runs from a copy.
		this.app = copy(SOURCE, this.directory.resolve("app"));
		this.hub = copy(PARTICIPANTS.resolve("hub"), this.directory.resolve("hub"));
		this.entryPoint = Files.copy(PARTICIPANTS.resolve("run_model.py"),
				Files.createDirectories(this.directory.resolve("organizer")).resolve("run_model.py"));
		Path library = Files.createDirectories(this.directory.resolve("pylib").resolve("huggingface_hub"));
		Files.copy(PARTICIPANTS.resolve("fake_huggingface_hub.py"), library.resolve("__init__.py"));
		this.tmp = Files.createDirectories(this.directory.resolve("tmp"));
		Files.writeString(this.tmp.resolve("pre-existing.txt"), "kept");
		this.home = Files.createDirectories(this.directory.resolve("home"));
		Files.writeString(this.home.resolve(".profile"), "kept");
		this.work = Files.createDirectories(this.directory.resolve("work"));
		this.channel = Files.createDirectories(this.directory.resolve("channel"));
		this.data = this.directory.resolve("data");
		Map<String, String> config = new LinkedHashMap<>();
		config.put("work", this.work.toString());
		config.put("tmp", this.tmp.toString());
		config.put("home", this.home.toString());
		config.put("app", this.app.toString());
		config.put("entry_point", this.entryPoint.toString());
		Files.writeString(this.channel.resolve("config.json"), json.writeValueAsString(config));
		this.port = freePort();
	}

	@AfterEach
	void tearDown() throws IOException {
		this.podium.close();
		// Should the app have failed to end them, the participants' processes end with
		// the test.
		for (String name : List.of("daemon.pid", "sleepy.pids")) {
			for (long pid : pids(name)) {
				ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
			}
		}
	}

	// ---- the v2 loop

	@Test
	void handsInAFileSubmissionUnchanged() throws Exception {
		String csv = "id,label\n0,1\n1,0\n2,\"a, quoted\"\n";
		String job = this.podium.fileJob(csv);

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "GET /jobs/" + job + "/file",
				"POST /jobs/" + job + "/started", "PUT /jobs/" + job + "/predictions", "POST /jobs/next");
		assertThat(this.podium.exchanges()).extracting(Exchange::authorization)
			.containsOnly("Bearer " + this.sandboxToken);
		assertThat(this.podium.exchanges().get(0).query()).isEqualTo("wait=20");
		assertThat(this.podium.exchanges().get(4).status()).isEqualTo(410);
		Exchange predictions = this.podium.exchange("PUT /jobs/" + job + "/predictions");
		assertThat(predictions.contentType()).isEqualTo("text/csv");
		assertThat(predictions.text()).isEqualTo(csv);
	}

	@Test
	void servesOneJobAfterAnotherEachForItsOwnTask() throws Exception {
		this.podium.noJobYet();
		String first = this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		this.podium.noJobYet();
		String second = this.podium.modelJob("carol/task-model", null, task("churn", "predict", null), 60);
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/next",
				"POST /jobs/" + first + "/started", "PUT /jobs/" + first + "/predictions", "POST /jobs/next",
				"POST /jobs/next", "POST /jobs/" + second + "/started", "PUT /jobs/" + second + "/predictions",
				"POST /jobs/next");
		assertThat(this.podium.text("PUT /jobs/" + first + "/predictions"))
			.isEqualTo("id,label\n0,sentiment\n1,sentiment\n2,sentiment\n");
		assertThat(this.podium.text("PUT /jobs/" + second + "/predictions"))
			.isEqualTo("id,label\n0,churn\n1,churn\n2,churn\n");
	}

	@Test
	void retriesPodiumWhileItIsAway() throws Exception {
		this.podium.reply(503, "{\"title\":\"restarting\"}", Map.of());
		this.podium.reply(429, "{\"title\":\"slow down\"}", Map.of("Retry-After", "0"));
		String job = this.podium.fileJob("id,label\n0,1\n");
		this.podium.script("PUT", "/jobs/" + job + "/predictions", 502);

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/next", "POST /jobs/next",
				"GET /jobs/" + job + "/file", "POST /jobs/" + job + "/started", "PUT /jobs/" + job + "/predictions",
				"PUT /jobs/" + job + "/predictions", "POST /jobs/next");
		assertThat(this.podium.exchanges()).extracting(Exchange::status)
			.containsExactly(503, 429, 200, 200, 204, 502, 204, 410);
	}

	@Test
	void keepsAskingWhilePodiumCannotBeReached() throws Exception {
		int podiumPort = freePort();
		UUID sandbox = this.sandboxId;
		this.podium.close();
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_CALLBACK_URL", "http://127.0.0.1:" + podiumPort + "/api/sandboxes/" + sandbox);
		environment.put("PODIUM_RETRY_MAX_BACKOFF_SECONDS", "0.2");
		Process process = startApp(environment(environment), List.of("--until-retired"));
		try {
			awaitLog(process, "ConnectionRefusedError");
			this.podium = new FakePodium(sandbox, this.sandboxToken, podiumPort);
			String job = this.podium.fileJob("id,label\n0,1\n");

			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).isZero();
			assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "GET /jobs/" + job + "/file",
					"POST /jobs/" + job + "/started", "PUT /jobs/" + job + "/predictions", "POST /jobs/next");
		}
		finally {
			process.destroyForcibly();
		}
	}

	@Test
	void dropsAJobThatIsNoLongerItsAndTakesTheNext() throws Exception {
		String refusedPredictions = this.podium.fileJob("id,label\n0,1\n");
		this.podium.script("PUT", "/jobs/" + refusedPredictions + "/predictions", 409);
		String refusedStart = this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		this.podium.script("POST", "/jobs/" + refusedStart + "/started", 409);
		String tooLarge = this.podium.fileJob("id,label\n0,1\n");
		this.podium.script("PUT", "/jobs/" + tooLarge + "/predictions", 413);
		String next = this.podium.fileJob("id,label\n0,0\n");
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next",
				"GET /jobs/" + refusedPredictions + "/file", "POST /jobs/" + refusedPredictions + "/started",
				"PUT /jobs/" + refusedPredictions + "/predictions", "POST /jobs/next",
				"POST /jobs/" + refusedStart + "/started", "POST /jobs/next", "GET /jobs/" + tooLarge + "/file",
				"POST /jobs/" + tooLarge + "/started", "PUT /jobs/" + tooLarge + "/predictions", "POST /jobs/next",
				"GET /jobs/" + next + "/file", "POST /jobs/" + next + "/started", "PUT /jobs/" + next + "/predictions",
				"POST /jobs/next");
		assertThat(this.podium.exchange("PUT /jobs/" + next + "/predictions").status()).isEqualTo(204);
	}

	@Test
	void givesUpAtOnceWhenPodiumRefusesTheToken() throws Exception {
		this.podium.fileJob("id,label\n0,1\n");
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_SANDBOX_TOKEN", "not-" + this.sandboxToken);

		Run run = runApp(environment);

		assertThat(run.exitCode()).as(run.log()).isEqualTo(2);
		assertThat(this.podium.exchanges()).singleElement().satisfies((exchange) -> {
			assertThat(exchange.request()).isEqualTo("POST /jobs/next");
			assertThat(exchange.status()).isEqualTo(401);
		});
	}

	@Test
	void keepsServingTheHealthPageOnceRetired() throws Exception {
		this.podium.fileJob("id,label\n0,1\n");
		Process process = startApp(environment(Map.of()), List.of());
		try {
			awaitRetirement(process);
			HttpResponse<String> health = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(health.statusCode()).isEqualTo(200);
			JsonNode status = json.readTree(health.body());
			assertThat(status.get("state").asString()).isEqualTo("retired");
			assertThat(status.get("jobs").asInt()).isEqualTo(1);
			assertThat(process.isAlive()).isTrue();
		}
		finally {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	// ---- the organizer's entry point

	@Test
	void runsTheEntryPointForAModelAndHandsInItsPredictions() throws Exception {
		String job = this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/" + job + "/started",
				"PUT /jobs/" + job + "/predictions", "POST /jobs/next");
		assertThat(this.podium.text("PUT /jobs/" + job + "/predictions"))
			.isEqualTo("id,label\n0,sentiment\n1,sentiment\n2,sentiment\n");
	}

	@Test
	void reportsAFailingEntryPointAsTheSubmissionsFault() throws Exception {
		String job = this.podium.modelJob("oscar/broken-model", null, task("sentiment", "predict", null), 60);
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/" + job + "/started",
				"POST /jobs/" + job + "/failure", "POST /jobs/next");
		JsonNode failure = json.readTree(this.podium.text("POST /jobs/" + job + "/failure"));
		assertThat(failure.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(failure.get("message").asString()).contains("status 3")
			.contains("ValueError: the model has no classification head");
	}

	@Test
	void reportsAnEntryPointThatWritesNoPredictionsAsTheSubmissionsFault() throws Exception {
		String job = this.podium.modelJob("olga/quiet-model", null, task("sentiment", "predict", null), 60);
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		JsonNode failure = json.readTree(this.podium.text("POST /jobs/" + job + "/failure"));
		assertThat(failure.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(failure.get("message").asString()).contains("no predictions");
	}

	@Test
	void stopsAJobThatRunsOverItsTimeLimit() throws Exception {
		String job = this.podium.modelJob("sam/sleepy-model", null, task("sentiment", "predict", null), 3);
		String next = this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/" + job + "/started",
				"POST /jobs/" + job + "/failure", "POST /jobs/next", "POST /jobs/" + next + "/started",
				"PUT /jobs/" + next + "/predictions", "POST /jobs/next");
		JsonNode failure = json.readTree(this.podium.text("POST /jobs/" + job + "/failure"));
		assertThat(failure.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(failure.get("message").asString()).contains("time limit of 3 s was exceeded");
		Duration ran = Duration.ofNanos(this.podium.exchange("POST /jobs/" + job + "/failure").receivedAt()
				- this.podium.exchange("POST /jobs/" + job + "/started").receivedAt());
		assertThat(ran).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
		assertThat(pids("sleepy.pids")).hasSize(2).allSatisfy((pid) -> assertThat(alive(pid)).isFalse());
	}

	@Test
	void usesTheJobsHubTokenForItsOwnDownloadOnly() throws Exception {
		Files.writeString(this.hub.resolve("models/alice/private-model/.token"), this.aliceToken);
		String alice = this.podium.modelJob("alice/private-model", this.aliceToken, task("sentiment", "predict", null),
				60);
		String pat = this.podium.modelJob("pat/probe-model", null, task("sentiment", "predict", null), 60);
		String wrong = this.podium.modelJob("alice/private-model", "hf_" + "x".repeat(32),
				task("sentiment", "predict", null), 60);
		testInputs();
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_MODEL_DIR_OVERRIDE", null);
		environment.put("PODIUM_PREDICT_COMMAND", python + " " + quoted(copyEntryPoint("environment_probe.py")));

		Run run = runApp(environment);

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.text("PUT /jobs/" + alice + "/predictions"))
			.isEqualTo("id,label\n0,alice-weights\n1,alice-weights\n2,alice-weights\n");
		assertThat(this.podium.text("PUT /jobs/" + pat + "/predictions")).startsWith("id,label\n0,positive\n");
		JsonNode refused = json.readTree(this.podium.text("POST /jobs/" + wrong + "/failure"));
		assertThat(refused.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(refused.get("message").asString()).contains("alice/private-model")
			.contains("does not exist or is not accessible")
			.doesNotContain("hf_");
		assertThat(this.podium.requests()).doesNotContain("POST /jobs/" + wrong + "/started");
		assertThat(hubCalls())
			.extracting((call) -> call.get("repo_id").asString() + " " + call.get("revision").asString() + " "
					+ call.get("token").asString())
			.containsExactly("alice/private-model " + REVISION + " " + this.aliceToken,
					"pat/probe-model " + REVISION + " false",
					"alice/private-model " + REVISION + " hf_" + "x".repeat(32));
		// What participant code could see during Alice's own job, and during the next
		// one.
		for (String submission : List.of(this.podium.submissionOf(alice), this.podium.submissionOf(pat))) {
			String seen = Files.readString(this.channel.resolve("probe-" + submission + ".txt"));
			assertThat(seen).contains("MODEL_DIR=")
				.contains("DATA_DIR=" + this.data)
				.contains("OUTPUT_PATH=")
				.contains("PODIUM_ID_COLUMN=id")
				.contains("--- the app's environ: denied")
				.contains("--- the app's mem: denied")
				.contains("--- the app's cmdline: ");
			for (String secret : List.of(this.sandboxToken, this.aliceToken, this.datasetToken, this.organizerSecret)) {
				assertThat(seen).doesNotContain(secret);
			}
		}
		for (String secret : List.of(this.sandboxToken, this.aliceToken, this.datasetToken, this.organizerSecret)) {
			assertThat(run.log()).doesNotContain(secret);
		}
	}

	@Test
	void letsParticipantCodeImportWhatTheImageInstalledInItsUserSite() throws Exception {
		Path userSite = Files.createDirectories(Path.of(userSitePackages()));
		Files.writeString(userSite.resolve("organizer_lib.py"), "LABEL = 'from-the-image'\n");
		String job = this.podium.modelJob("uma/user-site-model", null, task("sentiment", "predict", null), 60);
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.text("PUT /jobs/" + job + "/predictions")).startsWith("id,label\n0,from-the-image\n");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(userSite.resolve("organizer_lib.py"))))
			.isEqualTo("r--r--r--");
	}

	// ---- isolation between jobs

	@Test
	void leavesNothingOfAHostileJobToTheNext() throws Exception {
		Files.writeString(this.hub.resolve("models/alice/private-model/.token"), this.aliceToken);
		String alice = this.podium.modelJob("alice/private-model", this.aliceToken, task("sentiment", "predict", null),
				60);
		String mallory = this.podium.modelJob("mallory/hostile-model", null, task("sentiment", "predict", null), 60);
		String bob = this.podium.modelJob("bob/plain-model", null, task("sentiment", "predict", null), 60);
		testInputs();
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_MODEL_DIR_OVERRIDE", null);

		Run run = runApp(environment);

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/" + alice + "/started",
				"PUT /jobs/" + alice + "/predictions", "POST /jobs/next", "POST /jobs/" + mallory + "/started",
				"PUT /jobs/" + mallory + "/predictions", "POST /jobs/next", "POST /jobs/" + bob + "/started",
				"PUT /jobs/" + bob + "/predictions", "POST /jobs/next");
		assertThat(this.podium.text("PUT /jobs/" + alice + "/predictions"))
			.isEqualTo("id,label\n0,alice\n1,alice\n2,alice\n");
		assertThat(this.podium.text("PUT /jobs/" + bob + "/predictions")).isEqualTo("id,label\n0,bob\n1,bob\n2,bob\n");

		// What Mallory's code managed, as Podium received it.
		Map<String, String> report = rows(this.podium.text("PUT /jobs/" + mallory + "/predictions"));
		assertThat(report).containsEntry("plant_user_site", "done")
			.containsEntry("data_write", "denied")
			.containsEntry("data_create", "denied")
			.containsEntry("app_write", "denied")
			.containsEntry("entry_point_write", "denied")
			.containsEntry("app_environ", "denied")
			.containsEntry("app_mem", "denied")
			.containsKey("daemon");
		String dump = Files.readString(this.channel.resolve("mallory-dump.txt"));
		assertThat(dump).contains("Mallory's model is hostile")
			.doesNotContain("alice-weights")
			.doesNotContain(this.aliceToken);
		// The planted usercustomize.py ran once, where Mallory showed it working, never
		// in Bob's job.
		assertThat(Files.readAllLines(this.channel.resolve("usercustomize.log"))).containsExactly(report.get("home"));

		// What Bob's code found of the jobs before it.
		JsonNode seen = json.readTree(Files.readString(this.channel.resolve("bob.json")));
		assertThat(seen.get("home").values()).isEmpty();
		assertThat(seen.get("tmpdir").values()).isEmpty();
		assertThat(seen.get("user_site_enabled").asBoolean()).isFalse();
		assertThat(seen.get("user_site_exists").asBoolean()).isFalse();
		assertThat(seen.get("usercustomize_loaded").asBoolean()).isFalse();
		assertThat(seen.get("tmp").values()).extracting(JsonNode::asString).containsExactly("pre-existing.txt");
		assertThat(seen.get("app_home").values()).extracting(JsonNode::asString).containsExactly(".profile");
		assertThat(seen.get("jobs").values()).hasSize(1);
		assertThat(seen.get("data").values()).extracting(JsonNode::asString).containsExactly("test.txt");
		assertThat(seen.get("daemon_alive").asBoolean()).isFalse();

		// And what is left on the machine.
		assertThat(alive(Long.parseLong(report.get("daemon")))).isFalse();
		assertThat(list(this.tmp)).containsExactly("pre-existing.txt");
		assertThat(list(this.home)).containsExactly(".profile");
		assertThat(list(this.work)).isEmpty();
		assertThat(Files.readString(this.data.resolve("test.txt"))).isEqualTo("0\n1\n2\n");
		assertThat(hubCalls()).extracting((call) -> call.get("repo_id").asString() + " " + call.get("token").asString())
			.containsExactly("alice/private-model " + this.aliceToken, "mallory/hostile-model false",
					"bob/plain-model false");
		assertThat(run.log()).doesNotContain(this.aliceToken);
	}

	@Test
	void refusesFurtherJobsAfterAJobChangedTheOrganizersFiles() throws Exception {
		String trent = this.podium.modelJob("trent/tampering-model", null, task("sentiment", "predict", null), 60);
		this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		testInputs();

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isEqualTo(5);
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/" + trent + "/started",
				"POST /jobs/" + trent + "/failure");
		JsonNode failure = json.readTree(this.podium.text("POST /jobs/" + trent + "/failure"));
		assertThat(failure.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(failure.get("message").asString()).contains("changed the evaluation's read-only files")
			.contains("test.txt");
		assertThat(run.log()).contains("refusing further jobs");
	}

	@Test
	void refusesTheNextJobWhenTheOrganizersFilesChangedBetweenJobs() throws Exception {
		String first = this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		String second = this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		this.podium.modelJob("carol/task-model", null, task("sentiment", "predict", null), 60);
		testInputs();
		this.podium.beforePoll(2, () -> {
			Path input = this.data.resolve("test.txt");
			try {
				Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-r--r--"));
				Files.writeString(input, "0\n1\n2\n3\n");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isEqualTo(5);
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/" + first + "/started",
				"PUT /jobs/" + first + "/predictions", "POST /jobs/next", "POST /jobs/" + second + "/failure");
		JsonNode failure = json.readTree(this.podium.text("POST /jobs/" + second + "/failure"));
		assertThat(failure.get("category").asString()).isEqualTo("PLATFORM");
		assertThat(failure.get("message").asString()).contains("takes no further jobs");
		assertThat(run.log()).contains("the organizer's files changed").contains("test.txt");
	}

	// ---- huggingface/competitions' script contract

	@Test
	void runsAScriptRepositoryTheWayHuggingFaceCompetitionsDoes() throws Exception {
		String job = this.podium.modelJob("dave/script-repo", null, task("sentiment", "script", null), 60);
		Files.createDirectories(this.data);
		Files.writeString(this.data.resolve("test.csv"), "id,text\n0,good\n1,not good\n");

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("POST /jobs/next", "POST /jobs/" + job + "/started",
				"PUT /jobs/" + job + "/predictions", "POST /jobs/next");
		assertThat(this.podium.text("PUT /jobs/" + job + "/predictions"))
			.isEqualToNormalizingNewlines("id,pred\n0,1\n1,0\n");
		JsonNode seen = json.readTree(Files.readString(this.channel.resolve("script.json")));
		assertThat(seen.get("cwd").asString()).isEqualTo(this.tmp.resolve("model").toString());
		assertThat(seen.get("files").values()).extracting(JsonNode::asString)
			.contains("script.py", "helper.py", "params.json", "submission.csv");
		assertThat(seen.get("data").values()).extracting(JsonNode::asString).containsExactly("test.csv");
		assertThat(seen.get("USER_TOKEN").asString()).isEmpty();
		JsonNode params = seen.get("params.json");
		assertThat(params).isEqualTo(seen.get("PARAMS"));
		assertThat(params.get("competition_type").asString()).isEqualTo("script");
		assertThat(params.get("token").asString()).isEmpty();
		assertThat(params.get("submission_repo").asString()).isEqualTo("dave/script-repo");
		assertThat(params.get("output_path").asString()).isEqualTo(this.tmp.resolve("model").toString());
		assertThat(params.get("submission_id").asString()).isEqualTo(this.podium.submissionOf(job));
		assertThat(params.get("time_limit").asInt()).isEqualTo(60);
		assertThat(params.get("submission_filenames").values()).extracting(JsonNode::asString)
			.containsExactly("submission.csv");
		assertThat(list(this.tmp)).containsExactly("pre-existing.txt");
	}

	@Test
	void givesAScriptTheCompetitionsDatasetWhereHuggingFaceCompetitionsPutsIt() throws Exception {
		String job = this.podium.modelJob("dave/script-repo", null, task("sentiment", "script", "org/hidden-inputs"),
				60);
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_MODEL_DIR_OVERRIDE", null);

		Run run = runApp(environment);

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.text("PUT /jobs/" + job + "/predictions"))
			.isEqualToNormalizingNewlines("id,pred\n0,1\n1,0\n2,1\n");
		assertThat(hubCalls())
			.extracting((call) -> call.get("repo_type").asString() + " " + call.get("repo_id").asString() + " "
					+ call.get("token").asString())
			.containsExactly("dataset org/hidden-inputs " + this.datasetToken, "model dave/script-repo false");
		JsonNode seen = json.readTree(Files.readString(this.channel.resolve("script.json")));
		assertThat(seen.get("params.json").get("dataset").asString()).isEqualTo("org/hidden-inputs");
		assertThat(list(this.tmp)).containsExactly("pre-existing.txt");
	}

	@Test
	void scoresWhatAScriptSubmittedAndFailsOneThatSubmittedNothing() throws Exception {
		String crashing = this.podium.modelJob("erin/crashing-script", null, task("sentiment", "script", null), 60);
		String silent = this.podium.modelJob("frank/silent-script", null, task("sentiment", "script", null), 60);
		String noScript = this.podium.modelJob("gina/no-script", null, task("sentiment", "script", null), 60);
		Files.createDirectories(this.data);

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.text("PUT /jobs/" + crashing + "/predictions")).isEqualTo("id,pred\n0,1\n1,0\n");
		JsonNode nothing = json.readTree(this.podium.text("POST /jobs/" + silent + "/failure"));
		assertThat(nothing.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(nothing.get("message").asString()).contains("wrote no submission.csv");
		JsonNode missing = json.readTree(this.podium.text("POST /jobs/" + noScript + "/failure"));
		assertThat(missing.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(missing.get("message").asString()).contains("no script.py");
		assertThat(this.podium.requests()).doesNotContain("POST /jobs/" + noScript + "/started");
	}

	// ---- helpers

	private Map<String, Object> task(String slug, String runner, String dataset) {
		Map<String, Object> task = new LinkedHashMap<>();
		task.put("competition", "demo");
		task.put("slug", slug);
		task.put("metric", "accuracy_score");
		task.put("idColumn", "id");
		task.put("runner", runner);
		task.put("dataset", dataset);
		return task;
	}

	private void testInputs() throws IOException {
		Files.createDirectories(this.data);
		Files.writeString(this.data.resolve("test.txt"), "0\n1\n2\n");
	}

	private Path copyEntryPoint(String name) throws IOException {
		return Files.copy(PARTICIPANTS.resolve(name), this.directory.resolve("organizer").resolve(name));
	}

	/**
	 * Where the image's Python puts user-site packages, for the Space's HOME of this
	 * test.
	 */
	private String userSitePackages() throws Exception {
		ProcessBuilder builder = new ProcessBuilder(python, "-c", "import site; print(site.getusersitepackages())");
		builder.environment().put("HOME", this.home.toString());
		builder.environment().remove("PYTHONUSERBASE");
		Process process = builder.start();
		String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		return path;
	}

	private List<JsonNode> hubCalls() throws IOException {
		Path calls = this.directory.resolve("hub-calls.jsonl");
		if (!Files.exists(calls)) {
			return List.of();
		}
		return Files.readAllLines(calls).stream().map(json::readTree).toList();
	}

	private List<Long> pids(String name) throws IOException {
		Path file = this.channel.resolve(name);
		if (!Files.exists(file)) {
			return List.of();
		}
		return Stream.of(Files.readString(file).trim().split("\\s+")).map(Long::parseLong).toList();
	}

	private static boolean alive(long pid) {
		return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
	}

	private static Map<String, String> rows(String csv) {
		Map<String, String> rows = new LinkedHashMap<>();
		csv.lines()
			.skip(1)
			.forEach((line) -> rows.put(line.substring(0, line.indexOf(',')), line.substring(line.indexOf(',') + 1)));
		return rows;
	}

	private static List<String> list(Path directory) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.map((entry) -> entry.getFileName().toString()).sorted().toList();
		}
	}

	private static Path copy(Path source, Path target) throws IOException {
		try (Stream<Path> paths = Files.walk(source)) {
			for (Path path : paths.filter((path) -> !path.toString().contains("__pycache__")).toList()) {
				Path destination = target.resolve(source.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(path, destination);
				}
			}
		}
		return target;
	}

	private static String quoted(Path path) {
		return "'" + path.toString().replace("'", "'\\''") + "'";
	}

	private Map<String, String> environment(Map<String, String> overrides) {
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_CALLBACK_URL", this.podium.url(""));
		environment.put("PODIUM_SANDBOX_ID", this.sandboxId.toString());
		environment.put("PODIUM_SANDBOX_TOKEN", this.sandboxToken);
		environment.put("PODIUM_DATASET_TOKEN", this.datasetToken);
		environment.put("ORGANIZER_SECRET", this.organizerSecret);
		environment.put("PORT", Integer.toString(this.port));
		environment.put("PODIUM_RETRY_BACKOFF_SECONDS", "0.01");
		environment.put("PODIUM_WORK_DIR", this.work.toString());
		// As in a Space (the Hub sets SPACE_ID), with the test's stand-ins for /tmp and
		// HOME.
		environment.put("SPACE_ID", "podium/eval-test");
		environment.put("HOME", this.home.toString());
		environment.put("PODIUM_SWEPT_DIRS", this.tmp + ":" + this.home);
		environment.put("PODIUM_SCRIPT_WORKDIR", this.tmp.resolve("model").toString());
		environment.put("PODIUM_SCRIPT_DATA_DIR", this.tmp.resolve("data").toString());
		environment.put("PODIUM_DATA_DIR", this.data.toString());
		environment.put("PODIUM_PREDICT_COMMAND", python + " " + quoted(this.entryPoint));
		environment.put("PODIUM_MODEL_DIR_OVERRIDE", this.hub.resolve("models").toString());
		environment.put("PYTHONPATH", this.directory.resolve("pylib").toString());
		environment.put("FAKE_HUB_ROOT", this.hub.toString());
		environment.put("FAKE_HUB_LOG", this.directory.resolve("hub-calls.jsonl").toString());
		environment.put("EVAL_TEST_CHANNEL", this.channel.toString());
		environment.putAll(overrides);
		return environment;
	}

	private Run runApp(Map<String, String> overrides) throws Exception {
		Process process = startApp(environment(overrides), List.of("--until-retired"));
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("the evaluation app did not finish within 60 s:%n%s",
					Files.readString(this.directory.resolve("app.log")));
		}
		return new Run(process.exitValue(), Files.readString(this.directory.resolve("app.log")));
	}

	private Process startApp(Map<String, String> environment, List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("python3", this.app.resolve("app.py").toString()));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("app.log").toFile());
		environment.forEach((name, value) -> {
			if (value == null) {
				builder.environment().remove(name);
			}
			else {
				builder.environment().put(name, value);
			}
		});
		return builder.start();
	}

	private void awaitLog(Process process, String text) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!Files.readString(this.directory.resolve("app.log")).contains(text)) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				fail("the app never logged %s:%n%s", text, Files.readString(this.directory.resolve("app.log")));
			}
			Thread.sleep(20);
		}
	}

	private void awaitRetirement(Process process) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.podium.exchanges().stream().noneMatch((exchange) -> exchange.status() == 410)) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				fail("the app was not retired:%n%s", Files.readString(this.directory.resolve("app.log")));
			}
			Thread.sleep(20);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The interpreter's own path: participant code runs with a HOME of its own, where a
	 * shim may not work.
	 */
	private static String pythonExecutable() {
		try {
			Process process = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
			String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			process.getErrorStream().transferTo(OutputStream.nullOutputStream());
			return (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && !path.isEmpty()) ? path : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private record Run(int exitCode, String log) {
	}

	private record Exchange(String method, String path, String query, String authorization, String contentType,
			byte[] body, int status, long receivedAt) {

		String request() {
			return this.method + " " + this.path;
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/**
	 * Podium's sandbox API v2 as a sandbox sees it: a wrong token is 401; each
	 * {@code jobs/next} takes the next queued answer (a job or a scripted status), and
	 * 410 once there are none; {@code started}, {@code predictions} and {@code failure}
	 * are 204 for a job handed out and not yet reported, else 409, unless a scripted
	 * status comes first; anything else is 404. Paths are recorded without the sandbox's
	 * prefix.
	 */
	private static final class FakePodium implements AutoCloseable {

		private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
		}

		private final UUID sandboxId;

		private final String token;

		private final HttpServer server;

		private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

		private final Deque<Object> polls = new ArrayDeque<>();

		private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();

		private final Map<String, byte[]> files = new ConcurrentHashMap<>();

		private final Map<String, String> submissions = new ConcurrentHashMap<>();

		private final Set<String> handedOut = ConcurrentHashMap.newKeySet();

		private final Set<String> reported = ConcurrentHashMap.newKeySet();

		private final Map<Integer, Runnable> beforePoll = new ConcurrentHashMap<>();

		private final AtomicInteger pollCount = new AtomicInteger();

		FakePodium(UUID sandboxId, String token) throws IOException {
			this(sandboxId, token, 0);
		}

		FakePodium(UUID sandboxId, String token, int port) throws IOException {
			this.sandboxId = sandboxId;
			this.token = token;
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
			this.server.createContext("/", this::handle);
			this.server.start();
		}

		String url(String suffix) {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + prefix() + suffix;
		}

		String fileJob(String csv) {
			Map<String, Object> job = job("FILE", null, null, Map.of("competition", "demo", "slug", "sentiment",
					"metric", "accuracy_score", "idColumn", "id", "runner", "predict"), 600);
			String id = (String) job.get("jobId");
			job.put("fileUrl", url("/jobs/" + id + "/file"));
			this.files.put(id, csv.getBytes(StandardCharsets.UTF_8));
			synchronized (this.polls) {
				this.polls.add(job);
			}
			return id;
		}

		String modelJob(String model, String hubToken, Map<String, Object> task, int timeLimitSeconds) {
			Map<String, Object> job = job("MODEL", model, hubToken, task, timeLimitSeconds);
			synchronized (this.polls) {
				this.polls.add(job);
			}
			return (String) job.get("jobId");
		}

		private Map<String, Object> job(String kind, String model, String hubToken, Map<String, Object> task,
				int timeLimitSeconds) {
			String id = UUID.randomUUID().toString();
			String submission = UUID.randomUUID().toString();
			this.submissions.put(id, submission);
			Map<String, Object> job = new LinkedHashMap<>();
			job.put("jobId", id);
			job.put("submissionId", submission);
			job.put("kind", kind);
			job.put("task", task);
			job.put("timeLimitSeconds", timeLimitSeconds);
			job.put("fileUrl", null);
			job.put("model", model);
			job.put("revision", (model != null) ? REVISION : null);
			job.put("hubToken", hubToken);
			return job;
		}

		String submissionOf(String job) {
			return this.submissions.get(job);
		}

		void noJobYet() {
			reply(204, "", Map.of());
		}

		void reply(int status, String body, Map<String, String> headers) {
			synchronized (this.polls) {
				this.polls.add(new Reply(status, body.isEmpty() ? null : "application/problem+json",
						body.getBytes(StandardCharsets.UTF_8), headers));
			}
		}

		void script(String method, String path, int status) {
			this.scripted.computeIfAbsent(method + " " + path, (key) -> new ArrayDeque<>()).add(status);
		}

		void beforePoll(int poll, Runnable action) {
			this.beforePoll.put(poll, action);
		}

		List<Exchange> exchanges() {
			return List.copyOf(this.exchanges);
		}

		List<String> requests() {
			return this.exchanges.stream().map(Exchange::request).toList();
		}

		Exchange exchange(String request) {
			return this.exchanges.stream()
				.filter((exchange) -> exchange.request().equals(request))
				.reduce((first, second) -> second)
				.orElseThrow(() -> new AssertionError("Podium never received " + request + ": " + requests()));
		}

		String text(String request) {
			return exchange(request).text();
		}

		private String prefix() {
			return "/api/sandboxes/" + this.sandboxId;
		}

		private void handle(HttpExchange exchange) throws IOException {
			try {
				byte[] body;
				try (InputStream in = exchange.getRequestBody()) {
					body = in.readAllBytes();
				}
				String method = exchange.getRequestMethod();
				String path = exchange.getRequestURI().getPath();
				if (path.startsWith(prefix())) {
					path = path.substring(prefix().length());
				}
				String authorization = exchange.getRequestHeaders().getFirst("Authorization");
				long receivedAt = System.nanoTime();
				Reply reply = answer(method, path, authorization);
				this.exchanges.add(new Exchange(method, path, exchange.getRequestURI().getQuery(), authorization,
						exchange.getRequestHeaders().getFirst("Content-Type"), body, reply.status(), receivedAt));
				if (reply.contentType() != null) {
					exchange.getResponseHeaders().set("Content-Type", reply.contentType());
				}
				reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
				boolean empty = reply.body().length == 0;
				exchange.sendResponseHeaders(reply.status(), empty ? -1 : reply.body().length);
				if (!empty) {
					exchange.getResponseBody().write(reply.body());
				}
			}
			finally {
				exchange.close();
			}
		}

		private Reply answer(String method, String path, String authorization) {
			if (!("Bearer " + this.token).equals(authorization)) {
				return problem(401);
			}
			if ("POST".equals(method) && "/jobs/next".equals(path)) {
				return next();
			}
			Deque<Integer> statuses = this.scripted.get(method + " " + path);
			Integer status = (statuses != null) ? statuses.poll() : null;
			if (status != null) {
				if (status == 409 || status == 413) {
					this.reported.add(jobOf(path));
				}
				return problem(status);
			}
			if ("GET".equals(method) && path.endsWith("/file") && this.files.containsKey(jobOf(path))) {
				return new Reply(200, "text/csv", this.files.get(jobOf(path)), Map.of());
			}
			boolean started = "POST".equals(method) && path.endsWith("/started");
			boolean report = ("PUT".equals(method) && path.endsWith("/predictions"))
					|| ("POST".equals(method) && path.endsWith("/failure"));
			if (path.startsWith("/jobs/") && (started || report)) {
				String job = jobOf(path);
				if (!this.handedOut.contains(job) || this.reported.contains(job)) {
					return problem(409);
				}
				if (report) {
					this.reported.add(job);
				}
				return new Reply(204, null, new byte[0], Map.of());
			}
			return problem(404);
		}

		@SuppressWarnings("unchecked")
		private Reply next() {
			Runnable action = this.beforePoll.get(this.pollCount.incrementAndGet());
			if (action != null) {
				action.run();
			}
			Object next;
			synchronized (this.polls) {
				next = this.polls.poll();
			}
			if (next == null) {
				return problem(410);
			}
			if (next instanceof Reply reply) {
				return reply;
			}
			Map<String, Object> job = (Map<String, Object>) next;
			this.handedOut.add((String) job.get("jobId"));
			return new Reply(200, "application/json", json.writeValueAsBytes(job), Map.of());
		}

		private static String jobOf(String path) {
			String[] parts = path.split("/");
			return (parts.length > 2) ? parts[2] : "";
		}

		private static Reply problem(int status) {
			return new Reply(status, "application/problem+json",
					("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8), Map.of());
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
