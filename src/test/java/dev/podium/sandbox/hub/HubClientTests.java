package dev.podium.sandbox.hub;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The client against the fake Hub, with a clock that the client's own waits move: a wait
 * is recorded and time passes, without sleeping.
 */
class HubClientTests {

	static final String TOKEN = "hf_podium_write_token_do_not_leak_42";

	static final String NAMESPACE = "podium-org";

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

	@Test
	void createsAdoptsAndDeletesSpaces() {
		SpaceCreation created = this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		assertThat(created).isEqualTo(new SpaceCreation(NAMESPACE + "/podium-eval-1", true));
		assertThat(this.hub.requests("POST", "/api/repos/create")).singleElement()
			.satisfies((request) -> assertThat(request.bodyText()).contains("\"type\":\"space\"",
					"\"name\":\"podium-eval-1\"", "\"organization\":\"" + NAMESPACE + "\"", "\"sdk\":\"docker\"",
					"\"private\":true", "\"visibility\":\"private\"", "\"hardware\":\"cpu-basic\""));

		SpaceCreation adopted = this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		assertThat(adopted).isEqualTo(new SpaceCreation(NAMESPACE + "/podium-eval-1", false));
		assertThat(this.hub.createdSpaces()).hasSize(1);

		this.client.deleteSpace("podium-eval-1");
		assertThat(this.hub.liveSpaces()).isEmpty();
		this.client.deleteSpace("podium-eval-1");
		assertThat(this.hub.requests("DELETE", "/api/repos/delete")).extracting(RecordedRequest::status)
			.containsExactly(200, 404);
	}

