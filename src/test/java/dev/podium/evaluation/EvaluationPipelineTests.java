package dev.podium.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import dev.podium.sandbox.Listing;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
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
 * Submissions through the scheduler and streaming local sandboxes to scores, on a real
 * database, with the clock moved by the test (sandboxes take a minute to "build").
 */
@PodiumTest
class EvaluationPipelineTests {

	/** The demo task's predictions, written by a task's local command. */
	static final String WRITE_PREDICTIONS = "echo '{\\\"public_score\\\": 1.0}'; printf 'id,label\\n0,1\\n1,0\\n2,1\\n3,0\\n4,0\\n5,0\\n6,0\\n7,1\\n8,0\\n9,0\\n'"
			+ " > \\\"$OUTPUT_PATH\\\"";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	dev.podium.submission.SubmissionQueue queue;

	@Autowired
	CreationPlanner planner;

	@Autowired
	SandboxJobDesk desk;

	@Autowired
	SandboxProvider provider;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void emptyQueue() {
		FreshEngine.reset(this.jdbc, this.provider, this.clock);
		this.api = new TestSupport(this.mvc);
		this.competition = "pipeline-" + (++competitions);
		this.api.createCompetition(this.competition, TestSupport.fileTask("labels"), """
				{"slug":"models","title":"Models","submissionKind":"MODEL","metric":"accuracy_score",
				 "localCommand":"%s"}
				""".formatted(WRITE_PREDICTIONS),
				"""
						{"slug":"inline","title":"Inline","submissionKind":"FILE","evaluation":"INLINE","metric":"accuracy_score"}
						""",
				"""
						{"slug":"shared","title":"Shared","submissionKind":"FILE","metric":"accuracy_score",
						 "reuseScope":"TASK","evaluationsPerSandbox":10,"idleTimeoutSeconds":600,"maxFileBytes":2048}
						""");
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		this.api.uploadSolution(this.competition, "models", SOLUTION);
		this.api.uploadSolution(this.competition, "inline", SOLUTION);
		this.api.uploadSolution(this.competition, "shared", SOLUTION);
	}

