package dev.podium.sandbox.hub;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.podium.FreshDatabaseInitializer;
import dev.podium.MutableClock;
import dev.podium.TestClockConfiguration;
import dev.podium.TestSupport;
import dev.podium.evaluation.EvaluationScheduler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Podium with the Hugging Face provider against the fake Hub, which plays each Space's
 * app over real HTTP against this Podium. The clock is the test's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "podium.demo.enabled=false", "podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
				"podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY, "podium.data-dir=target/test-data",
				"podium.evaluation.scheduler-enabled=false", "podium.sandbox.provider=huggingface",
				"podium.hub.namespace=podium-org", "podium.hub.base-delay=10ms", "podium.hub.max-delay=40ms",
				"podium.budget.limit=20", "podium.sandbox.ready-timeout=20m", "podium.evaluation.max-attempts=2",
				"podium.evaluation.retry-base-delay=1s" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = FreshDatabaseInitializer.class)
@Import(TestClockConfiguration.class)
class HuggingFaceProviderTests {

	static final String HUB_TOKEN = "hf_organizer_write_token";

	static final ClockReference clockReference = new ClockReference();

	static FakeHub hub;

	static int port;

	@DynamicPropertySource
	static void hub(DynamicPropertyRegistry registry) throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		hub = new FakeHub(clockReference, HUB_TOKEN, "podium-org").start();
		registry.add("server.port", () -> port);
		registry.add("podium.public-url", () -> "http://127.0.0.1:" + port);
		registry.add("podium.hub.url", () -> hub.url().toString());
		registry.add("podium.hub.token", () -> HUB_TOKEN);
	}

	@AfterAll
	static void stopHub() {
		hub.close();
	}

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void freshHub() {
		// Time only moves forward here, as the Hub client's rate limiter expects of a
		// clock.
		this.clock.advance(Duration.ofDays(1));
		clockReference.target = this.clock;
		hub.clearTrouble();
		hub.failBuilds(null);
		hub.buildTime(Duration.ofMinutes(3));
		hub.dailyCreationLimit(1000);
		hub.playApp(true);
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.jdbc.update("update creation_budgets set blocked_until = null, version = version + 1");
		this.api = new TestSupport(this.mvc);
		this.competition = "hub-" + (++competitions);
		this.api.createCompetition(this.competition, TestSupport.fileTask("labels"), TestSupport.modelTask("models"));
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		this.api.uploadSolution(this.competition, "models", SOLUTION);
	}

	@Test
	void evaluatesInAPrivateSpaceThatGetsOnlyItsOwnSecretsAndIsDeletedAfterwards() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		int created = hub.createdSpaces().size();
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).hasSize(created + 1);
		String space = hub.createdSpaces().get(hub.createdSpaces().size() - 1);
		Map<String, String> secrets = hub.secretsAtCreation(space);
		assertThat(secrets.keySet()).containsExactlyInAnyOrder("PODIUM_CALLBACK_URL", "PODIUM_SANDBOX_TOKEN");
		assertThat(secrets.values()).doesNotContain(HUB_TOKEN).noneMatch((value) -> value.contains(HUB_TOKEN));
		String sandboxId = this.jdbc.queryForObject("select sandbox_id::text from submissions where id = ?::uuid",
				String.class, id);
		assertThat(secrets.get("PODIUM_CALLBACK_URL"))
			.isEqualTo("http://127.0.0.1:" + port + "/api/sandboxes/" + sandboxId);
		assertThat(hub.filesOf(space)).containsKeys("Dockerfile", "app.py");
		assertThat(hub.hardwareOf(space)).isEqualTo("cpu-basic");

		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
		assertThat(hub.deletedSpaces()).containsAll(hub.createdSpaces());
		assertThat(JsonPath.<Double>read(bodyOf(this.api.get(alice, "/api/submissions/{id}", id)), "$.publicScore"))
			.isEqualTo(0.8);
	}

	@Test
	void healthShowsTheHubsCircuit() {
		// health details are for operators
		assertThat(this.api.get(ADMIN_TOKEN, "/actuator/health")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.components.hub.details.circuit")
			.isEqualTo("CLOSED");
	}

	@Test
	void aHub429OnCreationDefersWorkWithoutFailingItAndResumesAfterTheNamedTime() {
		hub.dailyCreationLimit(0);
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		assertThat(status(id)).isEqualTo("QUEUED");
		String budget = bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget"));
		assertThat(JsonPath.<String>read(budget, "$.blockedUntil")).isNotNull();
		assertThat(JsonPath.<Integer>read(budget, "$.used")).isZero();
		Instant blockedUntil = Instant.parse(JsonPath.read(budget, "$.blockedUntil"));
		String submission = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(submission, "$.waitingFor")).isEqualTo("BUDGET");
		int createAttempts = hub.requests("POST", "/api/repos/create").size();
		this.scheduler.runOnce();
		assertThat(hub.requests("POST", "/api/repos/create")).as("no attempt while blocked").hasSize(createAttempts);

		hub.dailyCreationLimit(1000);
		this.clock.set(blockedUntil.plusSeconds(1));
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(this.jdbc.queryForObject("select attempts from submissions where id = ?::uuid", Integer.class, id))
			.isEqualTo(1);
	}

	@Test
	void anEmptyApiBucketOnCreationWaitsForItsResetWithoutBlockingCreations() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		hub.exhaustApiBucketNext("/api/repos/create", 1);
		int created = hub.createdSpaces().size();
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		assertThat(hub.requests("POST", "/api/repos/create")).last()
			.satisfies((request) -> assertThat(request.status()).isEqualTo(429));
		String budget = bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget"));
		assertThat(JsonPath.<String>read(budget, "$.blockedUntil")).as("not a creation limit").isNull();
		assertThat(hub.createdSpaces()).hasSize(created);

		this.clock.advance(Duration.ofMinutes(5));
		runUntil(() -> hub.createdSpaces().size() == created + 1);
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(this.jdbc.queryForObject("select attempts from submissions where id = ?::uuid", Integer.class, id))
			.isEqualTo(1);
		assertThat(JsonPath.<String>read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.blockedUntil")).isNull();
	}

	@Test
	void aGatedModelWithoutGrantedAccessFailsAsTheSubmissionsFaultBeforeAnySpace() {
		hub.addModel("meta/gated-model", "fedcba9876543210fedcba9876543210fedcba98", false, Set.of("main"), null)
			.gateModel("meta/gated-model", "manual", Set.of("hf_someone_granted"));
		String alice = this.api.addParticipant(this.competition, "alice");
		int created = hub.createdSpaces().size();
		var result = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"meta/gated-model\"}")
			.exchange();
		String id = JsonPath.read(TestSupport.require(result, 201), "$.id");

		this.scheduler.runOnce();

		assertThat(status(id)).isEqualTo("FAILED");
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("SUBMISSION");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).contains("meta/gated-model", "gated");
		assertThat(hub.requests("GET", "/api/models/meta/gated-model/auth-check")).singleElement()
			.satisfies(
					(request) -> assertThat(request.authorization()).as("as the Space will: without a token").isNull());
		assertThat(hub.createdSpaces()).hasSize(created);
		assertThat(this.jdbc.queryForObject("select count(*) from creation_charges", Integer.class)).isZero();
	}

	@Test
	void creationsNeverExceedTheBudget() {
		TestSupport.require(this.mvc.put()
			.uri("/api/budget")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"limit\":2,\"reason\":\"test\"}")
			.exchange(), 200);
		int before = hub.createdSpaces().size();
		for (int i = 0; i < 4; i++) {
			String token = this.api.addParticipant(this.competition, "p" + i);
			this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
		}
		for (int i = 0; i < 10; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofMinutes(2));
		}
		assertThat(hub.createdSpaces().size() - before).isEqualTo(2);
		runUntil(() -> hub.liveSpaces().isEmpty());
		TestSupport.require(this.mvc.put()
			.uri("/api/budget")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"limit\":20,\"reason\":\"back\"}")
			.exchange(), 200);
	}

	@Test
	void transientHubFailuresNeverFailASubmission() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		hub.failNext(12, 503);
		for (int i = 0; i < 6; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofMinutes(1));
		}
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	@Test
	void aBuildErrorIsRetriedThenGivenUpWithoutCountingAndEverySpaceIsDeleted() {
		hub.failBuilds("Dockerfile error");
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		runUntil(() -> "FAILED".equals(status(id)));
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("PLATFORM");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).contains("BUILD_ERROR");
		runUntil(() -> hub.liveSpaces().isEmpty());
		assertThat(this.jdbc.queryForObject("select attempts from submissions where id = ?::uuid", Integer.class, id))
			.isEqualTo(2);
	}

	@Test
	void aBuildThatNeverFinishesTimesOutAndItsSpaceIsDeleted() {
		hub.buildNeverFinishes();
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(21));
		this.scheduler.runOnce();
		assertThat(status(id)).isEqualTo("QUEUED");
		assertThat(hub.liveSpaces()).isEmpty();
	}

	@Test
	void aMissingModelFailsBeforeAnySpaceOrBudgetIsSpent() {
		String alice = this.api.addParticipant(this.competition, "alice");
		int created = hub.createdSpaces().size();
		var result = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"alice/nothing-here\",\"revision\":\"main\"}")
			.exchange();
		String id = JsonPath.read(TestSupport.require(result, 201), "$.id");
		this.scheduler.runOnce();
		assertThat(status(id)).isEqualTo("FAILED");
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("SUBMISSION");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).contains("alice/nothing-here");
		assertThat(hub.createdSpaces()).hasSize(created);
		assertThat(this.jdbc.queryForObject("select count(*) from creation_charges", Integer.class)).isZero();
	}

	@Test
	void aPrivateModelsSpaceGetsTheParticipantsReadTokenOnly() {
		hub.addModel("alice/private-model", "0123456789abcdef0123456789abcdef01234567", true, Set.of("main"),
				"hf_alice_read");
		hub.modelPredictions("alice/private-model", PREDICTIONS);
		String alice = this.api.addParticipant(this.competition, "alice");
		var result = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"alice/private-model\",\"accessToken\":\"hf_alice_read\"}")
			.exchange();
		String id = JsonPath.read(TestSupport.require(result, 201), "$.id");
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		String space = hub.createdSpaces().get(hub.createdSpaces().size() - 1);
		assertThat(hub.secretsAtCreation(space)).containsEntry("HF_TOKEN", "hf_alice_read")
			.doesNotContainValue(HUB_TOKEN);
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void noTokenEverReachesTheLog(CapturedOutput output) {
		hub.addModel("bob/private-model", "89abcdef0123456789abcdef0123456789abcdef", true, Set.of("main"),
				"hf_bob_read_secret");
		hub.modelPredictions("bob/private-model", PREDICTIONS);
		String bob = this.api.addParticipant(this.competition, "bob");
		var result = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(bob))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"bob/private-model\",\"accessToken\":\"hf_bob_read_secret\"}")
			.exchange();
		String id = JsonPath.read(TestSupport.require(result, 201), "$.id");
		hub.failNext(2, 503);
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
		String space = hub.createdSpaces().get(hub.createdSpaces().size() - 1);
		String sandboxToken = hub.secretsAtCreation(space).get("PODIUM_SANDBOX_TOKEN");
		assertThat(output.getAll()).contains("status=SCORED")
			.doesNotContain(HUB_TOKEN)
			.doesNotContain("hf_bob_read_secret")
			.doesNotContain(sandboxToken)
			.doesNotContain(bob)
			.doesNotContain(ADMIN_TOKEN);
	}

	@Test
	void theReaperDeletesOnlyOrphansOfExactlyItsOwnNames() {
		// a Space of a Podium that lost its records, and Spaces that merely contain the
		// prefix: the Hub's search returns them all
		String orphan = "podium-eval-" + java.util.UUID.randomUUID();
		List<String> foreign = List.of("notes-on-podium-eval-runs", "Podium-Eval-archive", "podium-eval-orphan",
				orphan + "-copy", "podium-eval-" + java.util.UUID.randomUUID().toString().toUpperCase());
		for (String name : concat(foreign, List.of(orphan))) {
			org.springframework.web.client.RestClient.create()
				.post()
				.uri(hub.url() + "/api/repos/create")
				.header(HttpHeaders.AUTHORIZATION, bearer(HUB_TOKEN))
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"type\":\"space\",\"name\":\"" + name
						+ "\",\"organization\":\"podium-org\",\"sdk\":\"docker\",\"visibility\":\"private\"}")
				.retrieve()
				.toBodilessEntity();
		}
		this.clock.advance(Duration.ofHours(1));
		this.scheduler.runOnce();
		assertThat(hub.liveSpaces()).noneMatch((space) -> space.endsWith("/" + orphan));
		assertThat(hub.liveSpaces()).containsAll(foreign.stream().map((name) -> "podium-org/" + name).toList());
		assertThat(hub.requests("GET", "/api/spaces")).last()
			.satisfies((request) -> assertThat(request.query()).contains("expand=runtime&expand=createdAt"));
		// other tests wait for an empty namespace
		for (String name : foreign) {
			org.springframework.web.client.RestClient.create()
				.method(org.springframework.http.HttpMethod.DELETE)
				.uri(hub.url() + "/api/repos/delete")
				.header(HttpHeaders.AUTHORIZATION, bearer(HUB_TOKEN))
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"type\":\"space\",\"name\":\"" + name + "\",\"organization\":\"podium-org\"}")
				.retrieve()
				.toBodilessEntity();
		}
	}

	private static List<String> concat(List<String> first, List<String> second) {
		return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
	}

	private String status(String id) {
		return this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class, id);
	}

	private void runUntil(BooleanSupplier condition) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofSeconds(30));
			return condition.getAsBoolean();
		});
	}

	/**
	 * The fake Hub starts before the context: it follows the context's clock once there
	 * is one.
	 */
	static final class ClockReference extends Clock {

		volatile Clock target = Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC);

		@Override
		public Instant instant() {
			return this.target.instant();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
