package dev.podium.importing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.FreshDatabaseInitializer;
import dev.podium.MutableClock;
import dev.podium.TestClockConfiguration;
import dev.podium.TestSupport;
import dev.podium.sandbox.hub.FakeHub;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
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

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static dev.podium.importing.HfCompetitionRepo.ALICE;
import static dev.podium.importing.HfCompetitionRepo.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Importing from the competition's private dataset repo on the (fake) Hub, read with
 * Podium's token, and participants signing in with their own Hub tokens, which the Hub's
 * {@code whoami-v2} vouches for.
 */
@SpringBootTest(properties = { "podium.demo.enabled=false", "podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
		"podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY, "podium.data-dir=target/test-data",
		"podium.evaluation.scheduler-enabled=false", "podium.sandbox.provider=huggingface",
		"podium.hub.namespace=podium-org", "podium.hub.base-delay=10ms", "podium.hub.max-delay=40ms",
		"podium.public-url=http://127.0.0.1:9", "podium.rate-limit.operator.capacity=1000000" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = FreshDatabaseInitializer.class)
@Import(TestClockConfiguration.class)
class HubImportTests {

	static final String HUB_TOKEN = "hf_organizer_write_token";

	static final String ALICE_HUB_TOKEN = "hf_alice_read_token";

	static final String DAVE_HUB_TOKEN = "hf_dave_read_token";

	static FakeHub hub;

	@DynamicPropertySource
	static void hub(DynamicPropertyRegistry registry) {
		hub = new FakeHub(Clock.systemUTC(), HUB_TOKEN, "podium-org").start();
		hub.repos()
			.addUser(ALICE_HUB_TOKEN, ALICE, "alice")
			.addUser(DAVE_HUB_TOKEN, "65da7e0000000000000da7e0", "dave");
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

	TestSupport api;

	static int repos;

	String repo;

	String slug;

	@BeforeEach
	void aCompetitionRepoOnTheHub() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		this.slug = "from-hub-" + (++repos);
		this.repo = "org-" + repos + "/sentiment-competition";
		hub.repos().addDataset(this.repo, HfCompetitionRepo.generic().bytes(), Set.of(HUB_TOKEN));
	}

	@Test
	void importsTheCompetitionFromItsPrivateDatasetRepoOnce() {
		String report = require(importFromHub(this.repo, this.slug, false), 201);
		assertThat(JsonPath.<String>read(report, "$.source")).isEqualTo("hf:" + this.repo);
		assertThat(JsonPath.<Integer>read(report, "$.submissions.total")).isEqualTo(5);
		String competition = require(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.slug), 200);
		assertThat(JsonPath.<String>read(competition, "$.importedFrom")).isEqualTo("hf:" + this.repo);
		assertThat(JsonPath.<String>read(competition, "$.texts.datasetDescription")).contains("Columns");
		// every file was read at the same commit
		assertThat(hub.requests("GET", "/datasets/" + this.repo + "/resolve/")).isNotEmpty()
			.allSatisfy((request) -> assertThat(request.path()).doesNotContain("/resolve/main/"));

		MvcTestResult again = importFromHub(this.repo, this.slug + "-again", false);
		assertThat(again).hasStatus(409);
		assertThat(JsonPath.<String>read(bodyOf(again), "$.type"))
			.isEqualTo("https://podium.dev/problems/already-imported");
	}

	@Test
	void aDryRunFromTheHubWritesNothing() {
		String report = require(importFromHub(this.repo, this.slug, true), 200);
		assertThat(JsonPath.<Boolean>read(report, "$.dryRun")).isTrue();
		assertThat(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.slug)).hasStatus(404);
		require(importFromHub(this.repo, this.slug, false), 201);
	}

	@Test
	void aRepoPodiumsTokenCannotReadIsNamed() {
		hub.repos().addDataset(this.repo + "-private", HfCompetitionRepo.generic().bytes(), Set.of("hf_someone_else"));
		MvcTestResult result = importFromHub(this.repo + "-private", this.slug, false);
		assertThat(result).hasStatus(422);
		assertThat(JsonPath.<String>read(bodyOf(result), "$.type"))
			.isEqualTo("https://podium.dev/problems/import-repo-not-found");
		assertThat(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.slug)).hasStatus(404);
	}

	@Test
	void participantsSignInWithTheirHubTokenAndContinueWhereTheyWere() {
		require(importFromHub(this.repo, this.slug, false), 201);
		MvcTestResult signIn = signIn(this.slug, ALICE_HUB_TOKEN);
		String body = require(signIn, 200);
		assertThat(JsonPath.<String>read(body, "$.hfUserId")).isEqualTo(ALICE);
		assertThat(JsonPath.<Boolean>read(body, "$.created")).isFalse();
		// the import's stand-in name gives way to the one on the Hub
		assertThat(JsonPath.<String>read(body, "$.name")).isEqualTo("alice");
		assertThat(body).doesNotContain(ALICE_HUB_TOKEN);
		String token = JsonPath.read(body, "$.token");

		// her history is hers: two scored, one failed today, which counts toward today's
		// 3
		String mine = require(this.api.get(token, "/api/me/submissions?competition={c}", this.slug), 200);
		assertThat(JsonPath.<List<String>>read(mine, "$.content[*].status")).containsExactlyInAnyOrder("SCORED",
				"SCORED", "FAILED");
		String quota = require(this.api.get(token, "/api/me/quota"), 200);
		assertThat(JsonPath.<List<Integer>>read(quota, "$.submissions.tasks[?(@.task == 'main')].used"))
			.containsExactly(1);
		// (two different files: the same one again would be refused as a duplicate)
		require(this.api.submitFile(token, this.slug, "main", PREDICTIONS), 201);
		require(this.api.submitFile(token, this.slug, "main", PREDICTIONS.replace("9,0", "9,1")), 201);
		assertThat(this.api.submitFile(token, this.slug, "main", PREDICTIONS.replace("8,0", "8,1"))).hasStatus(429);

		// the Hub token is no Podium token, and a new sign-in replaces the old Podium
		// token
		assertThat(this.api.get(ALICE_HUB_TOKEN, "/api/me/quota")).hasStatus(401);
		String newer = JsonPath.read(require(signIn(this.slug, ALICE_HUB_TOKEN), 200), "$.token");
		assertThat(this.api.get(newer, "/api/me/quota")).hasStatusOk();
		assertThat(this.api.get(token, "/api/me/quota")).hasStatus(401);
	}

	@Test
	void aNewcomerJoinsAnImportedChallengeWithTheirHubAccountAsTheyCouldThere() {
		require(importFromHub(this.repo, this.slug, false), 201);
		String body = require(signIn(this.slug, DAVE_HUB_TOKEN), 200);
		assertThat(JsonPath.<Boolean>read(body, "$.created")).isTrue();
		assertThat(JsonPath.<String>read(body, "$.name")).isEqualTo("dave");
		String again = require(signIn(this.slug, DAVE_HUB_TOKEN), 200);
		assertThat(JsonPath.<Boolean>read(again, "$.created")).isFalse();
		assertThat(JsonPath.<String>read(again, "$.participantId"))
			.isEqualTo(JsonPath.<String>read(body, "$.participantId"));
	}

	@Test
	void aHubTokenTheHubDoesNotKnowOrAStrangerToACompetitionIsRefused() {
		require(importFromHub(this.repo, this.slug, false), 201);
		MvcTestResult unknown = signIn(this.slug, "hf_nobody_knows_this");
		assertThat(unknown).hasStatus(401);
		assertThat(JsonPath.<String>read(bodyOf(unknown), "$.type"))
			.isEqualTo("https://podium.dev/problems/invalid-hub-token");

		// a competition made in Podium admits only participants it knows
		this.api.createCompetition(this.slug + "-native", TestSupport.fileTask("t"));
		MvcTestResult stranger = signIn(this.slug + "-native", ALICE_HUB_TOKEN);
		assertThat(stranger).hasStatus(403);
		assertThat(JsonPath.<String>read(bodyOf(stranger), "$.type"))
			.isEqualTo("https://podium.dev/problems/not-a-participant");
	}

	@Test
	void bobsPendingSubmissionIsInTheQueueAndHisSelectionStands() {
		require(importFromHub(this.repo, this.slug, false), 201);
		String board = require(
				this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/tasks/main/leaderboard?view=private", this.slug), 200);
		assertThat(JsonPath.<List<Double>>read(board, "$.entries[?(@.participant == 'Bob <b>the</b> Builder')].score"))
			.containsExactly(0.8);
	}

	MvcTestResult importFromHub(String repo, String slug, boolean dryRun) {
		return this.mvc.post()
			.uri("/api/competitions/import")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"repo\":\"%s\",\"slug\":\"%s\",\"dryRun\":%s}".formatted(repo, slug, dryRun))
			.exchange();
	}

	MvcTestResult signIn(String slug, String hubToken) {
		return this.mvc.post()
			.uri("/api/competitions/{c}/sign-in/huggingface", slug)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"hubToken\":\"" + hubToken + "\"}")
			.exchange();
	}

}
