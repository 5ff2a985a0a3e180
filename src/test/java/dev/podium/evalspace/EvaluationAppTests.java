package dev.podium.evalspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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
 * ({@code docker/eval-space/app.py}), run with {@code --once} as a child process against
 * a fake of Podium's sandbox API, the way a Space runs it.
 */
class EvaluationAppTests {

	private static final Path APP = Path.of("docker", "eval-space", "app.py").toAbsolutePath();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final UUID sandboxId = UUID.randomUUID();

	private final String sandboxToken = "sandbox-token-" + UUID.randomUUID();

	private final String participantToken = "hf_" + UUID.randomUUID().toString().replace("-", "");

	private final String datasetToken = "dataset-token-" + UUID.randomUUID();

	private final String organizerSecret = "organizer-secret-" + UUID.randomUUID();

	@TempDir
	Path directory;

	private FakePodium podium;

	@BeforeAll
	static void needsPython() {
		Assumptions.assumeTrue(pythonIsAvailable(),
				"python3 is not on PATH: the tests of the evaluation app (docker/eval-space/app.py) are skipped");
	}

	@BeforeEach
	void startPodium() throws IOException {
		this.podium = new FakePodium(this.sandboxId, this.sandboxToken);
	}

	@AfterEach
	void stopPodium() {
		this.podium.close();
	}

