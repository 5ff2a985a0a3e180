package dev.podium.sandbox.hub;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fake Hub answers as the real one does, so that tests of the client mean something.
 */
class FakeHubTests {

	static final String TOKEN = "hf_fake_valid_token_0123456789";

	static final String NAMESPACE = "podium-org";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private FakeHub hub;

	@BeforeEach
	void start() {
		this.hub = new FakeHub(this.clock, TOKEN, NAMESPACE).start();
	}

	@AfterEach
	void stop() {
		this.hub.close();
	}

	@Test
	void createsASpaceOnceAndThenConflicts() throws Exception {
		HttpResponse<String> first = createSpace("podium-eval-1", "{\"key\":\"K\",\"value\":\"V\"}");
		assertThat(first.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(first.body());
		assertThat(body.path("name").asString()).isEqualTo(NAMESPACE + "/podium-eval-1");
		assertThat(body.path("url").asString()).endsWith("/spaces/" + NAMESPACE + "/podium-eval-1");
		assertThat(body.path("id").asString()).isNotBlank();
		assertThat(first.headers().firstValue("RateLimit"))
			.hasValueSatisfying((value) -> assertThat(value).matches("\"api\";r=\\d+;t=\\d+"));
		assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"fixed window\";\"api\";q=1000;w=300");

		HttpResponse<String> second = createSpace("podium-eval-1", "");
		assertThat(second.statusCode()).isEqualTo(409);
		assertThat(json.readTree(second.body()).path("error").asString())
			.isEqualTo("You already created this space repo");
		assertThat(this.hub.secretsAtCreation("podium-eval-1")).isEqualTo(Map.of("K", "V"));
		assertThat(this.hub.createdSpaces()).containsExactly(NAMESPACE + "/podium-eval-1");
	}

	@Test
	void refusesUnknownTokens() throws Exception {
		HttpResponse<String> answer = send("GET", "/api/whoami-v2", "hf_wrong", null, null);
		assertThat(answer.statusCode()).isEqualTo(401);
		assertThat(answer.body()).contains("Invalid credentials in Authorization header");
		assertThat(this.hub.requests()).singleElement()
			.satisfies((request) -> assertThat(request.authorization()).isEqualTo("Bearer hf_wrong"));
	}

	@Test
	void answersTheCreationLimitWithTheApiBucketsHeadersAndNoRetryAfter() throws Exception {
		this.hub.dailyCreationLimit(2).apiQuota(100000);
		assertThat(createSpace("a", "").statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofHours(1));
		assertThat(createSpace("b", "").statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(59));

		HttpResponse<String> limited = createSpace("c", "");
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(json.readTree(limited.body()).path("error").asString())
			.isEqualTo("You have exceeded the rate limit for repository creation (2 per day).");
		assertThat(limited.headers().firstValue("Retry-After")).isEmpty();
		assertThat(limited.headers().firstValue("RateLimit")).hasValue("\"api\";r=99998;t=241");
		assertThat(limited.headers().firstValue("X-Error-Code")).isEmpty();

		this.hub.creationLimitRetryAfter(Duration.ofHours(3));
		assertThat(createSpace("c", "").headers().firstValue("Retry-After")).hasValue("10800");
		this.clock.advance(Duration.ofHours(23));
		assertThat(createSpace("c", "").statusCode()).isEqualTo(200);
	}

	@Test
	void answersBoth409s() throws Exception {
		this.hub.conflictNextCreates(1);
		HttpResponse<String> conflicting = createSpace("a", "");
		assertThat(conflicting.statusCode()).isEqualTo(409);
		assertThat(json.readTree(conflicting.body()).path("error").asString())
			.isEqualTo("Cannot create repo: another conflicting operation is in progress");
		assertThat(this.hub.liveSpaces()).isEmpty();

		assertThat(createSpace("a", "").statusCode()).isEqualTo(200);
		HttpResponse<String> exists = createSpace("a", "");
		assertThat(exists.statusCode()).isEqualTo(409);
		assertThat(json.readTree(exists.body()).path("error").asString())
			.isEqualTo("You already created this space repo");
	}