	@Test
	void scoresAFileSubmissionInALocalSandboxThenDeletesItOnceIdle() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);

		this.scheduler.runOnce();
		assertThat(sandboxStatuses()).containsExactly("STARTING");
		assertThat(names()).hasSize(1);
		assertThat(status(id)).isEqualTo("QUEUED");

		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		String own = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(JsonPath.<Double>read(own, "$.publicScore")).isEqualTo(0.8);
		assertThat(own).doesNotContain("privateScore").doesNotContain("queuePosition");
		assertThat(JsonPath.<String>read(own, "$.startedAt")).isNotNull();
		assertThat(JsonPath.<String>read(own, "$.finishedAt")).isNotNull();
		String staff = bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", id));
		assertThat(JsonPath.<Double>read(staff, "$.privateScore")).isEqualTo(0.8);
		assertThat(this.jdbc.queryForList(
				"select status from submission_transitions where submission_id = ?::uuid order by id", String.class,
				id))
			.containsExactly("QUEUED", "EVALUATING", "SCORED");

		// it waits for more work for its idle timeout, then goes
		this.scheduler.runOnce();
		assertThat(sandboxStatuses()).containsExactly("RUNNING");
		this.clock.advance(Duration.ofHours(3));
		runUntil(() -> sandboxStatuses().equals(List.of("DESTROYED")));
		assertThat(names()).isEmpty();
	}

	@Test
	void aLiveSandboxServesSubmissionsAsTheyArriveWithoutAnotherCreation() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String first = this.api.submitFileId(alice, this.competition, "shared", PREDICTIONS);
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(first)));

		List<String> later = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofMinutes(3));
			later.add(this.api.submitFileId((i % 2 == 0) ? bob : alice, this.competition, "shared", PREDICTIONS));
			this.scheduler.runOnce();
		}
		runUntil(() -> later.stream().allMatch((id) -> "SCORED".equals(status(id))));
		assertThat(this.jdbc.queryForObject("select count(*) from sandboxes", Integer.class)).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select jobs_served from sandboxes", Integer.class)).isEqualTo(4);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from creation_charges where sandbox_name in " + "(select name from sandboxes)",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void runsAModelThroughTheTasksLocalCommandAndScoresItsFile() {
		String alice = this.api.addParticipant(this.competition, "alice");
		MvcTestResult created = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"alice/model\",\"revision\":\"v1\"}")
			.exchange();
		String id = JsonPath.read(TestSupport.require(created, 201), "$.id");
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
		assertThat(this.jdbc.queryForList(
				"select status from submission_transitions where submission_id = ?::uuid order by id", String.class,
				good))
			.containsExactly("QUEUED", "EVALUATING", "SCORED");
	}

	@Test
	void servesEachParticipantsNextRoundBeforeAnyonesLater() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String carol = this.api.addParticipant(this.competition, "carol");
		List<String> aliceIds = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			aliceIds.add(this.api.submitFileId(alice, this.competition, "shared", PREDICTIONS));
			this.clock.advance(Duration.ofSeconds(1));
		}
		String bob1 = this.api.submitFileId(bob, this.competition, "shared", PREDICTIONS);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(position(bob1)).isEqualTo(2);
		UUID sandbox = servingSandbox();
		assertThat(claim(sandbox)).isEqualTo(aliceIds.get(0));
		assertThat(claim(sandbox)).isEqualTo(bob1);
		// carol arrives after alice's first two were served: she goes next, whatever
		// finished in between
		assertThat(claim(sandbox)).isEqualTo(aliceIds.get(1));
		String carol1 = this.api.submitFileId(carol, this.competition, "shared", PREDICTIONS);
		// positions read the earlier rounds from the scheduler's last count
		this.queue.refreshSnapshot(Duration.ZERO);
		assertThat(position(carol1)).isEqualTo(1);
		assertThat(claim(sandbox)).isEqualTo(carol1);
		assertThat(claim(sandbox)).isEqualTo(aliceIds.get(2));
	}

	@Test
	void twoInstancesRacingNeverCreateTwiceForOneScopeNorExceedTheCap() throws Exception {
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
				rounds.add(() -> this.planner.plan(owner));
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
		assertThat(this.jdbc.queryForObject("select count(distinct participant_id) from sandboxes", Integer.class))
			.isEqualTo(4);
	}

	@Test
	void carriesOnASandboxWhoseInstanceDiedWithoutLeakOrDuplicate() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		// Another instance planned it and died before it could create it: its lease runs
		// out.
		this.planner.plan("crashed-instance");
		this.scheduler.runOnce();
		assertThat(sandboxStatuses()).containsExactly("CREATING");
		assertThat(names()).isEmpty();

		this.clock.advance(Duration.ofMinutes(2));
		this.scheduler.runOnce();
		assertThat(sandboxStatuses()).containsExactly("STARTING");
		assertThat(this.jdbc.queryForObject("select lease_epoch from sandboxes", Long.class)).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(this.jdbc.queryForObject(
				"select count(*) from submission_transitions where submission_id = ?::uuid and status = 'SCORED'",
				Integer.class, id))
			.isEqualTo(1);
		assertThat(this.jdbc.queryForObject("select count(*) from creation_charges", Integer.class)).isEqualTo(1);
	}

	@Test
	void aSandboxLostMidJobHandsTheJobBackAndTheWorkFinishesElsewhere() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(alice, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		UUID sandbox = servingSandbox();
		// The sandbox takes the job, then vanishes (as a Space evicted, or a local
		// sandbox when Podium is killed).
		assertThat(take(sandbox).submissionId().toString()).isEqualTo(id);
		this.provider.destroy(name(sandbox));
		this.clock.advance(Duration.ofMinutes(2));
		this.scheduler.runOnce();
		assertThat(status(id)).isEqualTo("QUEUED");
		assertThat(this.jdbc.queryForObject("select status from sandboxes where id = ?", String.class, sandbox))
			.isIn("DESTROYING", "DESTROYED");

		this.clock.advance(Duration.ofMinutes(15));
		this.scheduler.runOnce();
		this.clock.advance(Duration.ofMinutes(1));
		runUntil(() -> "SCORED".equals(status(id)));
		assertThat(this.jdbc.queryForObject("select attempts from submissions where id = ?::uuid", Integer.class, id))
			.isEqualTo(2);
		String body = bodyOf(this.api.get(alice, "/api/submissions/{id}", id));
		assertThat(body).doesNotContain("failure");
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
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofSeconds(5));
			return condition.getAsBoolean();
		});
	}

	/** A TASK-scope sandbox of the shared task, serving, driven by the test. */
	private UUID servingSandbox() {
		this.planner.plan("test");
		UUID sandbox = this.jdbc.queryForObject("select id from sandboxes order by created_at desc limit 1",
				UUID.class);
		this.jdbc.update("update sandboxes set status = 'RUNNING', ready_at = created_at where id = ?", sandbox);
		return sandbox;
	}

	/** The sandbox asks for its next job. */
	private dev.podium.sandbox.SandboxCallbacks.SandboxJob take(UUID sandbox) {
		JobOffer offer = this.desk.tryClaim(sandbox);
		assertThat(offer).isInstanceOf(JobOffer.Assigned.class);
		return ((JobOffer.Assigned) offer).job();
	}

	/** The sandbox asks for its next job and hands it in at once. */
	private String claim(UUID sandbox) {
		var job = take(sandbox);
		this.desk.predictions(sandbox, job.jobId(), new java.io.ByteArrayInputStream(PREDICTIONS.getBytes()), -1);
		return job.submissionId().toString();
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

	private String name(UUID sandbox) {
		return this.jdbc.queryForObject("select name from sandboxes where id = ?", String.class, sandbox);
	}

	private java.util.Set<String> names() {
		return ((Listing.Listed) this.provider.list()).names();
	}

}