	@Test
	void handsInAFileSubmissionUnchanged() throws Exception {
		UUID submission = UUID.randomUUID();
		String csv = "id,label\n0,1\n1,0\n2,\"a, quoted\"\n";
		this.podium.job(fileItem(submission));
		this.podium.reply("GET", this.podium.path("/submissions/" + submission + "/file"), 200, "text/csv", csv);

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.exchanges()).extracting(Exchange::request)
			.containsExactly("GET " + this.podium.path("/job"),
					"GET " + this.podium.path("/submissions/" + submission + "/file"),
					"PUT " + this.podium.path("/submissions/" + submission + "/predictions"));
		assertThat(this.podium.exchanges()).extracting(Exchange::authorization)
			.containsOnly("Bearer " + this.sandboxToken);
		Exchange predictions = this.podium.exchanges().get(2);
		assertThat(predictions.contentType()).isEqualTo("text/csv");
		assertThat(predictions.text()).isEqualTo(csv);
	}

	@Test
	void runsTheEntryPointForAModelAndHandsInItsPredictions() throws Exception {
		UUID submission = UUID.randomUUID();
		this.podium.job(modelItem(submission));

		Run run = runApp(modelEnvironment(predictingEntryPoint()));

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("GET " + this.podium.path("/job"),
				"PUT " + this.podium.path("/submissions/" + submission + "/predictions"));
		assertThat(this.podium.exchanges().get(1).text()).isEqualTo("id,label\n0,positive\n1,positive\n2,positive\n");
	}

	@Test
	void givesTheEntryPointNoTokenOfAnyone() throws Exception {
		this.podium.job(modelItem(UUID.randomUUID()));

		Run run = runApp(modelEnvironment(predictingEntryPoint()));

		assertThat(run.exitCode()).as(run.log()).isZero();
		String seen = Files.readString(this.directory.resolve("seen-environment.txt"));
		assertThat(seen).contains("MODEL_DIR=" + this.directory.resolve("model"))
			.contains("DATA_DIR=" + this.directory.resolve("data"))
			.contains("OUTPUT_PATH=")
			.contains("PODIUM_ID_COLUMN=id");
		if (Files.isDirectory(Path.of("/proc/self"))) {
			// The entry point also read the app's own environment through /proc.
			assertThat(seen).contains("--- the app's environment").contains("PODIUM_CALLBACK_URL=");
		}
		for (String secret : List.of(this.sandboxToken, this.participantToken, this.datasetToken,
				this.organizerSecret)) {
			assertThat(seen).doesNotContain(secret);
			assertThat(run.log()).doesNotContain(secret);
		}
	}

	@Test
	void reportsAFailingEntryPointAsTheSubmissionsFault() throws Exception {
		UUID submission = UUID.randomUUID();
		this.podium.job(modelItem(submission));
		Path entryPoint = script("failing.py", """
				import sys
				print("loading the weights", file=sys.stderr)
				print("ValueError: the model has no classification head", file=sys.stderr)
				sys.exit(3)
				""");

		Run run = runApp(modelEnvironment("python3 " + quoted(entryPoint)));

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("GET " + this.podium.path("/job"),
				"POST " + this.podium.path("/submissions/" + submission + "/failure"));
		JsonNode failure = json.readTree(this.podium.exchanges().get(1).text());
		assertThat(failure.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(failure.get("message").asString()).contains("status 3")
			.contains("ValueError: the model has no classification head");
	}

	@Test
	void reportsAnEntryPointThatWritesNoPredictionsAsTheSubmissionsFault() throws Exception {
		UUID submission = UUID.randomUUID();
		this.podium.job(modelItem(submission));
		Path entryPoint = script("silent.py", "print('done, without predictions')\n");

		Run run = runApp(modelEnvironment("python3 " + quoted(entryPoint)));

		assertThat(run.exitCode()).as(run.log()).isZero();
		JsonNode failure = json.readTree(this.podium.exchanges().get(1).text());
		assertThat(failure.get("category").asString()).isEqualTo("SUBMISSION");
		assertThat(failure.get("message").asString()).contains("no predictions");
	}

	@Test
	void givesUpAtOnceWhenPodiumRefusesTheToken() throws Exception {
		this.podium.job(fileItem(UUID.randomUUID()));
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_SANDBOX_TOKEN", "not-" + this.sandboxToken);

		Run run = runApp(environment);

		assertThat(run.exitCode()).as(run.log()).isNotZero();
		assertThat(this.podium.exchanges()).singleElement().satisfies((exchange) -> {
			assertThat(exchange.request()).isEqualTo("GET " + this.podium.path("/job"));
			assertThat(exchange.status()).isEqualTo(401);
		});
	}

	@Test
	void retriesPodiumWhenItFailsForAMoment() throws Exception {
		UUID submission = UUID.randomUUID();
		this.podium.reply("GET", this.podium.path("/job"), 503, "application/json", "{\"title\":\"restarting\"}");
		this.podium.job(fileItem(submission));
		this.podium.reply("GET", this.podium.path("/submissions/" + submission + "/file"), 200, "text/csv",
				"id,label\n0,1\n");

		Run run = runApp(Map.of());

		assertThat(run.exitCode()).as(run.log()).isZero();
		assertThat(this.podium.requests()).containsExactly("GET " + this.podium.path("/job"),
				"GET " + this.podium.path("/job"), "GET " + this.podium.path("/submissions/" + submission + "/file"),
				"PUT " + this.podium.path("/submissions/" + submission + "/predictions"));
	}

	private Map<String, Object> fileItem(UUID submission) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("id", submission.toString());
		item.put("kind", "FILE");
		item.put("model", null);
		item.put("revision", null);
		item.put("fileUrl", this.podium.url("/submissions/" + submission + "/file"));
		return item;
	}

	private Map<String, Object> modelItem(UUID submission) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("id", submission.toString());
		item.put("kind", "MODEL");
		item.put("model", "alice/sentiment-model");
		item.put("revision", "main");
		item.put("fileUrl", null);
		return item;
	}

	/**
	 * An entry point that predicts from the model and the test inputs, and writes down
	 * the environment it sees, its own and the app's (its parent's), for the token
	 * checks.
	 */
	private String predictingEntryPoint() throws IOException {
		Files.createDirectories(this.directory.resolve("model"));
		Files.writeString(this.directory.resolve("model").resolve("weights.txt"), "positive\n");
		Files.createDirectories(this.directory.resolve("data"));
		Files.writeString(this.directory.resolve("data").resolve("test.txt"), "0\n1\n2\n");
		Path entryPoint = script("predict.py", """
				import os, sys
				with open(os.path.join(os.environ["MODEL_DIR"], "weights.txt")) as f:
				    label = f.read().strip()
				with open(os.path.join(os.environ["DATA_DIR"], "test.txt")) as f:
				    ids = [line.strip() for line in f if line.strip()]
				with open(sys.argv[1], "w") as seen:
				    for name, value in sorted(os.environ.items()):
				        seen.write(name + "=" + value + "\\n")
				    try:
				        with open("/proc/%d/environ" % os.getppid(), "rb") as parent:
				            seen.write("--- the app's environment\\n")
				            seen.write(parent.read().decode("utf-8", "replace").replace("\\0", "\\n"))
				    except OSError:
				        pass
				with open(os.environ["OUTPUT_PATH"], "w") as out:
				    out.write(os.environ["PODIUM_ID_COLUMN"] + ",label\\n")
				    for i in ids:
				        out.write(i + "," + label + "\\n")
				""");
		return "python3 " + quoted(entryPoint) + " " + quoted(this.directory.resolve("seen-environment.txt"));
	}

	private Map<String, String> modelEnvironment(String predictCommand) throws IOException {
		Files.createDirectories(this.directory.resolve("model"));
		Files.createDirectories(this.directory.resolve("data"));
		Map<String, String> environment = new HashMap<>();
		environment.put("PODIUM_PREDICT_COMMAND", predictCommand);
		environment.put("PODIUM_MODEL_DIR_OVERRIDE", this.directory.resolve("model").toString());
		environment.put("PODIUM_DATA_DIR", this.directory.resolve("data").toString());
		return environment;
	}

	private Path script(String name, String content) throws IOException {
		return Files.writeString(this.directory.resolve(name), content);
	}

	private static String quoted(Path path) {
		return "'" + path.toString().replace("'", "'\\''") + "'";
	}

	private Run runApp(Map<String, String> overrides) throws Exception {
		Path log = this.directory.resolve("app.log");
		ProcessBuilder builder = new ProcessBuilder("python3", APP.toString(), "--once")
			.directory(this.directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("PODIUM_CALLBACK_URL", this.podium.url(""));
		environment.put("PODIUM_SANDBOX_TOKEN", this.sandboxToken);
		environment.put("HF_TOKEN", this.participantToken);
		environment.put("PODIUM_DATASET_TOKEN", this.datasetToken);
		environment.put("ORGANIZER_SECRET", this.organizerSecret);
		environment.put("PORT", Integer.toString(freePort()));
		environment.put("PODIUM_RETRY_BACKOFF_SECONDS", "0.01");
		environment.put("PODIUM_WORK_DIR", Files.createDirectories(this.directory.resolve("work")).toString());
		environment.putAll(overrides);
		Process process = builder.start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("the evaluation app did not finish within 30 s:%n%s", Files.readString(log));
		}
		return new Run(process.exitValue(), Files.readString(log));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean pythonIsAvailable() {
		try {
			Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
			process.getInputStream().transferTo(OutputStream.nullOutputStream());
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private record Run(int exitCode, String log) {
	}

	private record Exchange(String method, String path, String authorization, String contentType, byte[] body,
			int status) {

		String request() {
			return this.method + " " + this.path;
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/**
	 * Podium's sandbox API as a sandbox sees it: a wrong token is 401; scripted replies
	 * are served in order (the last one repeats); predictions and failures of this
	 * sandbox are accepted with 204; anything else is 404.
	 */
	private static final class FakePodium implements AutoCloseable {

		private record Reply(int status, String contentType, byte[] body) {
		}

		private final UUID sandboxId;

		private final String token;

		private final HttpServer server;

		private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

		private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();

		FakePodium(UUID sandboxId, String token) throws IOException {
			this.sandboxId = sandboxId;
			this.token = token;
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			this.server.createContext("/", this::handle);
			this.server.start();
		}

		String path(String suffix) {
			return "/api/sandboxes/" + this.sandboxId + suffix;
		}

		String url(String suffix) {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + path(suffix);
		}

		void job(Map<String, Object> item) {
			Map<String, Object> task = new LinkedHashMap<>();
			task.put("competition", "demo");
			task.put("slug", "sentiment");
			task.put("metric", "accuracy_score");
			task.put("idColumn", "id");
			task.put("timeoutSeconds", 20);
			Map<String, Object> job = new LinkedHashMap<>();
			job.put("sandboxId", this.sandboxId.toString());
			job.put("task", task);
			job.put("submissions", List.of(item));
			reply("GET", path("/job"), 200, "application/json", json.writeValueAsString(job));
		}

		void reply(String method, String path, int status, String contentType, String body) {
			this.replies.computeIfAbsent(method + " " + path, (key) -> new ArrayDeque<>())
				.add(new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8)));
		}

		List<Exchange> exchanges() {
			return List.copyOf(this.exchanges);
		}

		List<String> requests() {
			return this.exchanges.stream().map(Exchange::request).toList();
		}

		private void handle(HttpExchange exchange) throws IOException {
			try {
				byte[] body;
				try (InputStream in = exchange.getRequestBody()) {
					body = in.readAllBytes();
				}
				String method = exchange.getRequestMethod();
				String path = exchange.getRequestURI().getPath();
				String authorization = exchange.getRequestHeaders().getFirst("Authorization");
				Reply reply = answer(method, path, authorization);
				this.exchanges.add(new Exchange(method, path, authorization,
						exchange.getRequestHeaders().getFirst("Content-Type"), body, reply.status()));
				if (reply.contentType() != null) {
					exchange.getResponseHeaders().set("Content-Type", reply.contentType());
				}
				exchange.sendResponseHeaders(reply.status(), (reply.body().length == 0) ? -1 : reply.body().length);
				if (reply.body().length > 0) {
					exchange.getResponseBody().write(reply.body());
				}
			}
			finally {
				exchange.close();
			}
		}

		private Reply answer(String method, String path, String authorization) {
			if (!("Bearer " + this.token).equals(authorization)) {
				return new Reply(401, "application/problem+json", "{\"status\":401}".getBytes(StandardCharsets.UTF_8));
			}
			Deque<Reply> scripted = this.replies.get(method + " " + path);
			if (scripted != null && !scripted.isEmpty()) {
				return (scripted.size() > 1) ? scripted.poll() : scripted.peek();
			}
			boolean handIn = ("PUT".equals(method) && path.startsWith(path("/submissions/"))
					&& path.endsWith("/predictions"))
					|| ("POST".equals(method) && path.startsWith(path("/submissions/")) && path.endsWith("/failure"));
			return handIn ? new Reply(204, null, new byte[0])
					: new Reply(404, "application/problem+json", "{\"status\":404}".getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
