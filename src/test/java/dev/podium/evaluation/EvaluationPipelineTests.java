package dev.podium.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.sandbox.SandboxProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Submissions through the scheduler and local sandboxes to scores, on a real database,
 * with the clock moved by the test (sandboxes take a minute to "build").
 */
@PodiumTest
class EvaluationPipelineTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	SandboxStarter starter;

	@Autowired
	SandboxProvider provider;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void emptyQueue() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.api = new TestSupport(this.mvc);
		this.competition = "pipeline-" + (++competitions);
		this.api.createCompetition(this.competition, TestSupport.fileTask("labels"),
				"""
						{"slug":"models","title":"Models","submissionKind":"MODEL","metric":"accuracy_score",
						 "localCommand":"echo '{\\"public_score\\": 1.0, \\"private_score\\": 1.0}'; printf 'id,label\\n0,1\\n1,0\\n2,1\\n3,0\\n4,0\\n5,0\\n6,0\\n7,1\\n8,0\\n9,0\\n' > \\"$OUTPUT_PATH\\""}
						""",
				"""
						{"slug":"inline","title":"Inline","submissionKind":"FILE","evaluation":"INLINE","metric":"accuracy_score"}
						""");
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		this.api.uploadSolution(this.competition, "models", SOLUTION);
		this.api.uploadSolution(this.competition, "inline", SOLUTION);
	}

	@Test
	void scoresAFileSubmissionInALocalSandboxAndDeletesTheSandbox() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);

		this.scheduler.runOnce();
		assertThat(status(id)).isEqualTo("PROVISIONING");
		assertThat(this.provider.list()).hasSize(1);
		this.scheduler.runOnce();
		assertThat(sandboxStatuses()).containsExactly("STARTING");

		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> sandboxStatuses().equals(List.of("DESTROYED")));
		assertThat(this.provider.list()).isEmpty();

		String own = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<Double>read(own, "$.publicScore")).isEqualTo(0.8);
		assertThat(own).doesNotContain("privateScore").doesNotContain("queuePosition");
		assertThat(JsonPath.<String>read(own, "$.startedAt")).isNotNull();
		assertThat(JsonPath.<String>read(own, "$.finishedAt")).isNotNull();
		String staff = bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", id));
		assertThat(JsonPath.<Double>read(staff, "$.privateScore")).isEqualTo(0.8);
		assertThat(this.jdbc.queryForList(
				"select status from submission_transitions where submission_id = ?::uuid " + "order by id",
				String.class, id))
			.containsExactly("QUEUED", "PROVISIONING", "EVALUATING", "SCORED");
	}

	@Test
	void runsAModelThroughTheTasksLocalCommand() {
		String alice = this.api.addParticipant(this.competition, "alice");
		MvcTestResult created = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"alice/model\",\"revision\":\"v1\"}")
			.exchange();
		String id = JsonPath.read(TestSupport.require(created, 201), "$.id");
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		// Podium's scores of the predictions file (PREDICTIONS: 4 of 5 right on each
		// split), not what the command printed
		String scored = bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", id));
		assertThat(JsonPath.<Double>read(scored, "$.publicScore")).isEqualTo(0.8);
		assertThat(JsonPath.<Double>read(scored, "$.privateScore")).isEqualTo(0.8);
	}

	@Test
	void scoresInlineTasksWithoutASandbox() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String good = this.api.submitFileId(alice, this.competition, "inline", PREDICTIONS);
		this.scheduler.runOnce();
		assertThat(status(good)).isEqualTo("SCORED");
		assertThat(this.jdbc.queryForObject("select count(*) from sandboxes", Integer.class)).isZero();
	}

	@Test
	void servesEachParticipantsKthSubmissionBeforeAnyonesNext() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String carol = this.api.addParticipant(this.competition, "carol");
		List<String> aliceIds = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			aliceIds.add(this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS));
			this.clock.advance(Duration.ofSeconds(1));
		}
		String bob1 = this.api.submitFileId(bob, this.competition, "labels", PREDICTIONS);
		this.clock.advance(Duration.ofSeconds(1));
		String carol1 = this.api.submitFileId(carol, this.competition, "labels", PREDICTIONS);

		assertThat(position(carol1)).isEqualTo(3);
		this.starter.startWhileCapacityAllows("test", this.clock.instant());
		// four sandboxes (the cap): alice's first, bob's, carol's, then alice's second
		assertThat(startedIds()).containsExactlyInAnyOrder(aliceIds.get(0), bob1, carol1, aliceIds.get(1));
		assertThat(position(aliceIds.get(2))).isEqualTo(1);
	}

	@Test
	void twoInstancesRacingNeverClaimTheSameSubmissionNorExceedTheCap() throws Exception {
		for (int p = 0; p < 6; p++) {
			String token = this.api.addParticipant(this.competition, "racer-" + p);
			this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
			this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
		}
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Callable<Object>> rounds = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				String owner = "instance-" + (i % 2);
				rounds.add(() -> this.starter.startWhileCapacityAllows(owner, this.clock.instant()));
			}
			for (var round : pool.invokeAll(rounds)) {
				round.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(
				this.jdbc.queryForObject("select count(*) from sandboxes where status <> 'DESTROYED'", Integer.class))
			.isEqualTo(4);
		assertThat(this.jdbc.queryForObject("select count(*) from submissions where status = 'PROVISIONING'",
				Integer.class))
			.isEqualTo(4);
		assertThat(this.jdbc.queryForObject("select max(attempts) from submissions", Integer.class)).isEqualTo(1);
	}

	@Test
	void recoversASandboxWhoseInstanceDiedWithoutLeakOrDuplicate() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		// Another instance claimed it and died before its sandbox came up: its lease runs
		// out.
		this.starter.startWhileCapacityAllows("crashed-instance", this.clock.instant());
		assertThat(status(id)).isEqualTo("PROVISIONING");
		this.scheduler.runOnce();
		assertThat(sandboxStatuses()).containsExactly("CREATING");

		this.clock.advance(Duration.ofMinutes(2));
		this.scheduler.runOnce();
		// adopted: created by this instance now
		assertThat(sandboxStatuses()).containsExactly("STARTING");
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> sandboxStatuses().equals(List.of("DESTROYED")));
		assertThat(this.provider.list()).isEmpty();
		assertThat(this.jdbc.queryForObject(
				"select count(*) from submission_transitions where submission_id = ?::uuid and status = 'SCORED'",
				Integer.class, id))
			.isEqualTo(1);
	}

	@Test
	void retriesASandboxLostMidEvaluationAndFinishesTheWork() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		// The sandbox vanishes (as a local sandbox does when Podium is killed).
		this.provider.list().forEach(this.provider::destroy);
		this.clock.advance(Duration.ofMinutes(1));
		this.scheduler.runOnce();
		assertThat(status(id)).isEqualTo("QUEUED");
		assertThat(sandboxStatuses()).containsExactly("DESTROYED");

		this.clock.advance(Duration.ofMinutes(1));
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		runUntil(() -> this.provider.list().isEmpty() && !sandboxStatuses().contains("RUNNING"));
		assertThat(this.jdbc.queryForObject("select attempts from submissions where id = ?::uuid", Integer.class, id))
			.isEqualTo(2);
	}

	@Test
	void givesUpOnPlatformFailuresAfterMaxAttemptsWithoutCountingThem() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		// Without a solution nothing can be scored: the platform's fault, never the
		// participant's.
		this.jdbc.update("delete from task_solutions");
		runUntil(() -> {
			this.clock.advance(Duration.ofMinutes(5));
			return "FAILED".equals(status(id));
		});
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("PLATFORM");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).contains("gave up after 3 attempts");
		runUntil(() -> this.provider.list().isEmpty());

		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		MvcTestResult next = this.api.submitFile(alice, this.competition, "labels", PREDICTIONS);
		assertThat(next.getResponse().getHeader("RateLimit")).startsWith("\"daily\";r=4;");
	}

	@Test
	void failsInvalidPredictionsAsTheSubmissionsFault() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		// The solution changed after the submission was checked: ids no longer match.
		this.api.uploadSolution(this.competition, "labels", SOLUTION.replace("9,0,private", "10,0,private"));
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "FAILED".equals(status(id)));
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("SUBMISSION");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).startsWith("invalid predictions");
	}

	/**
	 * Runs scheduling rounds, moving the clock a little each time, until the condition
	 * holds.
	 */
	private void runUntil(BooleanSupplier condition) {
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofSeconds(5));
			return condition.getAsBoolean();
		});
	}

	private String status(String id) {
		return this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class, id);
	}

	private int position(String id) {
		return JsonPath.read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", id)), "$.queuePosition");
	}

	private List<String> sandboxStatuses() {
		return this.jdbc.queryForList("select status from sandboxes order by created_at", String.class);
	}

	private List<String> startedIds() {
		return this.jdbc.queryForList("select id::text from submissions where status = 'PROVISIONING'", String.class);
	}

}