	@Test
	void createsWithExactlyTheSecretsVariablesAndFilesPassed() {
		Map<String, String> secrets = Map.of("PODIUM_CALLBACK_URL", "https://podium.example/api/sandbox/1",
				"PODIUM_SANDBOX_TOKEN", "sbx-1");
		this.client.createSpace("podium-eval-1", "t4-small", secrets, Map.of("PODIUM_TASK", "t"),
				Map.of("Dockerfile", "FROM python:3.12\n".getBytes(StandardCharsets.UTF_8)));

		assertThat(this.hub.secretsAtCreation("podium-eval-1")).isEqualTo(secrets);
		assertThat(this.hub.variablesOf("podium-eval-1")).isEqualTo(Map.of("PODIUM_TASK", "t"));
		assertThat(this.hub.hardwareOf("podium-eval-1")).isEqualTo("t4-small");
		assertThat(this.hub.filesOf("podium-eval-1").get("Dockerfile")).asString(StandardCharsets.UTF_8)
			.isEqualTo("FROM python:3.12\n");
		assertThat(this.hub.requests())
			.allSatisfy((request) -> assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN));
	}

	@Test
	void surfacesTheDailyCreationLimitAtOnce() {
		this.hub.dailyCreationLimit(1);
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());

		HubRateLimitedException limited = catchThrowableOfType(HubRateLimitedException.class,
				() -> this.client.createSpace("podium-eval-2", "cpu-basic", Map.of(), Map.of()));

		assertThat(limited.retryAt()).isEqualTo(this.clock.instant().plus(Duration.ofHours(24)));
		assertThat(limited.getMessage()).contains("rate limit for repository creation");
		assertThat(this.hub.requests("POST", "/api/repos/create")).hasSize(2);
		assertThat(this.waits).isEmpty();
		// The creation limit's hours-long reset is not the API window: other calls go on.
		assertThat(this.client.runtime("podium-eval-1").stage()).isEqualTo("BUILDING");
		assertThat(this.waits).isEmpty();
	}

	@Test
	void retriesACreateThatFailedAndAdoptsWhatItMade() {
		this.hub.failNext("/api/repos/create", 1, 502, null);
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		assertThat(this.hub.requests("POST", "/api/repos/create")).extracting(RecordedRequest::status)
			.containsExactly(502, 200);
		assertThat(this.waits).hasSize(1);
	}

	@Test
	void retriesA5xxBurstWithFullJitterWithinBounds() {
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.hub.failNext("/api/spaces", 4, 503, null);

		assertThat(this.client.runtime("podium-eval-1").stage()).isEqualTo("BUILDING");

		assertThat(this.hub.requests("GET", "/api/spaces")).extracting(RecordedRequest::status)
			.containsExactly(503, 503, 503, 503, 200);
		assertThat(this.waits).hasSize(4);
		List<Duration> ceilings = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
				Duration.ofSeconds(8));
		for (int i = 0; i < 4; i++) {
			assertThat(this.waits.get(i)).isBetween(Duration.ZERO, ceilings.get(i));
		}
		assertThat(this.meters.get("podium.hub.retries").tag("endpoint", "spaces.runtime").counter().count())
			.isEqualTo(4);
		assertThat(this.meters.get("podium.hub.requests")
			.tag("endpoint", "spaces.runtime")
			.tag("status", "503")
			.counter()
			.count()).isEqualTo(4);
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
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.hub.failNext("/api/spaces", 2, 503, Duration.ofSeconds(3));
		this.hub.failNext("/api/spaces", 1, 429, Duration.ofSeconds(4));

		this.client.runtime("podium-eval-1");

		assertThat(this.waits).hasSize(3);
		assertThat(this.waits.subList(0, 2))
			.allSatisfy((wait) -> assertThat(wait).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(3)));
		assertThat(this.waits.get(2)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(4));
		assertThat(this.meters.get("podium.hub.rate_limited").tag("by", "hub").counter().count()).isEqualTo(1);
	}

	@Test
	void turnsALongRetryAfterIntoADeferralInsteadOfASleep() {
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.hub.failNext("/api/spaces", 1, 429, Duration.ofSeconds(90));
		Instant now = this.clock.instant();

		HubRateLimitedException limited = catchThrowableOfType(HubRateLimitedException.class,
				() -> this.client.runtime("podium-eval-1"));

		assertThat(limited.retryAt()).isEqualTo(now.plusSeconds(90));
		assertThat(this.waits).isEmpty();
		assertThat(this.hub.requests("GET", "/api/spaces")).hasSize(1);
	}

	@Test
	void pollsUnderATinyAnnouncedQuotaWithoutDrawingA429() {
		this.client = client(1000, Duration.ofMinutes(6), Duration.ofSeconds(30));
		this.hub.apiQuota(4);
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());

		for (int i = 0; i < 12; i++) {
			this.client.runtime("podium-eval-1");
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
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.client.runtime("podium-eval-1");
		this.client.runtime("podium-eval-1");
		QuotaSnapshot quota = this.client.quota();
		assertThat(quota).isEqualTo(new QuotaSnapshot(3, 0, Instant.parse("2026-11-23T10:05:00Z"), true));

		HubRateLimitedException limited = catchThrowableOfType(HubRateLimitedException.class,
				() -> this.client.runtime("podium-eval-1"));

		assertThat(limited.retryAt()).isEqualTo(Instant.parse("2026-11-23T10:05:00Z"));
		assertThat(this.hub.requests()).hasSize(3);
		assertThat(this.meters.get("podium.hub.rate_limited").tag("by", "client").counter().count()).isEqualTo(1);
	}

	@Test
	void keepsUnderItsOwnLimitWithinItsCurrentWindow() {
		this.client = client(2, Duration.ofSeconds(5), Duration.ofSeconds(30));
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.client.runtime("podium-eval-1");

		assertThatExceptionOfType(HubRateLimitedException.class).isThrownBy(() -> this.client.runtime("podium-eval-1"))
			.satisfies((limited) -> assertThat(limited.retryAt()).isAfter(this.clock.instant()));
		assertThat(this.hub.requests()).hasSize(2);
	}

	@Test
	void opensTheCircuitAfterAFailureStreakAndFailsFast() {
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.hub.failNext("/api/spaces", 100, 500, null);

		assertThatExceptionOfType(HubUnavailableException.class).isThrownBy(() -> this.client.runtime("podium-eval-1"))
			.withMessageContaining("500 in 5 attempts");
		assertThatExceptionOfType(HubUnavailableException.class).isThrownBy(() -> this.client.runtime("podium-eval-1"));
		assertThat(this.client.circuitState()).isEqualTo(CircuitState.OPEN);
		int calls = this.hub.requests().size();

		assertThatExceptionOfType(HubUnavailableException.class).isThrownBy(() -> this.client.runtime("podium-eval-1"))
			.withMessageContaining("failed repeatedly");
		assertThat(this.hub.requests()).hasSize(calls);
		assertThat(this.meters.get("podium.hub.circuit_state").gauge().value()).isEqualTo(1);

		this.hub.clearTrouble();
		this.clock.advance(Duration.ofSeconds(31));
		for (int i = 0; i < 3; i++) {
			this.client.runtime("podium-eval-1");
		}
		assertThat(this.client.circuitState()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void refusalsDoNotOpenTheCircuit() {
		for (int i = 0; i < 15; i++) {
			assertThatExceptionOfType(HubRejectedException.class).isThrownBy(() -> this.client.runtime("missing"))
				.satisfies((rejected) -> assertThat(rejected.isNotFound()).isTrue());
		}
		assertThat(this.client.circuitState()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void retriesWhenTheHubIsTooSlowToAnswer() {
		this.client = client(1000, Duration.ofSeconds(5), Duration.ofMillis(300));
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.hub.delayNext("/api/spaces", 1, Duration.ofSeconds(2));

		assertThat(this.client.runtime("podium-eval-1").stage()).isEqualTo("BUILDING");
		assertThat(this.waits).hasSize(1);
		assertThat(this.meters.get("podium.hub.requests").tag("status", "IO_ERROR").counter().count()).isEqualTo(1);
	}

	@Test
	void followsPaginationWhenListingSpaces() {
		this.hub.dailyCreationLimit(1000);
		for (int i = 0; i < 130; i++) {
			this.client.createSpace("podium-eval-" + i, "cpu-basic", Map.of(), Map.of());
		}
		this.client.createSpace("someone-else", "cpu-basic", Map.of(), Map.of());
		this.hub.stage("podium-eval-7", "RUNNING");

		List<SpaceSummary> spaces = this.client.listSpaces(null);

		assertThat(spaces).hasSize(130);
		assertThat(this.hub.requests("GET", "/api/spaces")).hasSize(2)
			.allSatisfy((request) -> assertThat(request.query()).contains("expand=runtime", "author=" + NAMESPACE,
					"search=podium-eval"));
		assertThat(spaces).filteredOn((space) -> space.name().equals("podium-eval-7"))
			.singleElement()
			.satisfies((space) -> {
				assertThat(space.id()).isEqualTo(NAMESPACE + "/podium-eval-7");
				assertThat(space.stage()).isEqualTo("RUNNING");
				assertThat(space.createdAt()).isEqualTo(this.clock.instant());
			});
	}

	@Test
	void tellsTheThreeOutcomesOfAModelCheck() {
		this.hub.addModel("alice/model", "a".repeat(40), true, Set.of("v1", "refs/pr/1"), "hf_alice_read");
		this.hub.addModel("bob/model", "b".repeat(40), true, Set.of(), "hf_bob_read");

		assertThat(this.client.checkModel("alice/model", null, "hf_alice_read"))
			.isEqualTo(new ModelCheck(ModelCheck.Outcome.FOUND, "a".repeat(40)));
		assertThat(this.client.checkModel("alice/model", "refs/pr/1", "hf_alice_read").isFound()).isTrue();
		assertThat(this.client.checkModel("alice/model", "v2", "hf_alice_read").outcome())
			.isEqualTo(ModelCheck.Outcome.REVISION_NOT_FOUND);
		assertThat(this.client.checkModel("alice/model", null, "hf_bob_read").outcome())
			.isEqualTo(ModelCheck.Outcome.NOT_FOUND);
		assertThat(this.client.checkModel("alice/nothing", null, null).outcome())
			.isEqualTo(ModelCheck.Outcome.NOT_FOUND);
		assertThat(this.client.checkModel("../../api/whoami-v2", null, null).outcome())
			.isEqualTo(ModelCheck.Outcome.NOT_FOUND);
		assertThat(this.hub.requests("GET", "/api/models/alice/model")).extracting(RecordedRequest::authorization)
			.containsExactly("Bearer hf_alice_read", "Bearer hf_alice_read", "Bearer hf_alice_read",
					"Bearer hf_bob_read");
		assertThat(this.hub.requests("GET", "/api/models/alice/model/revision/refs%2Fpr%2F1")).hasSize(1);
	}

	@Test
	void cachesWhoAmI() {
		WhoAmI whoami = this.client.whoami();
		assertThat(whoami).isEqualTo(new WhoAmI(FakeHub.USER, List.of(NAMESPACE), "write"));
		assertThat(whoami.canActIn(NAMESPACE)).isTrue();
		this.client.whoami();
		assertThat(this.hub.whoamiCalls()).isEqualTo(1);
		this.clock.advance(Duration.ofHours(2));
		this.client.whoami();
		assertThat(this.hub.whoamiCalls()).isEqualTo(2);
	}

	@Test
	void commitsFilesAsOneNdjsonCommitThatRebuilds() {
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.client.runtime("podium-eval-1").isRunning()).isTrue();
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put("Dockerfile", "FROM python:3.12\n".getBytes(StandardCharsets.UTF_8));
		files.put("app.py", "print('hi')\n".getBytes(StandardCharsets.UTF_8));

		this.client.commitFiles("podium-eval-1", files, "Podium evaluation app");

		assertThat(this.hub.commitsOf("podium-eval-1")).containsExactly("Podium evaluation app");
		assertThat(this.hub.filesOf("podium-eval-1").get("app.py")).asString(StandardCharsets.UTF_8)
			.isEqualTo("print('hi')\n");
		assertThat(this.hub.requests("POST", "/api/spaces/" + NAMESPACE + "/podium-eval-1/commit/main")).singleElement()
			.satisfies((request) -> {
				assertThat(request.contentType()).startsWith("application/x-ndjson");
				assertThat(request.bodyText().lines()).hasSize(3);
			});
		assertThat(this.client.runtime("podium-eval-1").stage()).isEqualTo("BUILDING");
	}

	@Test
	void passesUnknownAndFailedStagesThrough() {
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.hub.stage("podium-eval-1", "SOMETHING_NEW");
		SpaceRuntime unknown = this.client.runtime("podium-eval-1");
		assertThat(unknown.stage()).isEqualTo("SOMETHING_NEW");
		assertThat(unknown.isRunning()).isFalse();
		assertThat(unknown.isFailed()).isFalse();

		this.hub.stage("podium-eval-1", null).failBuilds("no space left on device");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.client.runtime("podium-eval-1"))
			.isEqualTo(new SpaceRuntime("BUILD_ERROR", "no space left on device"));
	}

	@Test
	void putsAndDeletesSecretsWhichRestartTheSpace() {
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of("A", "1"), Map.of());
		this.clock.advance(Duration.ofMinutes(5));
		this.client.putSecret("podium-eval-1", "B", "2");
		assertThat(this.hub.secretsOf("podium-eval-1")).isEqualTo(Map.of("A", "1", "B", "2"));
		assertThat(this.client.runtime("podium-eval-1").stage()).isEqualTo("BUILDING");
		this.client.deleteSecret("podium-eval-1", "A");
		assertThat(this.hub.secretsOf("podium-eval-1")).isEqualTo(Map.of("B", "2"));
	}

	@Test
	void pausesRestartsAndSetsVariables() {
		this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of());
		this.clock.advance(Duration.ofMinutes(5));
		this.client.pauseSpace("podium-eval-1");
		assertThat(this.client.runtime("podium-eval-1").stage()).isEqualTo("PAUSED");
		this.client.restartSpace("podium-eval-1");
		assertThat(this.client.runtime("podium-eval-1").stage()).isEqualTo("BUILDING");
		this.client.putVariable("podium-eval-1", "PODIUM_TASK", "sentiment");
		assertThat(this.hub.variablesOf("podium-eval-1")).isEqualTo(Map.of("PODIUM_TASK", "sentiment"));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.client.runtime("../podium-eval-1"));
	}

	@Test
	void neverShowsTheToken() {
		assertThat(this.client.toString()).doesNotContain(TOKEN);
		assertThat(properties(1000, Duration.ofSeconds(5), Duration.ofSeconds(30)).toString()).doesNotContain(TOKEN)
			.contains("[redacted]");

		this.hub.requirePaidPlan(true);
		HubRejectedException rejected = catchThrowableOfType(HubRejectedException.class,
				() -> this.client.createSpace("podium-eval-1", "cpu-basic", Map.of(), Map.of()));
		assertThat(rejected.status()).isEqualTo(402);
		assertThat(rejected.isPaymentRequired()).isTrue();

		this.hub.failNext("/api/spaces", 5, 503, null);
		HubUnavailableException unavailable = catchThrowableOfType(HubUnavailableException.class,
				() -> this.client.runtime("podium-eval-1"));

		HubClient stranger = new HubClient(HubProperties.of(this.hub.url(), "hf_unknown_token_not_for_logs", NAMESPACE),
				this.clock, this.meters, this.pause);
		HubRejectedException unknownToken = catchThrowableOfType(HubRejectedException.class, stranger::whoami);
		assertThat(unknownToken.status()).isEqualTo(401);

		for (Exception ex : List.of(rejected, unavailable, unknownToken)) {
			assertThat(ex.toString()).doesNotContain(TOKEN).doesNotContain("hf_unknown_token_not_for_logs");
		}
	}

	private HubClient client(int requestsPerWindow, Duration maxInlineWait, Duration readTimeout) {
		return new HubClient(properties(requestsPerWindow, maxInlineWait, readTimeout), this.clock, this.meters,
				this.pause);
	}

	private HubProperties properties(int requestsPerWindow, Duration maxInlineWait, Duration readTimeout) {
		return new HubProperties(this.hub.url(), TOKEN, NAMESPACE, "podium-eval", requestsPerWindow,
				Duration.ofSeconds(300), 5, Duration.ofSeconds(1), Duration.ofSeconds(8), maxInlineWait,
				Duration.ofSeconds(2), readTimeout);
	}

}
