package dev.podium.sandbox.hub;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.client.RestClient;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Podium with the Hugging Face provider against the fake Hub, end to end: work enters
 * through the REST API, the scheduler drives it, and the fake's Spaces play the streaming
 * evaluation app (protocol v2) over real HTTP against this Podium. The clock is the
 * test's; every test starts with a Hub that knows no Space.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "podium.demo.enabled=false", "podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
				"podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY, "podium.data-dir=target/test-data",
				"podium.evaluation.scheduler-enabled=false", "podium.sandbox.provider=huggingface",
				"podium.hub.namespace=podium-org", "podium.hub.base-delay=10ms", "podium.hub.max-delay=40ms",
				"podium.budget.limit=1000", "podium.sandbox.ready-timeout=20m", "podium.sandbox.max-concurrent=60",
				"podium.evaluation.max-attempts=2", "podium.evaluation.retry-base-delay=1s",
				"podium.evaluation.workers=8", "podium.evaluation.max-sandboxes-per-scope=1",
				"podium.alerts.webhooks=http://127.0.0.1:9/alerts",
				"podium.alerts.webhook-secret=" + HuggingFaceProviderTests.WEBHOOK_SECRET,
				"podium.rate-limit.operator.capacity=1000000", "podium.rate-limit.participant.capacity=100000",
				"podium.rate-limit.sandbox.capacity=100000" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = FreshDatabaseInitializer.class)
@Import(TestClockConfiguration.class)
class HuggingFaceProviderTests {

	static final String HUB_TOKEN = "hf_organizer_write_token";

	static final String WEBHOOK_SECRET = "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";

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

	@Autowired
	MeterRegistry meters;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void freshHub() {
		// Time only moves forward here, as the Hub client's rate governor expects of a
		// clock; a new day also starts every participant's daily limit afresh.
		this.clock.advance(Duration.ofDays(1));
		clockReference.target = this.clock;
		hub.reset().buildTime(Duration.ofMinutes(3)).dailyCreationLimit(1000);
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.jdbc.update("delete from alert_deliveries");
		this.jdbc.update("delete from task_creation_blocks");
		this.jdbc.update("update creation_budgets set blocked_until = null, version = version + 1");
		this.api = new TestSupport(this.mvc);
		this.competition = "hub-" + (++competitions);
		this.api.createCompetition(this.competition, fileTask("labels", "PARTICIPANT", 1),
				TestSupport.modelTask("models"), modelTask("shared", "TASK", 2));
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		this.api.uploadSolution(this.competition, "models", SOLUTION);
		this.api.uploadSolution(this.competition, "shared", SOLUTION);
	}

	// ------------------------------------------------------------------ the happy path

