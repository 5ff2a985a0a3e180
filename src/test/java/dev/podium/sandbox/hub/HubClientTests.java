package dev.podium.sandbox.hub;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.sandbox.SandboxNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The client against the fake Hub, with a clock that the client's own waits move: a wait
 * is recorded and time passes, without sleeping. Each of the Hub's answers must come out
 * as the outcome that names what it meant.
 */
class HubClientTests {

	static final String TOKEN = "hf_podium_write_token_do_not_leak_42";

	static final String NAMESPACE = "podium-org";

	private static final String SPACE = "podium-eval-1";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

	private final List<Duration> waits = new CopyOnWriteArrayList<>();

	private final Pause pause = (duration) -> {
		this.waits.add(duration);
		this.clock.advance(duration);
	};

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private FakeHub hub;

	private HubClient client;

	@BeforeEach
	void start() {
		this.hub = new FakeHub(this.clock, TOKEN, NAMESPACE).start();
		this.client = client(1000, Duration.ofSeconds(5), Duration.ofSeconds(30));
	}

	@AfterEach
	void stop() {
		this.hub.close();
	}

	// ------------------------------------------------------------------ create

	@Test
	void createsAPrivateDockerSpaceWithItsFilesSendingVisibilityOnly() {
		Map<String, String> secrets = Map.of("PODIUM_CALLBACK_URL", "https://podium.example/api/sandboxes/1",
				"PODIUM_SANDBOX_TOKEN", "sbx-1");

		CreateOutcome outcome = this.client.createSpace(SPACE, "t4-small", secrets, Map.of("PODIUM_TASK", "t"),
				Map.of("Dockerfile", "FROM python:3.12\n".getBytes(StandardCharsets.UTF_8)));

		assertThat(outcome).isEqualTo(new CreateOutcome.Created(NAMESPACE + "/" + SPACE));
		assertThat(this.hub.requests("POST", "/api/repos/create")).singleElement().satisfies((request) -> {
			assertThat(request.bodyText()).contains("\"type\":\"space\"", "\"name\":\"" + SPACE + "\"",
					"\"organization\":\"" + NAMESPACE + "\"", "\"sdk\":\"docker\"", "\"visibility\":\"private\"",
					"\"hardware\":\"t4-small\"");
			assertThat(request.bodyText()).doesNotContain("\"private\":");
		});
		assertThat(this.hub.secretsAtCreation(SPACE)).isEqualTo(secrets);
		assertThat(this.hub.variablesOf(SPACE)).isEqualTo(Map.of("PODIUM_TASK", "t"));
		assertThat(this.hub.hardwareOf(SPACE)).isEqualTo("t4-small");
		assertThat(this.hub.filesOf(SPACE).get("Dockerfile")).asString(StandardCharsets.UTF_8)
			.isEqualTo("FROM python:3.12\n");
		assertThat(this.hub.requests())
			.allSatisfy((request) -> assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN));
	}

	@Test
	void adoptsAnExistingSpaceOnlyOnceTheHubConfirmsIt() {
		create(SPACE);

		CreateOutcome again = create(SPACE);

		assertThat(again).isInstanceOfSatisfying(CreateOutcome.AlreadyExists.class, (existing) -> {
			assertThat(existing.id()).isEqualTo(NAMESPACE + "/" + SPACE);
			assertThat(existing.runtime().stage()).isEqualTo("BUILDING");
		});
		assertThat(this.hub.requests()).extracting(RecordedRequest::toString)
			.containsExactly("POST /api/repos/create -> 200", "POST /api/repos/create -> 409",
					"GET /api/spaces/podium-org/podium-eval-1/runtime -> 200");
		assertThat(this.hub.createdSpaces()).hasSize(1);
	}

	@Test
	void neverAdoptsAnAlreadyCreatedAnswerForASpaceThatDoesNotExist() {
		this.hub.failNext("/api/repos/create", 1, 409, null);

		CreateOutcome outcome = create(SPACE);

		assertThat(outcome).isInstanceOfSatisfying(CreateOutcome.Unknown.class,
				(unknown) -> assertThat(unknown.reason()).contains("409", "does not exist"));
		assertThat(this.hub.liveSpaces()).isEmpty();
	}

	@Test
	void retriesTheConflictingOperationWithBackoffAndNeverAdoptsIt() {
		this.hub.conflictNextCreates(2);

		CreateOutcome outcome = create(SPACE);

		assertThat(outcome).isInstanceOf(CreateOutcome.Created.class);
		assertThat(this.hub.requests()).extracting(RecordedRequest::status).containsExactly(409, 409, 200);
		assertThat(this.waits).hasSize(2)
			.allSatisfy((wait) -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofSeconds(2)));
	}

	@Test
	void aConflictingOperationThroughEveryAttemptIsThrottledNotAdopted() {
		this.hub.conflictNextCreates(100);

		CreateOutcome outcome = create(SPACE);

		assertThat(outcome).isInstanceOfSatisfying(CreateOutcome.Throttled.class, (throttled) -> {
			assertThat(throttled.retryAt()).isAfter(this.clock.instant());
			assertThat(throttled.reason()).contains("conflicting operation");
		});
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(5);
		assertThat(this.hub.requests("GET", "/api/spaces")).isEmpty();
	}

	@Test
	void theCreationLimitIsToldApartFromTheApiBucketAndStallsNothingElse() {
		this.hub.dailyCreationLimit(1);
		create(SPACE);

		CreateOutcome outcome = create("podium-eval-2");

		assertThat(outcome).isInstanceOfSatisfying(CreateOutcome.CreationLimited.class, (limited) -> {
			assertThat(limited.retryAt()).as("no Retry-After: until the budget window resets").isNull();
			assertThat(limited.message()).contains("rate limit for repository creation");
		});
		RecordedRequest refused = this.hub.requests("POST", "/api/repos/create").get(1);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(2);
		// The api bucket had room: its t= is no reason to hold any call.
		assertThat(this.client.runtime(SPACE)).isInstanceOf(RuntimeOutcome.Known.class);
		assertThat(this.waits).isEmpty();
		assertThat(this.meters.get("podium.hub.calls")
			.tag("call", "repos.create")
			.tag("outcome", "limited")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void aCreationLimitWithRetryAfterBlocksUntilThen() {
		this.hub.dailyCreationLimit(0).creationLimitRetryAfter(Duration.ofHours(2));

		assertThat(create(SPACE))
			.isEqualTo(new CreateOutcome.CreationLimited(this.clock.instant().plus(Duration.ofHours(2)),
					"You have exceeded the rate limit for repository creation (0 per day)."));
	}

	@Test
	void aCreate429WithoutHeadersIsACreationLimit() {
		this.hub.failNextBare("/api/repos/create", 1, 429);

		assertThat(create(SPACE)).isInstanceOfSatisfying(CreateOutcome.CreationLimited.class,
				(limited) -> assertThat(limited.retryAt()).isNull());
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(1);
	}

	@Test
	void anEmptyApiBucketOnCreateIsThrottledUntilItsResetNeverACreationBlock() {
		this.hub.apiQuota(2);
		// Another replica with the same token spent the bucket: this client knows
		// nothing.
		HubClient replica = client(1000, Duration.ofSeconds(5), Duration.ofSeconds(30));
		replica.runtime("podium-eval-9");
		replica.runtime("podium-eval-9");

		CreateOutcome outcome = create(SPACE);

		assertThat(outcome).isInstanceOfSatisfying(CreateOutcome.Throttled.class,
				(throttled) -> assertThat(throttled.retryAt()).isEqualTo(Instant.parse("2026-11-23T10:05:01Z")));
		assertThat(this.hub.liveSpaces()).isEmpty();
		// now the client knows the bucket is empty: it does not call again before the
		// reset
		assertThat(create(SPACE)).isInstanceOf(CreateOutcome.Throttled.class);
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(1);
	}

	@Test
	void podiumsOwnLimiterThrottlesACreateWithoutSendingIt() {
		this.client = client(2, Duration.ofSeconds(5), Duration.ofSeconds(30));
		this.client.runtime("podium-eval-9");
		this.client.runtime("podium-eval-9");

		CreateOutcome outcome = create(SPACE);

		assertThat(outcome).isInstanceOfSatisfying(CreateOutcome.Throttled.class,
				(throttled) -> assertThat(throttled.retryAt()).isAfter(this.clock.instant()));
		assertThat(this.hub.requests("POST", "/api/repos/create")).isEmpty();
		assertThat(this.meters.get("podium.hub.rate_limited").tag("by", "client").counter().count()).isEqualTo(1);
	}

	@Test
	void aServerErrorOnCreateIsUnknownAndNeverResent() {
		this.hub.failNext("/api/repos/create", 1, 502, null);

		assertThat(create(SPACE)).isInstanceOfSatisfying(CreateOutcome.Unknown.class,
				(unknown) -> assertThat(unknown.reason()).contains("502", "may exist"));
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(1);
		assertThat(this.waits).isEmpty();
	}

	@Test
	void aGatewaysHtmlPageOnCreateIsUnknown() {
		this.hub.failNextHtml("/api/repos/create", 1, 503);

		assertThat(create(SPACE)).isInstanceOfSatisfying(CreateOutcome.Unknown.class,
				(unknown) -> assertThat(unknown.reason()).contains("503", "HTML page",
						"Service Temporarily Unavailable"));
	}

	@Test
	void aCreateWhoseAnswerTimedOutIsUnknownAndTheSpaceMayWellExist() {
		this.client = client(1000, Duration.ofSeconds(5), Duration.ofMillis(300));
		this.hub.delayNext("/api/repos/create", 1, Duration.ofSeconds(1));

		assertThat(create(SPACE)).isInstanceOfSatisfying(CreateOutcome.Unknown.class,
				(unknown) -> assertThat(unknown.reason()).contains("did not answer"));

		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSizeLessThanOrEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.hub.liveSpaces().contains(NAMESPACE + "/" + SPACE));
		assertThat(this.client.runtime(SPACE)).isInstanceOf(RuntimeOutcome.Known.class);
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(1);
	}

	@Test
	void definitiveRefusalsAreRefusedWithTheHubsWords() {
		assertThat(this.client.createSpace(SPACE, "h100-mega", Map.of(), Map.of(), Map.of()))
			.isInstanceOfSatisfying(Refused.class, (refused) -> {
				assertThat(refused.status()).isEqualTo(400);
				assertThat(refused.message()).contains("h100-mega");
			});

		this.hub.requirePaidPlan(true);
		assertThat(create(SPACE)).isInstanceOfSatisfying(Refused.class,
				(refused) -> assertThat(refused.describe()).contains("402", "PRO users"));

		HubClient elsewhere = new HubClient(new HubProperties(this.hub.url(), TOKEN, "someone-else", 1000,
				Duration.ofSeconds(300), 5, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(5),
				Duration.ofSeconds(2), Duration.ofSeconds(30)), this.clock, this.meters, this.pause);
		assertThat(elsewhere.createSpace(SPACE, "cpu-basic", Map.of(), Map.of(), Map.of()))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.status()).isEqualTo(403));
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(3);
		assertThat(this.hub.liveSpaces()).isEmpty();
	}

	@Test
	void anOpenCircuitMakesACreateUnavailableWithoutSendingIt() {
		this.hub.failNext("/api/spaces", 100, 500, null);
		this.client.runtime("podium-eval-9");
		this.client.runtime("podium-eval-9");
		assertThat(this.client.circuitState()).isEqualTo(CircuitState.OPEN);

		assertThat(create(SPACE)).isInstanceOfSatisfying(Unavailable.class,
				(unavailable) -> assertThat(unavailable.retryAt()).isEqualTo(this.clock.instant().plusSeconds(30)));
		assertThat(this.hub.requests("POST", "/api/repos/create")).isEmpty();
	}

	@Test
	void refusesSpaceNamesTheHubWouldRefuse() {
		for (String name : List.of("../podium-eval-1", "-podium", "podium-", ".podium", "podium.", "a--b", "a..b",
				"podium.git", "x".repeat(97))) {
			assertThatIllegalArgumentException().as(name).isThrownBy(() -> create(name));
		}
		assertThat(RepoNames.isValidName("podium-eval-" + UUID.randomUUID())).isTrue();
		assertThat(RepoNames.isValidName("Foo-BAR_foo.bar123")).isTrue();
		assertThat(RepoNames.isValidId("google-bert/bert-base-uncased")).isTrue();
		assertThat(RepoNames.isValidId("gpt2")).isTrue();
		assertThat(RepoNames.isValidId("datasets/foo/bar")).isFalse();
		assertThat(RepoNames.isValidId("-ns/model")).isFalse();
		assertThat(this.hub.requests()).isEmpty();
	}

	// ------------------------------------------------------------------ delete, runtime

	@Test
	void deletesAndCountsRepoNotFoundAsDeleted() {
		create(SPACE);

		assertThat(this.client.deleteSpace(SPACE)).isEqualTo(new DeleteOutcome.Deleted(true));
		assertThat(this.client.deleteSpace(SPACE)).isEqualTo(new DeleteOutcome.Deleted(false));

		assertThat(this.hub.liveSpaces()).isEmpty();
		assertThat(this.hub.requests("DELETE", "/api/repos/delete")).extracting(RecordedRequest::status)
			.containsExactly(200, 404);
	}

	@Test
	void aDeleteThatKeepsFailingIsUnavailable() {
		create(SPACE);
		this.hub.failNext("/api/repos/delete", 5, 503, null);

		assertThat(this.client.deleteSpace(SPACE)).isInstanceOf(Unavailable.class);
		assertThat(this.hub.liveSpaces()).hasSize(1);
		assertThat(this.hub.requests("DELETE", "/api/repos/delete")).hasSize(5);
	}

	@Test
	void readsEveryStageOnTheWayAndTheOnesThatStop() {
		this.hub.buildTime(Duration.ofMinutes(2)).appStartTime(Duration.ofMinutes(1));
		create(SPACE);
		assertThat(phase()).isEqualTo("BUILDING/STARTING");
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(phase()).isEqualTo("APP_STARTING/STARTING");
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(phase()).isEqualTo("RUNNING/RUNNING");
		assertThat(this.client.putSecret(SPACE, "K", "V")).isInstanceOf(SecretOutcome.Stored.class);
		assertThat(phase()).isEqualTo("RUNNING_BUILDING/STARTING");
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(phase()).isEqualTo("RUNNING_APP_STARTING/STARTING");

		this.hub.failRuntimes("exec /app/run.sh: no such file");
		this.clock.advance(Duration.ofMinutes(1));
		RuntimeOutcome crashed = this.client.runtime(SPACE);
		assertThat(crashed).isEqualTo(new RuntimeOutcome.Known(
				new SpaceRuntime("RUNTIME_ERROR", "exec /app/run.sh: no such file", "cpu-basic", null)));
		assertThat(((RuntimeOutcome.Known) crashed).runtime().phase()).isEqualTo(SpaceRuntime.Phase.FAILED);

		this.hub.stage(SPACE, "SOMETHING_NEW");
		assertThat(phase()).isEqualTo("SOMETHING_NEW/UNKNOWN");
	}

	@Test
	void aSpacePausedRightAfterCreationIsHalted() {
		this.hub.pauseNewSpaces(true);
		create(SPACE);
		assertThat(phase()).isEqualTo("PAUSED/HALTED");
	}

	@Test
	void aMissingSpaceIsMissingAndRefusalsDoNotOpenTheCircuit() {
		for (int i = 0; i < 15; i++) {
			assertThat(this.client.runtime("missing")).isEqualTo(new RuntimeOutcome.Missing());
		}
		assertThat(this.client.putSecret("missing", "K", "V")).isEqualTo(new SecretOutcome.Missing());
		assertThat(this.client.circuitState()).isEqualTo(CircuitState.CLOSED);
	}

	// ------------------------------------------------------------------ retries, quota,
	// circuit

	@Test
	void retriesA5xxBurstWithFullJitterWithinBounds() {
		create(SPACE);
		this.hub.failNext("/api/spaces", 4, 503, null);

		assertThat(phase()).isEqualTo("BUILDING/STARTING");

		assertThat(this.hub.requests("GET", "/api/spaces")).extracting(RecordedRequest::status)
			.containsExactly(503, 503, 503, 503, 200);
		assertThat(this.waits).hasSize(4);
		List<Duration> ceilings = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
				Duration.ofSeconds(8));
		for (int i = 0; i < 4; i++) {
			assertThat(this.waits.get(i)).isBetween(Duration.ZERO, ceilings.get(i));
		}
		assertThat(this.meters.get("podium.hub.retries").tag("call", "spaces.runtime").counter().count()).isEqualTo(4);
		assertThat(this.meters.get("podium.hub.calls")
			.tag("call", "spaces.runtime")
			.tag("outcome", "server_error")
			.counter()
			.count()).isEqualTo(4);
		assertThat(this.meters.get("podium.hub.calls")
			.tag("call", "spaces.runtime")
			.tag("outcome", "ok")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void retriesHeaderless429sAndHtmlGatewayPagesOnReads() {
		create(SPACE);
		this.hub.failNextBare("/api/spaces", 1, 429).failNextHtml("/api/spaces", 1, 502);

		assertThat(phase()).isEqualTo("BUILDING/STARTING");

		assertThat(this.hub.requests("GET", "/api/spaces")).extracting(RecordedRequest::status)
			.containsExactly(429, 502, 200);

		this.hub.failNextHtml("/api/spaces", 5, 504);
		assertThat(this.client.runtime(SPACE)).isInstanceOfSatisfying(Unavailable.class,
				(unavailable) -> assertThat(unavailable.reason()).contains("504", "HTML page"));
	}

	@Test
	void jitterDrawsAcrossTheWholeRangeAndStopsAtMaxDelay() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
		assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofSeconds(8));
		assertThat(backoff.ceiling(40)).isEqualTo(Duration.ofSeconds(8));
		List<Duration> delays = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			delays.add(backoff.delay(3));
		}
		assertThat(delays).allSatisfy((delay) -> assertThat(delay).isBetween(Duration.ZERO, Duration.ofSeconds(4)));
		assertThat(delays).anySatisfy((delay) -> assertThat(delay).isLessThan(Duration.ofSeconds(1)));
		assertThat(delays).anySatisfy((delay) -> assertThat(delay).isGreaterThan(Duration.ofSeconds(3)));
	}

	@Test
	void neverRetriesSoonerThanRetryAfter() {
		create(SPACE);
		this.hub.failNext("/api/spaces", 2, 503, Duration.ofSeconds(3));
		this.hub.failNext("/api/spaces", 1, 429, Duration.ofSeconds(4));

		this.client.runtime(SPACE);

		assertThat(this.waits).hasSize(3);
		assertThat(this.waits.subList(0, 2)).containsOnly(Duration.ofSeconds(3));
		assertThat(this.waits.get(2)).isEqualTo(Duration.ofSeconds(4));
		assertThat(this.meters.get("podium.hub.rate_limited").tag("by", "hub").counter().count()).isEqualTo(1);
	}

	@Test
	void waitsForTheApiBucketsResetPlusASecondOnAnEmptyBucket() {
		this.client = client(1000, Duration.ofMinutes(10), Duration.ofSeconds(30));
		this.hub.apiQuota(2);
		HubClient replica = client(1000, Duration.ofSeconds(5), Duration.ofSeconds(30));
		replica.runtime("podium-eval-9");
		this.clock.advance(Duration.ofSeconds(60));
		replica.runtime("podium-eval-9");

		assertThat(this.client.runtime("podium-eval-9")).isEqualTo(new RuntimeOutcome.Missing());

		// t=240 at the 429, plus one second, as the official client waits
		assertThat(this.waits).containsExactly(Duration.ofSeconds(241));
		assertThat(this.meters.get("podium.hub.calls").tag("outcome", "rate_limited").counter().count()).isEqualTo(1);
	}

	@Test
	void turnsALongRetryAfterIntoUnavailableInsteadOfASleep() {
		create(SPACE);
		this.hub.failNext("/api/spaces", 1, 429, Duration.ofSeconds(90));
		Instant now = this.clock.instant();

		assertThat(this.client.runtime(SPACE)).isInstanceOfSatisfying(Unavailable.class,
				(unavailable) -> assertThat(unavailable.retryAt()).isEqualTo(now.plusSeconds(90)));
		assertThat(this.waits).isEmpty();
		assertThat(this.hub.requests("GET", "/api/spaces")).hasSize(1);
	}

	@Test
	void pollsUnderATinyAnnouncedQuotaWithoutDrawingA429() {
		this.client = client(1000, Duration.ofMinutes(6), Duration.ofSeconds(30));
		this.hub.apiQuota(4);
		create(SPACE);

		for (int i = 0; i < 12; i++) {
			this.client.runtime(SPACE);
		}

		assertThat(this.hub.requests()).hasSize(13)
			.allSatisfy((request) -> assertThat(request.status()).isEqualTo(200));
		// 13 calls at 4 a window: three holds until the window reset.
		assertThat(this.waits).hasSize(3)
			.allSatisfy((wait) -> assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(300)));
		assertThat(this.client.quota().limit()).isEqualTo(4);
		assertThat(this.client.quota().announced()).isTrue();
	}

	@Test
	void defersWhenTheQuotaHoldIsLongerThanAnInlineWait() {
		this.hub.apiQuota(3);
		create(SPACE);
		this.client.runtime(SPACE);
		this.client.runtime(SPACE);
		assertThat(this.client.quota()).isEqualTo(new QuotaSnapshot(3, 0, Instant.parse("2026-11-23T10:05:00Z"), true));

		assertThat(this.client.runtime(SPACE)).isEqualTo(new Unavailable(Instant.parse("2026-11-23T10:05:00Z"),
				"the Hub's API quota is spent until 2026-11-23T10:05:00Z; spaces.runtime waits"));
		assertThat(this.hub.requests()).hasSize(3);
		assertThat(this.meters.get("podium.hub.rate_limited").tag("by", "client").counter().count()).isEqualTo(1);
	}

	@Test
	void keepsUnderItsOwnLimitWithinItsCurrentWindow() {
		this.client = client(2, Duration.ofSeconds(5), Duration.ofSeconds(30));
		create(SPACE);
		this.client.runtime(SPACE);

		assertThat(this.client.runtime(SPACE)).isInstanceOfSatisfying(Unavailable.class,
				(unavailable) -> assertThat(unavailable.retryAt()).isEqualTo(this.clock.instant().plusSeconds(300)));
		assertThat(this.hub.requests()).hasSize(2);
	}

	@Test
	void callsWithAnotherTokenLeavePodiumsBucketAlone() {
		this.hub.apiQuota(5).addModel("alice/model", "a".repeat(40), true, Set.of(), "hf_alice_read");
		this.client.runtime("podium-eval-9");
		assertThat(this.client.quota().remaining()).isEqualTo(4);

		for (int i = 0; i < 3; i++) {
			this.client.resolveModel("alice/model", null, "hf_alice_read");
		}

		assertThat(this.client.quota().remaining()).isEqualTo(4);
	}

	@Test
	void opensTheCircuitAfterAFailureStreakAndFailsFast() {
		create(SPACE);
		this.hub.failNext("/api/spaces", 100, 500, null);

		assertThat(this.client.runtime(SPACE)).isInstanceOfSatisfying(Unavailable.class,
				(unavailable) -> assertThat(unavailable.reason()).contains("500"));
		assertThat(this.client.runtime(SPACE)).isInstanceOf(Unavailable.class);
		assertThat(this.client.circuitState()).isEqualTo(CircuitState.OPEN);
		int calls = this.hub.requests().size();

		assertThat(this.client.runtime(SPACE)).isInstanceOfSatisfying(Unavailable.class,
				(unavailable) -> assertThat(unavailable.reason()).contains("failed repeatedly"));
		assertThat(this.hub.requests()).hasSize(calls);
		assertThat(this.meters.get("podium.hub.circuit_state").gauge().value()).isEqualTo(1);

		this.hub.clearTrouble();
		this.clock.advance(Duration.ofSeconds(31));
		for (int i = 0; i < 3; i++) {
			this.client.runtime(SPACE);
		}
		assertThat(this.client.circuitState()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void retriesAReadWhenTheHubIsTooSlowToAnswer() {
		this.client = client(1000, Duration.ofSeconds(5), Duration.ofMillis(300));
		create(SPACE);
		this.hub.delayNext("/api/spaces", 1, Duration.ofSeconds(2));

		assertThat(phase()).isEqualTo("BUILDING/STARTING");
		assertThat(this.waits).hasSize(1);
		assertThat(this.meters.get("podium.hub.calls").tag("outcome", "io_error").counter().count()).isEqualTo(1);
	}

	// ------------------------------------------------------------------ list

	@Test
	void listsOnlyThisDeploymentsNamesWithRuntimeAndCreationTimeAcrossPages() {
		SandboxNames names = new SandboxNames("podium-eval", "abcd");
		this.hub.dailyCreationLimit(1000).maxPageSize(50);
		List<String> own = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			String name = names.nameOf(UUID.randomUUID());
			own.add(name);
			create(name);
		}
		UUID stray = UUID.randomUUID();
		for (String foreign : List.of("notes-on-podium-eval-abcd-runs", "Podium-Eval-Abcd-archive",
				"podium-eval-wxyz-" + stray, "podium-eval-abcd-" + stray.toString().toUpperCase(),
				"podium-eval-abcd-" + stray + "-copy", "podium-eval-" + stray, "x-podium-eval-abcd-" + stray)) {
			create(foreign);
		}
		this.hub.stage(own.get(7), "RUNNING");

		ListOutcome outcome = this.client.listSpaces(names);

		assertThat(outcome).isInstanceOfSatisfying(ListOutcome.Listed.class, (listed) -> {
			assertThat(listed.spaces()).extracting(SpaceSummary::name).containsExactlyInAnyOrderElementsOf(own);
			SpaceSummary seventh = listed.byName().get(own.get(7));
			assertThat(seventh.id()).isEqualTo(NAMESPACE + "/" + own.get(7));
			assertThat(seventh.runtime().stage()).isEqualTo("RUNNING");
			assertThat(seventh.createdAt()).isEqualTo(this.clock.instant());
		});
		assertThat(this.hub.requests("GET", "/api/spaces")).hasSize(2)
			.allSatisfy((request) -> assertThat(request.query()).contains("author=" + NAMESPACE,
					"search=podium-eval-abcd-", "expand=runtime&expand=createdAt"));
		assertThat(this.meters.get("podium.hub.calls").tag("call", "spaces.list").counter().count()).isEqualTo(2);
	}

	// ------------------------------------------------------------------ models

	@Test
	void resolvesARevisionToItsCommitFollowingARenamedRepo() {
		this.hub.addModel("bert-base-uncased", "c".repeat(40), false, Set.of("v1"), null)
			.renameModel("bert-base-uncased", "google-bert/bert-base-uncased");

		ModelOutcome outcome = this.client.resolveModel("bert-base-uncased", "v1", null);

		assertThat(outcome).isEqualTo(new ModelOutcome.Resolved("bert-base-uncased", "google-bert/bert-base-uncased",
				"c".repeat(40), false, false));
		assertThat(((ModelOutcome.Resolved) outcome).renamed()).isTrue();
		assertThat(this.hub.requests()).extracting(RecordedRequest::toString)
			.containsExactly("GET /api/models/bert-base-uncased/revision/v1 -> 307",
					"GET /api/models/google-bert/bert-base-uncased/revision/v1 -> 200");
	}

	@Test
	void tellsWhatIsMissingFromAModelCheck() {
		this.hub.addModel("alice/model", "a".repeat(40), true, Set.of("v1", "refs/pr/1"), "hf_alice_read");
		this.hub.addModel("bob/model", "b".repeat(40), true, Set.of(), "hf_bob_read");

		assertThat(this.client.resolveModel("alice/model", null, "hf_alice_read"))
			.isEqualTo(new ModelOutcome.Resolved("alice/model", "alice/model", "a".repeat(40), false, true));
		assertThat(this.client.resolveModel("alice/model", "refs/pr/1", "hf_alice_read"))
			.isInstanceOf(ModelOutcome.Resolved.class);
		assertThat(this.client.resolveModel("alice/model", "v2", "hf_alice_read"))
			.isEqualTo(new ModelOutcome.RevisionNotFound("v2"));
		assertThat(this.client.resolveModel("alice/model", null, "hf_bob_read"))
			.isInstanceOf(ModelOutcome.NotFound.class);
		assertThat(this.client.resolveModel("alice/nothing", null, null)).isInstanceOf(ModelOutcome.NotFound.class);
		assertThat(this.client.resolveModel("../../api/whoami-v2", null, null))
			.isInstanceOf(ModelOutcome.NotFound.class);
		assertThat(this.client.resolveModel("alice/model", null, "hf_unknown_token"))
			.isInstanceOfSatisfying(Refused.class, (refused) -> assertThat(refused.status()).isEqualTo(401));
		assertThat(this.hub.requests("GET", "/api/models/alice/model")).extracting(RecordedRequest::authorization)
			.containsExactly("Bearer hf_alice_read", "Bearer hf_alice_read", "Bearer hf_alice_read",
					"Bearer hf_bob_read", "Bearer hf_unknown_token");
		assertThat(this.hub.requests("GET", "/api/models/alice/model/revision/refs%2Fpr%2F1")).hasSize(1);
		assertThat(this.hub.requests("GET", "/api/whoami-v2")).isEmpty();
	}

	@Test
	void aGatedModelAnswersInfoButOnlyGrantedTokensMayDownloadIt() {
		this.hub.addModel("meta/llama", "d".repeat(40), false, Set.of(), null)
			.gateModel("meta/llama", "manual", Set.of("hf_granted"))
			.addModel("alice/reader", "e".repeat(40), true, Set.of(), "hf_not_granted");

		assertThat(this.client.resolveModel("meta/llama", null, null))
			.isInstanceOfSatisfying(ModelOutcome.Resolved.class, (resolved) -> assertThat(resolved.gated()).isTrue());

		assertThat(this.client.checkAccess("meta/llama", "hf_granted")).isEqualTo(new AccessOutcome.Granted());
		assertThat(this.client.checkAccess("meta/llama", "hf_not_granted")).isInstanceOfSatisfying(
				AccessOutcome.Gated.class, (gated) -> assertThat(gated.message()).contains("restricted"));
		assertThat(this.client.checkAccess("meta/llama", null)).isInstanceOf(AccessOutcome.Gated.class);
		assertThat(this.client.checkAccess("meta/nothing", "hf_granted")).isInstanceOf(AccessOutcome.NotFound.class);
		assertThat(this.hub.requests("GET", "/api/models/meta/llama/auth-check"))
			.extracting(RecordedRequest::authorization)
			.containsExactly("Bearer hf_granted", "Bearer hf_not_granted", null);
	}

	@Test
	void checksAccessToARenamedModelAtItsNewId() {
		this.hub.addModel("gpt2", "f".repeat(40), false, Set.of(), null)
			.gateModel("gpt2", "auto", Set.of("hf_granted"))
			.renameModel("gpt2", "openai-community/gpt2");

		assertThat(this.client.checkAccess("gpt2", "hf_granted")).isEqualTo(new AccessOutcome.Granted());
		assertThat(this.hub.requests()).extracting(RecordedRequest::toString)
			.containsExactly("GET /api/models/gpt2/auth-check -> 307",
					"GET /api/models/openai-community/gpt2/auth-check -> 200");
	}

	// ------------------------------------------------------------------ identity,
	// secrets

	@Test
	void cachesWhoAmI() {
		assertThat(this.client.whoami())
			.isEqualTo(new IdentityOutcome.Identified(new WhoAmI(FakeHub.USER, List.of(NAMESPACE), "write", null)));
		this.client.whoami();
		assertThat(this.hub.whoamiCalls()).isEqualTo(1);
		this.clock.advance(Duration.ofHours(2));
		this.client.whoami();
		assertThat(this.hub.whoamiCalls()).isEqualTo(2);
	}

	@Test
	void tellsWhetherAFineGrainedTokenMayCreateAndDeleteInTheNamespace() {
		this.hub.tokenRole("fineGrained", Map.of(NAMESPACE, List.of("repo.content.read")));
		WhoAmI reader = whoami();
		assertThat(reader.scopedPermissions()).isEqualTo(Map.of(NAMESPACE, List.of("repo.content.read")));
		assertThat(reader.whyCannotManageSpacesIn(NAMESPACE))
			.hasValueSatisfying((why) -> assertThat(why).contains("repo.write", NAMESPACE, "cannot create or delete"));

		this.clock.advance(Duration.ofHours(2));
		this.hub.tokenRole("fineGrained", Map.of(NAMESPACE, List.of("repo.content.read", "repo.write")));
		assertThat(whoami().whyCannotManageSpacesIn(NAMESPACE)).isEmpty();

		this.clock.advance(Duration.ofHours(2));
		this.hub.tokenRole("fineGrained", null);
		assertThat(whoami().scopesUnknown()).isTrue();

		this.clock.advance(Duration.ofHours(2));
		this.hub.tokenRole("read", null);
		assertThat(whoami().whyCannotManageSpacesIn(NAMESPACE))
			.hasValueSatisfying((why) -> assertThat(why).contains("read token"));
		assertThat(whoami().whyCannotManageSpacesIn("other-org"))
			.hasValueSatisfying((why) -> assertThat(why).contains("cannot act in namespace 'other-org'"));
	}

	@Test
	void neverShowsATokenAndRefusesAnUnknownOne() {
		assertThat(this.client.toString()).doesNotContain(TOKEN);
		assertThat(properties(1000, Duration.ofSeconds(5), Duration.ofSeconds(30)).toString()).doesNotContain(TOKEN)
			.contains("[redacted]");
		HubClient stranger = new HubClient(HubProperties.of(this.hub.url(), "hf_unknown_token_not_for_logs", NAMESPACE),
				this.clock, this.meters, this.pause);

		IdentityOutcome refused = stranger.whoami();

		assertThat(refused).isEqualTo(new Refused(401, null, "Invalid credentials in Authorization header"));
		this.hub.failNext("/api/spaces", 5, 503, null);
		List<Object> outcomes = List.of(refused, this.client.runtime(SPACE), create("podium-eval-2"));
		assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome.toString()).doesNotContain(TOKEN)
			.doesNotContain("hf_unknown_token_not_for_logs"));
		assertThat(HubCall.get("whoami", this.hub.url(), TOKEN, true).toString()).doesNotContain(TOKEN);
	}

	// ------------------------------------------------------------------ reading answers

	@Test
	void readsTheHubsErrorsAsTheOfficialClientDoes() {
		assertThat(error(400, "application/json", "{\"error\":[\"first\",\"second\"]}").message())
			.isEqualTo("first; second");
		assertThat(
				error(401, "application/json", "{\"error\":\"invalid_grant\",\"error_description\":\"token expired\"}")
					.message())
			.isEqualTo("invalid_grant: token expired");
		assertThat(error(400, "application/json", "{\"errors\":[{\"message\":\"bad name\"}]}").message())
			.isEqualTo("bad name");
		assertThat(error(502, "text/html", "<html><head><title>502 Bad Gateway</title></head></html>").message())
			.contains("HTML page: 502 Bad Gateway");
		assertThat(error(401, "application/json", "{\"error\":\"Repository not found\"}").isRepoNotFound()).isTrue();
		assertThat(error(401, "application/json", "{\"error\":\"Invalid credentials in Authorization header\"}")
			.isRepoNotFound()).isFalse();
		assertThat(error(403, "application/json", "{\"error\":\"leaked " + TOKEN + "\"}", TOKEN).message())
			.isEqualTo("leaked [redacted]");
	}

	@Test
	void readsTheApiBucketFromRateLimitHeaders() {
		RateLimitHeaders creationLimit = RateLimitHeaders.of(response(429, Map.of("RateLimit", "\"api\";r=99794;t=241",
				"RateLimit-Policy", "\"fixed window\";\"api\";q=100000;w=300"), ""), this.clock.instant());
		assertThat(creationLimit.describesApiBucket()).isTrue();
		assertThat(creationLimit.apiBucketEmpty()).isFalse();
		assertThat(creationLimit.quota()).isEqualTo(100000);
		assertThat(RetryPolicy.requiredWait(429, creationLimit)).isZero();

		RateLimitHeaders empty = RateLimitHeaders.of(response(429, Map.of("RateLimit", "\"api\";r=0;t=55"), ""),
				this.clock.instant());
		assertThat(empty.apiBucketEmpty()).isTrue();
		assertThat(RetryPolicy.requiredWait(429, empty)).isEqualTo(Duration.ofSeconds(56));
		assertThat(RateLimitHeaders.of(response(429, Map.of(), ""), this.clock.instant()).describesApiBucket())
			.isFalse();
	}

	// ------------------------------------------------------------------ helpers

	private CreateOutcome create(String name) {
		return this.client.createSpace(name, "cpu-basic", Map.of(), Map.of(), Map.of());
	}

	/** {@code stage/phase} of the test Space, as the runtime call reads it. */
	private String phase() {
		RuntimeOutcome outcome = this.client.runtime(SPACE);
		assertThat(outcome).isInstanceOf(RuntimeOutcome.Known.class);
		SpaceRuntime runtime = ((RuntimeOutcome.Known) outcome).runtime();
		return runtime.stage() + "/" + runtime.phase();
	}

	private WhoAmI whoami() {
		IdentityOutcome outcome = this.client.whoami();
		assertThat(outcome).isInstanceOf(IdentityOutcome.Identified.class);
		return ((IdentityOutcome.Identified) outcome).whoami();
	}

	private static HubError error(int status, String contentType, String body, String... secrets) {
		return HubError.of(response(status, Map.of("Content-Type", contentType), body),
				tools.jackson.databind.json.JsonMapper.builder().build(), secrets);
	}

	private static HubResponse response(int status, Map<String, String> headers, String body) {
		Map<String, List<String>> multi = new java.util.HashMap<>();
		headers.forEach((name, value) -> multi.put(name, List.of(value)));
		return new HubResponse(status, java.net.http.HttpHeaders.of(multi, (name, value) -> true),
				body.getBytes(StandardCharsets.UTF_8));
	}

	private HubClient client(int requestsPerWindow, Duration maxInlineWait, Duration readTimeout) {
		return new HubClient(properties(requestsPerWindow, maxInlineWait, readTimeout), this.clock, this.meters,
				this.pause);
	}

	private HubProperties properties(int requestsPerWindow, Duration maxInlineWait, Duration readTimeout) {
		return new HubProperties(this.hub.url(), TOKEN, NAMESPACE, requestsPerWindow, Duration.ofSeconds(300), 5,
				Duration.ofSeconds(1), Duration.ofSeconds(8), maxInlineWait, Duration.ofSeconds(2), readTimeout);
	}

}