	@Test
	void refusesAnUnknownHardwareFlavor() throws Exception {
		HttpResponse<String> refused = send("POST", "/api/repos/create", TOKEN, "application/json",
				"{\"type\":\"space\",\"name\":\"a\",\"organization\":\"" + NAMESPACE
						+ "\",\"sdk\":\"docker\",\"visibility\":\"private\",\"hardware\":\"h100-mega\"}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("h100-mega");
		assertThat(this.hub.liveSpaces()).isEmpty();
	}

	@Test
	void answers429sWithoutHeadersAndGatewayErrorsAsHtml() throws Exception {
		this.hub.failNextBare("/api/spaces", 1, 429).failNextHtml("/", 1, 502).failNextHtml("/", 1, 503);

		HttpResponse<String> bare = send("GET", "/api/spaces?author=x", TOKEN, null, null);
		assertThat(bare.statusCode()).isEqualTo(429);
		assertThat(bare.headers().map().keySet()).map(String::toLowerCase)
			.doesNotContain("ratelimit", "ratelimit-policy", "retry-after", "x-error-code", "x-request-id");

		for (int status : new int[] { 502, 503 }) {
			HttpResponse<String> page = send("GET", "/api/whoami-v2", TOKEN, null, null);
			assertThat(page.statusCode()).isEqualTo(status);
			assertThat(page.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
			assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("<title>" + status);
			assertThat(page.headers().firstValue("X-Error-Code")).isEmpty();
			assertThat(page.headers().firstValue("RateLimit")).isEmpty();
		}
	}

	@Test
	void answers402WithoutAPaidPlan() throws Exception {
		this.hub.requirePaidPlan(true);
		assertThat(createSpace("a", "").statusCode()).isEqualTo(402);
	}

	@Test
	void deletesOnceThen404() throws Exception {
		createSpace("a", "");
		String body = "{\"type\":\"space\",\"name\":\"a\",\"organization\":\"" + NAMESPACE + "\"}";
		HttpResponse<String> deleted = send("DELETE", "/api/repos/delete", TOKEN, "application/json", body);
		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(deleted.body()).isEqualTo("OK");
		HttpResponse<String> again = send("DELETE", "/api/repos/delete", TOKEN, "application/json", body);
		assertThat(again.statusCode()).isEqualTo(404);
		assertThat(again.headers().firstValue("X-Error-Code")).hasValue("RepoNotFound");
		assertThat(this.hub.liveSpaces()).isEmpty();
		assertThat(this.hub.deletedSpaces()).containsExactly(NAMESPACE + "/a");
	}

	@Test
	void listsSpacesInPagesLinkedByNext() throws Exception {
		for (int i = 0; i < 5; i++) {
			createSpace("podium-eval-" + i, "");
		}
		createSpace("other", "");
		String next = "/api/spaces?author=" + NAMESPACE + "&search=podium-eval&limit=2&expand=runtime";
		int pages = 0;
		int spaces = 0;
		while (next != null) {
			HttpResponse<String> page = send("GET", next, TOKEN, null, null);
			pages++;
			for (JsonNode space : json.readTree(page.body())) {
				spaces++;
				assertThat(space.path("id").asString()).startsWith(NAMESPACE + "/podium-eval-");
				assertThat(space.path("runtime").path("stage").asString()).isEqualTo("BUILDING");
			}
			next = page.headers()
				.firstValue("Link")
				.map((link) -> link.substring(link.indexOf('<') + 1, link.indexOf('>')))
				.map((url) -> url.substring(this.hub.url().toString().length()))
				.orElse(null);
		}
		assertThat(pages).isEqualTo(3);
		assertThat(spaces).isEqualTo(5);
	}

	@Test
	void buildsByTheClockAndRebuildsOnCommit() throws Exception {
		createSpace("a", "");
		this.hub.buildTime(Duration.ofMinutes(2));
		assertThat(stage("a")).isEqualTo("BUILDING");
		this.clock.advance(Duration.ofMinutes(2));
		JsonNode runtime = runtime("a");
		assertThat(runtime.path("stage").asString()).isEqualTo("RUNNING");
		assertThat(runtime.path("hardware").path("current").asString()).isEqualTo("cpu-basic");
		assertThat(runtime.path("replicas").path("requested").asInt()).isEqualTo(1);

		String commit = """
				{"key":"header","value":{"summary":"app","description":""}}
				{"key":"file","value":{"path":"app.py","content":"%s","encoding":"base64"}}
				""".formatted(Base64.getEncoder().encodeToString("print(1)".getBytes(StandardCharsets.UTF_8)));
		HttpResponse<String> committed = send("POST", "/api/spaces/" + NAMESPACE + "/a/commit/main", TOKEN,
				"application/x-ndjson", commit);
		assertThat(committed.statusCode()).isEqualTo(200);
		assertThat(json.readTree(committed.body()).path("commitOid").asString()).hasSize(40);
		assertThat(new String(this.hub.filesOf("a").get("app.py"), StandardCharsets.UTF_8)).isEqualTo("print(1)");
		assertThat(stage("a")).as("the old app runs while the new one builds").isEqualTo("RUNNING_BUILDING");

		this.hub.failBuilds("pip install failed");
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(runtime("a").path("errorMessage").asString()).isEqualTo("pip install failed");
		assertThat(stage("a")).isEqualTo("BUILD_ERROR");

		this.hub.stage("a", "SOMETHING_NEW");
		assertThat(stage("a")).isEqualTo("SOMETHING_NEW");
		this.hub.stage("a", null).failBuilds(null).buildNeverFinishes();
		assertThat(stage("a")).isEqualTo("RUNNING_BUILDING");
		createSpace("b", "");
		assertThat(stage("b")).isEqualTo("BUILDING");
	}

	@Test
	void walksThroughAppStartingToRunningOrARuntimeError() throws Exception {
		this.hub.buildTime(Duration.ofMinutes(2)).appStartTime(Duration.ofSeconds(30));
		createSpace("a", "");
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(stage("a")).isEqualTo("APP_STARTING");
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(stage("a")).isEqualTo("RUNNING");
		assertThat(send("POST", "/api/spaces/" + NAMESPACE + "/a/secrets", TOKEN, "application/json",
				"{\"key\":\"K\",\"value\":\"V\"}")
			.statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(stage("a")).isEqualTo("RUNNING_APP_STARTING");

		this.hub.failRuntimes("exit code 1");
		this.clock.advance(Duration.ofSeconds(30));
		JsonNode crashed = runtime("a");
		assertThat(crashed.path("stage").asString()).isEqualTo("RUNTIME_ERROR");
		assertThat(crashed.path("errorMessage").asString()).isEqualTo("exit code 1");
	}

	@Test
	void pausesNewSpacesWhenTheHardwareQuotaIsGone() throws Exception {
		this.hub.pauseNewSpaces(true);
		createSpace("a", "");
		this.clock.advance(Duration.ofHours(1));
		assertThat(stage("a")).isEqualTo("PAUSED");
	}

	@Test
	void searchesTheWholeIdCaseInsensitivelyAndExpandsOnlyWhatIsAsked() throws Exception {
		for (String name : List.of("podium-eval-1", "notes-on-podium-eval-runs", "Podium-Eval-archive", "other")) {
			createSpace(name, "");
		}
		JsonNode found = json
			.readTree(send("GET", "/api/spaces?author=" + NAMESPACE + "&search=podium-eval", TOKEN, null, null).body());
		assertThat(found.valueStream().map((space) -> space.path("id").asString())).containsExactly(
				NAMESPACE + "/podium-eval-1", NAMESPACE + "/notes-on-podium-eval-runs",
				NAMESPACE + "/Podium-Eval-archive");
		assertThat(json.readTree(
				send("GET", "/api/spaces?author=" + NAMESPACE + "&search=" + NAMESPACE + "%2Fother", TOKEN, null, null)
					.body()))
			.hasSize(1);

		JsonNode plain = found.get(0);
		assertThat(plain.has("runtime")).isFalse();
		assertThat(plain.has("private")).isTrue();
		assertThat(plain.has("createdAt")).isTrue();

		JsonNode expanded = json
			.readTree(send("GET",
					"/api/spaces?author=" + NAMESPACE + "&search=podium-eval-1&expand=runtime&expand=createdAt", TOKEN,
					null, null)
				.body())
			.get(0);
		assertThat(expanded.propertyNames()).containsExactly("_id", "id", "runtime", "createdAt");
		assertThat(expanded.path("runtime").path("stage").asString()).isEqualTo("BUILDING");

		HttpResponse<String> unknown = send("GET", "/api/spaces?author=" + NAMESPACE + "&expand=stage", TOKEN, null,
				null);
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).contains("expand");
	}

	@Test
	void redirectsARenamedModelRelativelyAndGatesDownloads() throws Exception {
		this.hub.addModel("bert-base-uncased", "a".repeat(40), false, Set.of("v1"), null)
			.renameModel("bert-base-uncased", "google-bert/bert-base-uncased")
			.gateModel("google-bert/bert-base-uncased", "auto", Set.of("hf_granted"))
			.addModel("alice/reader", "b".repeat(40), true, Set.of(), "hf_other");

		HttpResponse<String> moved = send("GET", "/api/models/bert-base-uncased/revision/v1", TOKEN, null, null);
		assertThat(moved.statusCode()).isEqualTo(307);
		assertThat(moved.headers().firstValue("Location"))
			.hasValue("/api/models/google-bert/bert-base-uncased/revision/v1");
		JsonNode info = json
			.readTree(send("GET", "/api/models/google-bert/bert-base-uncased", null, null, null).body());
		assertThat(info.path("gated").asString()).isEqualTo("auto");
		assertThat(info.path("id").asString()).isEqualTo("google-bert/bert-base-uncased");

		String check = "/api/models/google-bert/bert-base-uncased/auth-check";
		assertThat(send("GET", check, "hf_granted", null, null).statusCode()).isEqualTo(200);
		HttpResponse<String> denied = send("GET", check, "hf_other", null, null);
		assertThat(denied.statusCode()).isEqualTo(403);
		assertThat(denied.headers().firstValue("X-Error-Code")).hasValue("GatedRepo");
		HttpResponse<String> anonymous = send("GET", check, null, null, null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("X-Error-Code")).hasValue("GatedRepo");
		assertThat(send("GET", "/api/models/bert-base-uncased/auth-check", "hf_granted", null, null).headers()
			.firstValue("Location")).hasValue(check);
	}

	@Test
	void describesAFineGrainedTokensScopes() throws Exception {
		this.hub.tokenRole("fineGrained", Map.of(NAMESPACE, List.of("repo.content.read", "repo.write")));
		JsonNode token = json.readTree(send("GET", "/api/whoami-v2", TOKEN, null, null).body())
			.path("auth")
			.path("accessToken");
		assertThat(token.path("role").asString()).isEqualTo("fineGrained");
		JsonNode scoped = token.path("fineGrained").path("scoped").get(0);
		assertThat(scoped.path("entity").path("name").asString()).isEqualTo(NAMESPACE);
		assertThat(scoped.path("entity").path("type").asString()).isEqualTo("org");
		assertThat(scoped.path("permissions").valueStream().map(JsonNode::asString))
			.containsExactly("repo.content.read", "repo.write");
	}

	@Test
	void keepsOneApiBucketPerToken() throws Exception {
		this.hub.apiQuota(10).addModel("gpt2", "c".repeat(40), false, Set.of(), "hf_reader");
		send("GET", "/api/whoami-v2", TOKEN, null, null);
		send("GET", "/api/whoami-v2", TOKEN, null, null);
		assertThat(send("GET", "/api/models/gpt2", "hf_reader", null, null).headers().firstValue("RateLimit"))
			.hasValue("\"api\";r=9;t=300");
		assertThat(send("GET", "/api/whoami-v2", TOKEN, null, null).headers().firstValue("RateLimit"))
			.hasValue("\"api\";r=7;t=300");
	}

	@Test
	void countsTheApiQuotaPerFiveMinuteWindow() throws Exception {
		this.hub.apiQuota(2);
		assertThat(send("GET", "/api/whoami-v2", TOKEN, null, null).headers().firstValue("RateLimit"))
			.hasValue("\"api\";r=1;t=300");
		this.clock.advance(Duration.ofSeconds(100));
		assertThat(send("GET", "/api/whoami-v2", TOKEN, null, null).headers().firstValue("RateLimit"))
			.hasValue("\"api\";r=0;t=200");
		HttpResponse<String> limited = send("GET", "/api/whoami-v2", TOKEN, null, null);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("200");
		assertThat(limited.body()).contains("you hit the quota of 2 api requests per 5 minutes period");
		this.clock.advance(Duration.ofSeconds(200));
		assertThat(send("GET", "/api/whoami-v2", TOKEN, null, null).statusCode()).isEqualTo(200);
		assertThat(this.hub.whoamiCalls()).isEqualTo(3);
	}

	@Test
	void showsModelsByVisibilityAndRevision() throws Exception {
		this.hub.addModel("alice/private-model", "a".repeat(40), true, Set.of("v1", "refs/pr/1"), "hf_alice_read");
		this.hub.addModel("gpt2", "b".repeat(40), false, Set.of(), null);
		assertThat(send("GET", "/api/models/alice/private-model", "hf_alice_read", null, null).body())
			.contains("\"sha\":\"" + "a".repeat(40) + "\"");
		assertThat(
				send("GET", "/api/models/alice/private-model/revision/refs%2Fpr%2F1", TOKEN, null, null).statusCode())
			.isEqualTo(200);
		assertThat(send("GET", "/api/models/gpt2", "hf_alice_read", null, null).statusCode()).isEqualTo(200);

		HttpResponse<String> missing = send("GET", "/api/models/alice/nothing", TOKEN, null, null);
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("X-Error-Code")).hasValue("RepoNotFound");
		HttpResponse<String> badRevision = send("GET", "/api/models/alice/private-model/revision/v9", TOKEN, null,
				null);
		assertThat(badRevision.statusCode()).isEqualTo(404);
		assertThat(badRevision.headers().firstValue("X-Error-Code")).hasValue("RevisionNotFound");
		this.hub.addModel("bob/other", "c".repeat(40), true, Set.of(), "hf_bob_read");
		HttpResponse<String> notVisible = send("GET", "/api/models/alice/private-model", "hf_bob_read", null, null);
		assertThat(notVisible.statusCode()).isEqualTo(401);
		assertThat(notVisible.headers().firstValue("X-Error-Code")).hasValue("RepoNotFound");
	}

	@Test
	void injectsFailuresAndDelays() throws Exception {
		this.hub.failNext(2, 503).failNext("/api/spaces", 1, 429, Duration.ofSeconds(7));
		HttpResponse<String> first = send("GET", "/api/whoami-v2", TOKEN, null, null);
		assertThat(first.statusCode()).isEqualTo(503);
		assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(send("GET", "/api/whoami-v2", TOKEN, null, null).statusCode()).isEqualTo(503);
		assertThat(send("GET", "/api/whoami-v2", TOKEN, null, null).statusCode()).isEqualTo(200);
		HttpResponse<String> limited = send("GET", "/api/spaces?author=x", TOKEN, null, null);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");

		this.hub.delayNext(1, Duration.ofMillis(300));
		long start = System.nanoTime();
		send("GET", "/api/whoami-v2", TOKEN, null, null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
	}

	@Test
	void playsTheEvaluationAppOfASpaceThatRunsWithProtocolV2() throws Exception {
		List<String> podiumSaw = new CopyOnWriteArrayList<>();
		AtomicInteger nextCalls = new AtomicInteger();
		HttpServer podium = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		String base = "http://127.0.0.1:%d/api/sandboxes/s1";
		podium.createContext("/", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String path = exchange.getRequestURI().getPath();
			podiumSaw.add(exchange.getRequestMethod() + " " + path + " "
					+ exchange.getRequestHeaders().getFirst("Authorization") + " " + body.strip());
			String callback = base.formatted(podium.getAddress().getPort());
			int status = 204;
			String answer = "";
			if (path.endsWith("/jobs/next")) {
				switch (nextCalls.incrementAndGet()) {
					case 1 -> status = 204;
					case 2 -> {
						status = 200;
						answer = """
								{"jobId":"j1","submissionId":"f1","kind":"FILE","fileUrl":"%s/jobs/j1/file",
								 "model":null,"revision":null,"hubToken":null}
								""".formatted(callback);
					}
					case 3 -> {
						status = 200;
						answer = """
								{"jobId":"j2","submissionId":"m1","kind":"MODEL","fileUrl":null,
								 "model":"bob/m","revision":"%s","hubToken":"hf_bob_read"}
								""".formatted("c".repeat(40));
					}
					case 4 -> {
						status = 200;
						answer = """
								{"jobId":"j3","submissionId":"m2","kind":"MODEL","fileUrl":null,
								 "model":"bob/m","revision":"main","hubToken":null}
								""";
					}
					default -> status = 410;
				}
			}
			else if (path.endsWith("/file")) {
				status = 200;
				answer = "id,label\n0,1\n";
			}
			byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
			if (bytes.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			}
			exchange.close();
		});
		podium.start();
		try {
			String callback = base.formatted(podium.getAddress().getPort());
			this.hub.addModel("bob/m", "c".repeat(40), true, Set.of(), "hf_bob_read");
			this.hub.modelPredictions("bob/m", "id,label\n0,0\n");
			createSpace("a", "{\"key\":\"PODIUM_SANDBOX_TOKEN\",\"value\":\"sbx-token\"}",
					"{\"key\":\"PODIUM_CALLBACK_URL\",\"value\":\"" + callback + "\"}");
			assertThat(stage("a")).isEqualTo("BUILDING");
			Thread.sleep(100);
			assertThat(this.hub.appRuns()).as("no app while it builds").isEmpty();
			// the app starts when the Space runs, whether anyone asks for its runtime or
			// not
			this.clock.advance(Duration.ofMinutes(1));

			await().atMost(Duration.ofSeconds(20))
				.until(() -> this.hub.appRuns().stream().allMatch(AppRun::finished) && !this.hub.appRuns().isEmpty());
			assertThat(this.hub.appRuns()).hasSize(1);
			AppRun run = this.hub.appRuns().get(0);
			assertThat(run.state()).isEqualTo(AppRun.State.RETIRED);
			assertThat(run.jobs()).extracting(AppRun.Job::end)
				.containsExactly("predictions 204", "predictions 204", "failure 204");
			assertThat(run.jobs()).extracting(AppRun.Job::download).containsExactly(0, 200, 401);
			String next = "POST /api/sandboxes/s1/jobs/next Bearer sbx-token ";
			assertThat(podiumSaw).containsExactly(next, next, "GET /api/sandboxes/s1/jobs/j1/file Bearer sbx-token ",
					"POST /api/sandboxes/s1/jobs/j1/started Bearer sbx-token ",
					"PUT /api/sandboxes/s1/jobs/j1/predictions Bearer sbx-token id,label\n0,1", next,
					"POST /api/sandboxes/s1/jobs/j2/started Bearer sbx-token ",
					"PUT /api/sandboxes/s1/jobs/j2/predictions Bearer sbx-token id,label\n0,0", next,
					"POST /api/sandboxes/s1/jobs/j3/failure Bearer sbx-token "
							+ "{\"category\":\"SUBMISSION\",\"message\":\"the model bob/m could not be downloaded (401)\"}",
					next);
			// the private model was downloaded with the job's own token, from the Hub
			assertThat(this.hub.requests("GET", "/api/models/bob/m/auth-check"))
				.extracting(RecordedRequest::authorization)
				.containsExactly("Bearer hf_bob_read", null);
		}
		finally {
			podium.stop(0);
		}
	}

	@Test
	void aLostSpaceStopsItsAppMidJob() throws Exception {
		List<String> podiumSaw = new CopyOnWriteArrayList<>();
		HttpServer podium = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		podium.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			String path = exchange.getRequestURI().getPath();
			podiumSaw.add(exchange.getRequestMethod() + " " + path);
			byte[] bytes = path.endsWith("/jobs/next") ? """
					{"jobId":"j1","submissionId":"m1","kind":"MODEL","model":"bob/m","revision":"main"}
					""".getBytes(StandardCharsets.UTF_8) : new byte[0];
			exchange.sendResponseHeaders(bytes.length > 0 ? 200 : 204, (bytes.length == 0) ? -1 : bytes.length);
			if (bytes.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			}
			exchange.close();
		});
		podium.start();
		try {
			this.hub.addModel("bob/m", "c".repeat(40), false, Set.of(), null).modelPredictions("bob/m", "id,label\n");
			this.hub.appJobTime(Duration.ofMinutes(10));
			createSpace("a", "{\"key\":\"PODIUM_SANDBOX_TOKEN\",\"value\":\"t\"}",
					"{\"key\":\"PODIUM_CALLBACK_URL\",\"value\":\"http://127.0.0.1:" + podium.getAddress().getPort()
							+ "/api/sandboxes/s1\"}");
			this.clock.advance(Duration.ofMinutes(1));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> podiumSaw.contains("POST /api/sandboxes/s1/jobs/j1/started"));
			this.hub.loseSpace("a");
			await().atMost(Duration.ofSeconds(20)).until(() -> this.hub.appRuns().get(0).finished());
			assertThat(this.hub.appRuns().get(0).state()).isEqualTo(AppRun.State.STOPPED);
			assertThat(this.hub.appRuns().get(0).jobs()).extracting(AppRun.Job::end).containsExactly("lost");
			assertThat(podiumSaw).noneMatch((call) -> call.endsWith("/predictions") || call.endsWith("/failure"));
			assertThat(this.hub.liveSpaces()).isEmpty();
			assertThat(this.hub.lostSpaces()).containsExactly(NAMESPACE + "/a");
			assertThat(send("GET", "/api/spaces/" + NAMESPACE + "/a/runtime", TOKEN, null, null).statusCode())
				.isEqualTo(404);
		}
		finally {
			this.hub.appJobTime(Duration.ZERO);
			podium.stop(0);
		}
	}

	@Test
	void holdsOneRequestWhileAnsweringTheOthers() throws Exception {
		FakeHub.Hang hang = this.hub.hangNext("GET", "/api/whoami-v2", Duration.ofSeconds(30));
		CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
			try {
				return send("GET", "/api/whoami-v2", TOKEN, null, null);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(hang.awaitEntered(Duration.ofSeconds(10))).isTrue();
		assertThat(send("GET", "/api/whoami-v2", TOKEN, null, null).statusCode()).isEqualTo(200);
		assertThat(hang.isHanging()).isTrue();
		assertThat(held).isNotDone();
		hang.release();
		assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(hang.isHanging()).isFalse();
	}

	@Test
	void playsNoAppWhenToldNotTo() throws Exception {
		this.hub.playApp(false);
		createSpace("a", "{\"key\":\"PODIUM_SANDBOX_TOKEN\",\"value\":\"t\"}",
				"{\"key\":\"PODIUM_CALLBACK_URL\",\"value\":\"http://127.0.0.1:9/x\"}");
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(stage("a")).isEqualTo("RUNNING");
		assertThat(this.hub.appRuns()).isEmpty();
	}

	private HttpResponse<String> createSpace(String name, String secrets) throws Exception {
		return createSpace(name, secrets, "");
	}

	private HttpResponse<String> createSpace(String name, String secrets, String variables) throws Exception {
		String body = """
				{"type":"space","name":"%s","organization":"%s","sdk":"docker","visibility":"private",
				 "hardware":"cpu-basic","secrets":[%s],"variables":[%s]}
				""".formatted(name, NAMESPACE, secrets, variables);
		return send("POST", "/api/repos/create", TOKEN, "application/json", body);
	}

	private String stage(String name) throws Exception {
		return runtime(name).path("stage").asString();
	}

	private JsonNode runtime(String name) throws Exception {
		HttpResponse<String> answer = send("GET", "/api/spaces/" + NAMESPACE + "/" + name + "/runtime", TOKEN, null,
				null);
		assertThat(answer.statusCode()).isEqualTo(200);
		return json.readTree(answer.body());
	}

	private HttpResponse<String> send(String method, String pathAndQuery, String token, String contentType, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.hub.url() + pathAndQuery))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