	@Test
	void evaluatesInAPrivateSpaceThatGetsOnlyItsSandboxTokenAsASecretAndIsDeletedAfterwards() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).hasSize(1);
		String space = hub.createdSpaces().get(0);
		String sandboxId = sandboxOf(space);
		assertThat(hub.secretsAtCreation(space).keySet()).containsExactly("PODIUM_SANDBOX_TOKEN");
		assertThat(hub.secretsAtCreation(space).get("PODIUM_SANDBOX_TOKEN")).doesNotContain(HUB_TOKEN);
		assertThat(hub.variablesOf(space))
			.containsEntry("PODIUM_CALLBACK_URL", "http://127.0.0.1:" + port + "/api/sandboxes/" + sandboxId)
			.containsEntry("PODIUM_SANDBOX_ID", sandboxId);
		assertThat(hub.filesOf(space)).containsKeys("Dockerfile", "app.py");
		assertThat(hub.hardwareOf(space)).isEqualTo("cpu-basic");
		assertThat(hub.requests("POST", "/api/repos/create")).singleElement()
			.satisfies((request) -> assertThat(request.bodyText()).contains("\"visibility\":\"private\"")
				.doesNotContain("\"private\":"));

		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
		assertThat(hub.deletedSpaces()).containsExactly(space);
		assertThat(hub.appRuns()).singleElement().satisfies((run) -> {
			assertThat(run.state()).isEqualTo(AppRun.State.RETIRED);
			assertThat(run.jobs()).extracting(AppRun.Job::end).containsExactly("predictions 204");
		});
		assertThat(JsonPath.<Double>read(bodyOf(this.api.get(alice, "/api/submissions/{id}", id)), "$.publicScore"))
			.isEqualTo(0.8);
	}

	@Test
	void healthShowsTheHubsCircuit() {
		assertThat(this.api.get(ADMIN_TOKEN, "/actuator/health")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.components.hub.details.circuit")
			.isEqualTo("CLOSED");
	}

	@Test
	void creationsNeverExceedTheBudget() {
		changeBudget(2);
		for (int i = 0; i < 4; i++) {
			String token = this.api.addParticipant(this.competition, "p" + i);
			this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
		}
		for (int i = 0; i < 10; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofMinutes(2));
		}
		assertThat(hub.createdSpaces()).hasSize(2);
		runUntil(() -> hub.liveSpaces().isEmpty());
		changeBudget(1000);
	}

	// ------------------------------------------------------------------ the Hub's
	// refusals

	@Test
	void theCreationLimitRefundsBlocksUntilTheWindowResetsAlertsOnceAndDefersWork() {
		hub.dailyCreationLimit(0);
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String first = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		String second = this.api.submitFileId(bob, this.competition, "labels", PREDICTIONS);
		for (int i = 0; i < 3; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofSeconds(30));
		}
		String budget = bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget"));
		// no Retry-After, and the api bucket's t says nothing of creations: the window
		Instant blockedUntil = Instant.parse(JsonPath.read(budget, "$.blockedUntil"));
		assertThat(blockedUntil).isEqualTo(Instant.parse(JsonPath.read(budget, "$.resetsAt")));
		assertThat(JsonPath.<Integer>read(budget, "$.used")).as("refunded").isZero();
		assertThat(status(first)).isEqualTo("QUEUED");
		assertThat(status(second)).isEqualTo("QUEUED");
		assertThat(JsonPath.<String>read(bodyOf(this.api.get(alice, "/api/submissions/{id}", first)), "$.waitingFor"))
			.isEqualTo("BUDGET");
		// the two scopes' creates of the first round went out together; none after
		int attempts = hub.requests("POST", "/api/repos/create").size();
		assertThat(attempts).isBetween(1, 2);
		for (int i = 0; i < 5; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofMinutes(10));
		}
		assertThat(hub.requests("POST", "/api/repos/create")).as("no attempt while blocked").hasSize(attempts);
		assertThat(alerts("hub.rate-limited")).isEqualTo(1);

		hub.dailyCreationLimit(1000);
		this.clock.set(blockedUntil.plusSeconds(1));
		runUntil(() -> "SCORED".equals(status(first)) && "SCORED".equals(status(second)));
		assertThat(alerts("hub.rate-limited")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select max(attempts) from submissions", Integer.class)).isEqualTo(1);
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	@Test
	void theCreationLimitWithRetryAfterBlocksOnlyThatLong() {
		hub.dailyCreationLimit(0).creationLimitRetryAfter(Duration.ofHours(2));
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		Instant before = this.clock.instant();
		this.scheduler.runOnce();
		Instant blockedUntil = Instant
			.parse(JsonPath.read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.blockedUntil"));
		assertThat(blockedUntil).isBetween(before.plus(Duration.ofHours(2)),
				before.plus(Duration.ofHours(2)).plusSeconds(60));
		assertThat(status(id)).isEqualTo("QUEUED");

		hub.dailyCreationLimit(1000);
		this.clock.set(blockedUntil.plusSeconds(1));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(alerts("hub.rate-limited")).isEqualTo(1);
	}

	@Test
	void anEmptyApiBucketOnCreationWaitsForItsResetWithoutBlockingCreationsOrAlerting() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		hub.exhaustApiBucketNext("/api/repos/create", 1);
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		assertThat(hub.requests("POST", "/api/repos/create")).extracting(RecordedRequest::status).containsExactly(429);
		String budget = bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget"));
		assertThat(JsonPath.<String>read(budget, "$.blockedUntil")).as("not a creation limit").isNull();
		assertThat(JsonPath.<Integer>read(budget, "$.used")).as("the charge stands: the creation is still due")
			.isEqualTo(1);
		assertThat(hub.createdSpaces()).isEmpty();

		this.clock.advance(Duration.ofMinutes(5));
		runUntil(() -> hub.createdSpaces().size() == 1);
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(alerts("hub.rate-limited")).isZero();
		assertThat(JsonPath.<String>read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.blockedUntil")).isNull();
		assertThat(JsonPath.<Integer>read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.used")).isEqualTo(1);
	}

	@Test
	void aConflictingOperationIsRetriedAndNeverAdopted() {
		hub.conflictNextCreates(2);
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		runUntil(() -> hub.createdSpaces().size() == 1);
		assertThat(hub.requests("POST", "/api/repos/create")).extracting(RecordedRequest::status)
			.containsExactly(409, 409, 200);
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(hub.requests("POST", "/api/spaces/")).as("nothing adopted").isEmpty();
	}

	@Test
	void anAlreadyCreatedAnswerIsAdoptedOnlyOnceTheSpaceIsConfirmed() {
		// the 409 of a repeated create whose first answer was lost: the Space exists
		hub.answerAfterApplyNext("/api/repos/create", 1, 409);
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		runUntil(() -> hub.createdSpaces().size() == 1);
		String space = hub.createdSpaces().get(0);
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(hub.createdSpaces()).containsExactly(space);
		assertThat(hub.requests("POST", "/api/repos/create")).extracting(RecordedRequest::status).containsExactly(409);
		// adopted once the Hub confirmed it: its sandbox token stored again, in it
		assertThat(hub.requests("POST", "/api/spaces/" + space + "/secrets")).extracting(RecordedRequest::status)
			.containsExactly(200);
		assertThat(hub.secretsOf(space)).containsKey("PODIUM_SANDBOX_TOKEN");
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	@Test
	void anAlreadyCreatedAnswerForASpaceThatDoesNotExistIsNeverAdopted() {
		// a 409 "already created" where nothing exists: adopting it would wait for
		// nothing
		hub.failNext("/api/repos/create", 1, 409, null);
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		runUntil(() -> hub.createdSpaces().size() == 1);
		assertThat(hub.requests("POST", "/api/repos/create")).extracting(RecordedRequest::status)
			.containsExactly(409, 200);
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 402, 403 })
	void aDefinitiveRefusalIsRefundedAlertedFailsItsSubmissionWithoutRetryAndBlocksTheTask(int status) {
		if (status == 402) {
			hub.requirePaidPlan(true);
		}
		else {
			hub.failNext("/api/repos/create", 1, status, null);
		}
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		runUntil(() -> "FAILED".equals(status(id)));
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("PLATFORM");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).contains(String.valueOf(status));
		assertThat(this.jdbc.queryForObject("select attempts from submissions where id = ?::uuid", Integer.class, id))
			.as("not retried")
			.isLessThanOrEqualTo(1);
		assertThat(JsonPath.<Integer>read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.used")).as("refunded")
			.isZero();
		assertThat(alerts("sandbox.creation-refused")).isEqualTo(1);
		assertThat(bodyOf(this.api.get(ADMIN_TOKEN, "/api/operations/creation-blocks"))).contains("\"labels\"",
				"\"" + this.competition + "\"");

		// the task creates nothing more until an operator lifts the block
		hub.requirePaidPlan(false);
		String later = this.api.submitFileId(bob, this.competition, "labels", PREDICTIONS);
		for (int i = 0; i < 4; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofMinutes(1));
		}
		assertThat(status(later)).isEqualTo("QUEUED");
		assertThat(hub.requests("POST", "/api/repos/create")).hasSize(1);
		assertThat(alerts("sandbox.creation-refused")).isEqualTo(1);
		TestSupport.require(this.mvc.delete()
			.uri("/api/competitions/{c}/tasks/labels/creation-block", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"reason\":\"the namespace has a paid plan now\"}")
			.exchange(), 204);
		runUntil(() -> "SCORED".equals(status(later)));
	}

	@Test
	void aGatewayErrorAfterTheCreateWasDoneIsCheckedByNameNeverCreatedAgainNorRefunded() {
		hub.answerAfterApplyNext("/api/repos/create", 1, 502);
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(hub.createdSpaces()).hasSize(1);
		assertThat(hub.requests("POST", "/api/repos/create")).extracting(RecordedRequest::status).containsExactly(502);
		assertThat(JsonPath.<Integer>read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.used")).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from creation_charges where refunded_at is not null",
				Integer.class))
			.isZero();
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	@Test
	void transientHubFailuresNeverFailASubmission() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		hub.failNext(12, 503);
		hub.failNextHtml("/api/spaces", 3, 502);
		for (int i = 0; i < 6; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofMinutes(1));
		}
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
		assertThat(this.jdbc.queryForObject("select attempts from submissions where id = ?::uuid", Integer.class, id))
			.isEqualTo(1);
	}

	// ------------------------------------------------------------------ Spaces that fail

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
		assertThat(hub.createdSpaces()).as("max-attempts Spaces, no more").hasSize(2);
		assertThat(hub.deletedSpaces()).containsExactlyInAnyOrderElementsOf(hub.createdSpaces());
	}

	@Test
	void aBuildThatNeverFinishesTimesOutAndItsSpaceIsDeleted() {
		hub.buildNeverFinishes();
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).hasSize(1);
		String first = hub.createdSpaces().get(0);
		this.clock.advance(Duration.ofMinutes(21));
		runUntil(() -> hub.deletedSpaces().contains(first));
		assertThat(status(id)).isNotEqualTo("FAILED");
		hub.buildTime(Duration.ofMinutes(3));
		runUntil(() -> "SCORED".equals(status(id)) || "FAILED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	@Test
	void aSpacePausedRightAfterCreationIsDeletedAndItsWorkWaitsForAnother() {
		hub.pauseNewSpaces(true);
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).hasSize(1);
		String paused = hub.createdSpaces().get(0);
		assertThat(hub.stageOf(paused)).isEqualTo("PAUSED");
		runUntil(() -> hub.deletedSpaces().contains(paused));
		assertThat(status(id)).isNotEqualTo("FAILED");
		hub.pauseNewSpaces(false);
		runUntil(() -> "SCORED".equals(status(id)) || "FAILED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	@Test
	void aSpaceLostMidJobGivesItsJobBackAndAnotherSpaceEvaluatesIt() {
		hub.appJobTime(Duration.ofMinutes(3));
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		String first = hub.createdSpaces().get(0);
		this.clock.advance(Duration.ofMinutes(4));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> hub.appRuns().stream().anyMatch((run) -> !run.jobs().isEmpty())
					&& "EVALUATING".equals(status(id)));
		hub.loseSpace(first);
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(hub.createdSpaces()).hasSize(2);
		assertThat(hub.appRuns().get(0).jobs()).extracting(AppRun.Job::end).containsExactly("lost");
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<Double>read(body, "$.publicScore")).isEqualTo(0.8);
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	// ------------------------------------------------------------------ models and
	// tokens

	@Test
	void aGatedModelWithoutGrantedAccessIsRefusedAtIntakeBeforeAnySpaceOrCharge() {
		hub.addModel("meta/gated-model", "fedcba9876543210fedcba9876543210fedcba98", false, Set.of("main"), null)
			.gateModel("meta/gated-model", "manual", Set.of("hf_someone_granted"));
		String alice = this.api.addParticipant(this.competition, "alice");
		MvcTestResult result = submitModel(alice, "models", "meta/gated-model", null);
		assertThat(result).hasStatus(422)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/model-unusable");
		assertThat(bodyOf(result)).contains("meta/gated-model", "gated");
		assertThat(hub.requests("GET", "/api/models/meta/gated-model/auth-check")).singleElement()
			.satisfies(
					(request) -> assertThat(request.authorization()).as("as the Space will: without a token").isNull());
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).isEmpty();
		assertThat(this.jdbc.queryForObject("select count(*) from submissions", Integer.class)).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from creation_charges", Integer.class)).isZero();
	}

	@Test
	void aMissingModelIsRefusedAtIntakeBeforeAnySpaceOrCharge() {
		String alice = this.api.addParticipant(this.competition, "alice");
		MvcTestResult result = submitModel(alice, "models", "alice/nothing-here", null);
		assertThat(result).hasStatus(422)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/model-unusable");
		assertThat(bodyOf(result)).contains("alice/nothing-here");
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).isEmpty();
		assertThat(this.jdbc.queryForObject("select count(*) from submissions", Integer.class)).isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from creation_charges", Integer.class)).isZero();
	}

	@Test
	void aPrivateModelsTokenReachesOnlyItsOwnJobInASharedSpaceAndNeverASecret() {
		hub.addModel("alice/private-model", "0123456789abcdef0123456789abcdef01234567", true, Set.of("main"),
				"hf_alice_read");
		hub.addModel("bob/public-model", "89abcdef0123456789abcdef0123456789abcdef", false, Set.of("main"), null);
		hub.modelPredictions("alice/private-model", PREDICTIONS).modelPredictions("bob/public-model", PREDICTIONS);
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String aliceId = JsonPath.read(
				TestSupport.require(submitModel(alice, "shared", "alice/private-model", "hf_alice_read"), 201), "$.id");
		String bobId = JsonPath.read(TestSupport.require(submitModel(bob, "shared", "bob/public-model", null), 201),
				"$.id");
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).as("one Space serves the task").hasSize(1);
		String space = hub.createdSpaces().get(0);
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(aliceId)) && "SCORED".equals(status(bobId)));

		assertThat(hub.appRuns()).singleElement().satisfies((run) -> {
			Map<String, String> tokens = new java.util.HashMap<>();
			run.jobs().forEach((job) -> tokens.put(job.submissionId(), String.valueOf(job.hubToken())));
			assertThat(tokens).containsOnly(Map.entry(aliceId, "hf_alice_read"), Map.entry(bobId, "null"));
		});
		assertThat(hub.requests("GET", "/api/models/alice/private-model/auth-check"))
			.filteredOn((request) -> request.authorization() != null && !request.authorization().contains(HUB_TOKEN))
			.extracting(RecordedRequest::authorization)
			.containsOnly("Bearer hf_alice_read");
		assertThat(hub.requests("GET", "/api/models/bob/public-model/auth-check"))
			.extracting(RecordedRequest::authorization)
			.doesNotContain("Bearer hf_alice_read");
		for (Map<String, String> values : List.of(hub.secretsAtCreation(space), hub.secretsOf(space),
				hub.variablesOf(space))) {
			assertThat(values.values())
				.noneMatch((value) -> value.contains("hf_alice_read") || value.contains(HUB_TOKEN));
		}
		assertThat(hub.requests("POST", "/api/repos/create")).singleElement()
			.satisfies((request) -> assertThat(request.bodyText()).doesNotContain("hf_alice_read"));
		runUntil(() -> hub.liveSpaces().isEmpty());
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void noTokenEverReachesTheLog(CapturedOutput output) {
		hub.addModel("bob/private-model", "89abcdef0123456789abcdef0123456789abcdef", true, Set.of("main"),
				"hf_bob_read_secret");
		hub.modelPredictions("bob/private-model", PREDICTIONS);
		String bob = this.api.addParticipant(this.competition, "bob");
		String id = JsonPath.read(
				TestSupport.require(submitModel(bob, "models", "bob/private-model", "hf_bob_read_secret"), 201),
				"$.id");
		hub.failNext(2, 503);
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> hub.liveSpaces().isEmpty());
		String space = hub.createdSpaces().get(hub.createdSpaces().size() - 1);
		String sandboxToken = hub.secretsOf(space).get("PODIUM_SANDBOX_TOKEN");
		assertThat(output.getAll()).contains("status=SCORED")
			.doesNotContain(HUB_TOKEN)
			.doesNotContain("hf_bob_read_secret")
			.doesNotContain(sandboxToken)
			.doesNotContain(bob)
			.doesNotContain(ADMIN_TOKEN);
	}

	// ------------------------------------------------------------------ what is Podium's

	@Test
	void theReaperDeletesOnlyOrphansOfExactlyItsOwnNames() {
		String stem = "podium-eval-" + this.jdbc.queryForObject("select deployment_id from deployment", String.class)
				+ "-";
		String orphan = stem + UUID.randomUUID();
		List<String> foreign = List.of("notes-on-podium-eval-runs", "Podium-Eval-archive", "podium-eval-orphan",
				orphan + "-copy", stem + UUID.randomUUID().toString().toUpperCase(),
				stem.toUpperCase() + UUID.randomUUID(), "x-" + stem + UUID.randomUUID(),
				// a second deployment sharing the namespace (staging beside production)
				"podium-eval-staging1-" + UUID.randomUUID());
		for (String name : concat(foreign, List.of(orphan))) {
			createByHand(name);
		}
		this.clock.advance(Duration.ofHours(1));
		this.scheduler.runOnce();
		assertThat(hub.deletedSpaces()).containsExactly("podium-org/" + orphan);
		assertThat(hub.liveSpaces())
			.containsExactlyInAnyOrderElementsOf(foreign.stream().map((name) -> "podium-org/" + name).toList());
		assertThat(hub.requests("GET", "/api/spaces")).last()
			.satisfies((request) -> assertThat(request.query()).contains("author=podium-org", "expand=runtime"));
	}

	@Test
	void theStatusOfAllLiveSpacesTakesOnePagedListCallPerRound() {
		hub.maxPageSize(2).buildTime(Duration.ofMinutes(10));
		for (int i = 0; i < 5; i++) {
			String token = this.api.addParticipant(this.competition, "p" + i);
			this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
		}
		this.scheduler.runOnce();
		assertThat(hub.createdSpaces()).hasSize(5);
		// a foreign Space that the search returns too: listed, never asked about
		createByHand("notes-on-podium-eval-runs");
		int runtimesBefore = runtimeCalls();
		for (int round = 0; round < 6; round++) {
			this.clock.advance(Duration.ofSeconds(31));
			int listsBefore = firstPages();
			int pagesBefore = hub.requests("GET", "/api/spaces").size();
			this.scheduler.runOnce();
			assertThat(firstPages() - listsBefore).as("round %d: one list", round).isEqualTo(1);
			assertThat(hub.requests("GET", "/api/spaces").size() - pagesBefore).as("its pages (2 a page)").isEqualTo(3);
		}
		assertThat(runtimeCalls()).as("no Space asked about alone").isEqualTo(runtimesBefore);
		assertThat(hub.requests("GET", "/api/spaces")).allSatisfy(
				(request) -> assertThat(request.query()).contains("expand=runtime").doesNotContain("expand=foo"));
	}

	// ------------------------------------------------------------------ issue 10: one
	// hanging call

	@Test
	void aHubThatHangsOnOneCreateDelaysNoOtherSandbox() throws Exception {
		FakeHub.Hang hang = hub.hangNext("POST", "/api/repos/create", Duration.ofSeconds(60));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 11; i++) {
			String token = this.api.addParticipant(this.competition, "p" + i);
			ids.add(this.api.submitFileId(token, this.competition, "labels", PREDICTIONS));
		}
		// the round that hands out the creates waits for them all: not the test's thread
		CompletableFuture<Void> firstRound = CompletableFuture.runAsync(this.scheduler::runOnce);
		assertThat(hang.awaitEntered(Duration.ofSeconds(30))).isTrue();
		this.clock.advance(Duration.ofMinutes(4));
		runUntil(() -> ids.stream().filter((id) -> "SCORED".equals(status(id))).count() == 10);
		assertThat(hang.isHanging()).as("the Hub still holds the hanging create").isTrue();
		assertThat(ids.stream().filter((id) -> !"SCORED".equals(status(id))).toList()).singleElement()
			.satisfies((id) -> assertThat(status(id)).isEqualTo("QUEUED"));

		hang.release();
		runUntil(() -> ids.stream().allMatch((id) -> "SCORED".equals(status(id))));
		runUntil(() -> hub.liveSpaces().isEmpty());
		firstRound.get();
	}

	// ------------------------------------------------------------------ benchmark

	/**
	 * Hub calls per evaluation with 10, 25 and 50 live Spaces building 5 minutes and
	 * evaluating 2 minutes a job under the free quota (1000 api requests per 300 s, which
	 * the fake enforces), on a moved clock: {@code -Dpodium.bench=hub}.
	 */
	@Test
	@EnabledIfSystemProperty(named = "podium.bench", matches = "hub")
	void benchmarkHubCallsPerEvaluation() {
		List<String> rows = new ArrayList<>();
		for (int spaces : new int[] { 10, 25, 50 }) {
			freshHub();
			hub.buildTime(Duration.ofMinutes(5)).appJobTime(Duration.ofMinutes(2)).apiQuota(1000);
			String slug = "bench-" + spaces + "-" + competitions;
			this.api.createCompetition(slug, fileTask("labels", "PARTICIPANT", 3));
			this.api.uploadSolution(slug, "labels", SOLUTION);
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < spaces; i++) {
				String token = this.api.addParticipant(slug, "b" + i);
				// three different files: the same one again would be refused as a
				// duplicate
				for (String predictions : List.of(PREDICTIONS, PREDICTIONS.replace("9,0", "9,1"),
						PREDICTIONS.replace("8,0", "8,1"))) {
					ids.add(this.api.submitFileId(token, slug, "labels", predictions));
				}
			}
			Map<String, Double> before = hubCalls();
			Map<String, Double> kindsBefore = hubCallsByKind();
			Instant start = this.clock.instant();
			long wall = System.nanoTime();
			// the reference: one runtime call per live Space each time the engine looked
			long[] perSpace = new long[1];
			await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
				int lists = firstPages();
				this.scheduler.runOnce();
				if (firstPages() > lists) {
					perSpace[0] += hub.liveSpaces().size();
				}
				this.clock.advance(Duration.ofSeconds(5));
				return ids.stream().allMatch((id) -> "SCORED".equals(status(id))) && hub.liveSpaces().isEmpty();
			});
			Map<String, Double> after = hubCalls();
			Map<String, Double> kinds = hubCallsByKind();
			kindsBefore.forEach((kind, count) -> kinds.merge(kind, -count, Double::sum));
			double total = after.values().stream().mapToDouble(Double::doubleValue).sum()
					- before.values().stream().mapToDouble(Double::doubleValue).sum();
			double limited = after.getOrDefault("rate_limited", 0.0) - before.getOrDefault("rate_limited", 0.0);
			long hub429 = hub.requests().stream().filter((request) -> request.status() == 429).count();
			double watching = kinds.getOrDefault("spaces.list", 0.0) + kinds.getOrDefault("spaces.runtime", 0.0);
			rows.add(
					"| %d | %d | %.0f | %.2f | %.0f / %.0f / %.0f / %.0f | %.2f | %.2f (%.0fx) | %.0f | %d | %d | %.0f |"
						.formatted(spaces, ids.size(), total, total / ids.size(),
								kinds.getOrDefault("repos.create", 0.0), kinds.getOrDefault("repos.delete", 0.0),
								kinds.getOrDefault("spaces.list", 0.0), kinds.getOrDefault("spaces.runtime", 0.0),
								watching / ids.size(), (double) perSpace[0] / ids.size(),
								perSpace[0] / Math.max(1, watching), limited, hub429,
								Duration.between(start, this.clock.instant()).toMinutes(),
								(System.nanoTime() - wall) / 1e9));
		}
		System.out.println(
				"""

						Hub calls per evaluation (3 jobs of 2 min per Space, builds of 5 min, api quota 1000 / 300 s)
						| live Spaces | evaluations | Hub calls | per evaluation | create / delete / list / runtime | status calls per evaluation | per-Space runtime calls per evaluation (reference) | api 429s (client) | 429s (fake Hub) | clock minutes | wall s |
						|---|---|---|---|---|---|---|---|---|---|---|""");
		rows.forEach(System.out::println);
	}

	// ------------------------------------------------------------------ support

	/** {@code podium_hub_calls_total} summed by outcome. */
	private Map<String, Double> hubCalls() {
		Map<String, Double> byOutcome = new java.util.TreeMap<>();
		for (Counter counter : this.meters.find("podium.hub.calls").counters()) {
			byOutcome.merge(counter.getId().getTag("outcome"), counter.count(), Double::sum);
		}
		return byOutcome;
	}

	/** {@code podium_hub_calls_total} summed by kind of call. */
	private Map<String, Double> hubCallsByKind() {
		Map<String, Double> byKind = new java.util.TreeMap<>();
		for (Counter counter : this.meters.find("podium.hub.calls").counters()) {
			byKind.merge(counter.getId().getTag("call"), counter.count(), Double::sum);
		}
		return byKind;
	}

	private int firstPages() {
		return (int) hub.requests("GET", "/api/spaces")
			.stream()
			.filter((request) -> request.path().equals("/api/spaces") && !request.query().contains("cursor="))
			.count();
	}

	private int runtimeCalls() {
		return (int) hub.requests()
			.stream()
			.filter((request) -> request.method().equals("GET") && request.path().endsWith("/runtime"))
			.count();
	}

	private static String fileTask(String slug, String scope, int evaluationsPerSandbox) {
		return """
				{"slug":"%s","title":"Task %s","submissionKind":"FILE","evaluation":"SANDBOX","metric":"accuracy_score",
				 "dailySubmissionLimit":5,"selectionLimit":2,"idColumn":"id","maxFileBytes":2048,
				 "reuseScope":"%s","evaluationsPerSandbox":%d}
				""".formatted(slug, slug, scope, evaluationsPerSandbox);
	}

	private static String modelTask(String slug, String scope, int evaluationsPerSandbox) {
		return """
				{"slug":"%s","title":"Task %s","submissionKind":"MODEL","evaluation":"SANDBOX","metric":"accuracy_score",
				 "dailySubmissionLimit":5,"reuseScope":"%s","evaluationsPerSandbox":%d}
				"""
			.formatted(slug, slug, scope, evaluationsPerSandbox);
	}

	private MvcTestResult submitModel(String token, String task, String model, String accessToken) {
		String body = (accessToken != null) ? "{\"model\":\"%s\",\"accessToken\":\"%s\"}".formatted(model, accessToken)
				: "{\"model\":\"%s\"}".formatted(model);
		return this.mvc.post()
			.uri("/api/competitions/{c}/tasks/{t}/submissions", this.competition, task)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
	}

	private void changeBudget(int limit) {
		TestSupport.require(this.mvc.put()
			.uri("/api/budget")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"limit\":" + limit + ",\"reason\":\"test\"}")
			.exchange(), 200);
	}

	private static void createByHand(String name) {
		RestClient.create()
			.post()
			.uri(hub.url() + "/api/repos/create")
			.header(HttpHeaders.AUTHORIZATION, bearer(HUB_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"type\":\"space\",\"name\":\"" + name
					+ "\",\"organization\":\"podium-org\",\"sdk\":\"docker\",\"visibility\":\"private\"}")
			.retrieve()
			.toBodilessEntity();
	}

	private int alerts(String type) {
		Integer count = this.jdbc.queryForObject("select count(*) from alert_deliveries where type = ?", Integer.class,
				type);
		return (count != null) ? count : 0;
	}

	private String sandboxOf(String space) {
		return this.jdbc.queryForObject("select id::text from sandboxes where name = ?", String.class,
				space.substring(space.indexOf('/') + 1));
	}

	private static List<String> concat(List<String> first, List<String> second) {
		return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
	}

	private String status(String id) {
		return this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class, id);
	}

	private void runUntil(BooleanSupplier condition) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
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
