package dev.podium.evaluation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.podium.InjectedFaults;
import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.sandbox.Listing;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.sandbox.SandboxCallbacks.SandboxJob;
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
 * The engine when things go wrong at the worst moment: a failure between a step's act and
 * its record, a poisoned submission among healthy ones, a participant whose jobs keep
 * faulting, a job that overruns, a cancellation racing a claim. Nothing is lost, nothing
 * is evaluated or charged twice, every sandbox is deleted.
 */
@PodiumTest
class EngineFaultTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	CreationPlanner planner;

	@Autowired
	SandboxJobDesk desk;

	@Autowired
	SandboxProvider provider;

	@Autowired
	InjectedFaults faults;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void emptyQueue() {
		FreshEngine.reset(this.jdbc, this.provider, this.clock);
		this.api = new TestSupport(this.mvc);
		this.competition = "faults-" + (++competitions);
		this.api.createCompetition(this.competition, """
				{"slug":"labels","title":"Labels","submissionKind":"FILE","metric":"accuracy_score",
				 "dailySubmissionLimit":20,"evaluationsPerSandbox":2,"idleTimeoutSeconds":60,"maxFileBytes":2048,
				 "timeoutSeconds":600}
				""", """
				{"slug":"shared","title":"Shared","submissionKind":"FILE","metric":"accuracy_score",
				 "dailySubmissionLimit":20,"reuseScope":"TASK","evaluationsPerSandbox":100,"maxFileBytes":2048}
				""");
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		this.api.uploadSolution(this.competition, "shared", SOLUTION);
	}

	@AfterEach
	void disarm() {
		this.faults.disarm();
	}

	@ParameterizedTest
	@ValueSource(strings = { "create", "create.check", "watch", "destroy" })
	void aFailureBetweenActAndRecordLosesNothingAndRepeatsNothing(String step) {
		this.faults.arm(step);
		List<String> ids = new ArrayList<>();
		for (int p = 0; p < 3; p++) {
			String token = this.api.addParticipant(this.competition, "p" + p);
			for (int i = 0; i < 3; i++) {
				ids.add(this.api.submitFileId(token, this.competition, "labels", PREDICTIONS));
			}
		}
		if (step.equals("create.check")) {
			// as after a creation whose outcome was unknown: the next create looks by
			// name first
			this.planner.plan(this.scheduler.owner());
			this.jdbc.update("update sandboxes set create_attempts = 1");
		}
		runUntil(() -> ids.stream().allMatch((id) -> "SCORED".equals(status(id))));
		this.clock.advance(Duration.ofMinutes(5));
		runUntil(() -> count("select count(*) from sandboxes where status <> 'DESTROYED'") == 0);

		assertThat(count("select count(*) from submission_transitions where status = 'SCORED'")).isEqualTo(9);
		// one charge per sandbox, however often its steps were repeated
		assertThat(count("select count(*) from creation_charges where refunded_at is null"))
			.isEqualTo(count("select count(*) from sandboxes"));
		assertThat(((Listing.Listed) this.provider.list()).names()).isEmpty();
		assertThat(this.faults.fired()).isPositive();
	}

	@Test
	void onePoisonedSubmissionAmongTwentyHealthyOnesFailsAlone() {
		List<String> healthy = new ArrayList<>();
		String poisoned = null;
		for (int p = 0; p < 7; p++) {
			String token = this.api.addParticipant(this.competition, "p" + p);
			for (int i = 0; i < 3; i++) {
				String id = this.api.submitFileId(token, this.competition, "shared", PREDICTIONS);
				if (poisoned == null) {
					poisoned = id;
				}
				else {
					healthy.add(id);
				}
			}
		}
		// its file is gone: scoring it finds nothing to read
		this.jdbc.update("update submission_files set content = ? where submission_id = ?::uuid",
				"\u0000\u0001not a csv".getBytes(StandardCharsets.UTF_8), poisoned);
		String bad = poisoned;
		runUntil(() -> healthy.stream().allMatch((id) -> "SCORED".equals(status(id))) && "FAILED".equals(status(bad)));
		assertThat(healthy).hasSize(20);
		assertThat(this.jdbc.queryForObject("select failure_category from submissions where id = ?::uuid", String.class,
				bad))
			.isEqualTo("SUBMISSION");
	}

	@Test
	void aJobThatOverrunsItsTimeLimitFailsAsTheSubmissionsFaultAndCounts() {
		String token = this.api.addParticipant(this.competition, "slow");
		String id = this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
		this.planner.plan("test");
		UUID sandbox = this.jdbc.queryForObject("select id from sandboxes", UUID.class);
		this.jdbc.update("update sandboxes set status = 'RUNNING', ready_at = created_at where id = ?", sandbox);
		SandboxJob job = take(sandbox);
		this.desk.jobStarted(sandbox, job.jobId());
		// the job's ten minutes, and the margin, pass without a report
		this.clock.advance(Duration.ofMinutes(13));
		this.jdbc.update("update sandboxes set lease_owner = null, next_step_at = ?",
				java.sql.Timestamp.from(this.clock.instant()));
		this.scheduler.runOnce();
		String body = bodyOf(this.api.get(token, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.status")).isEqualTo("FAILED");
		assertThat(JsonPath.<String>read(body, "$.failure.category")).isEqualTo("SUBMISSION");
		assertThat(JsonPath.<String>read(body, "$.failure.message")).contains("time limit");
		// the sandbox did not end it itself: it serves no further job
		assertThat(this.jdbc.queryForObject("select status from sandboxes", String.class)).isIn("DRAINING",
				"DESTROYING", "DESTROYED");
		// it counts against the daily limit of 20
		MvcTestResult next = this.api.submitFile(token, this.competition, "labels", PREDICTIONS);
		assertThat(next.getResponse().getHeader("RateLimit")).startsWith("\"daily\";r=18;");
	}

	@Test
	void aParticipantWhoseJobsKeepFaultingWaitsForAnOperatorInsteadOfSpendingCreations() {
		String token = this.api.addParticipant(this.competition, "unlucky");
		for (int i = 0; i < 12; i++) {
			this.api.submitFileId(token, this.competition, "shared", PREDICTIONS);
		}
		this.planner.plan("test");
		UUID sandbox = this.jdbc.queryForObject("select id from sandboxes", UUID.class);
		this.jdbc.update("update sandboxes set status = 'RUNNING', ready_at = created_at where id = ?", sandbox);
		int faults = 0;
		for (int round = 0; round < 40
				&& count("select count(*) from submissions where held_at is not null") == 0; round++) {
			JobOffer offer = this.desk.tryClaim(sandbox);
			if (offer instanceof JobOffer.Assigned assigned) {
				this.desk.failure(sandbox, assigned.job().jobId(), false, "the platform hiccuped");
				faults++;
			}
			else {
				this.clock.advance(Duration.ofMinutes(11));
			}
		}
		assertThat(faults).isEqualTo(21);
		String held = this.jdbc.queryForObject("select id::text from submissions where held_at is not null",
				String.class);
		String body = bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", held));
		assertThat(JsonPath.<String>read(body, "$.waitingFor")).isEqualTo("OPERATOR");
		// beyond the cap, every further fault of theirs holds that submission too
		for (int round = 0; round < 40; round++) {
			this.clock.advance(Duration.ofMinutes(11));
			JobOffer offer = this.desk.tryClaim(sandbox);
			if (!(offer instanceof JobOffer.Assigned assigned)) {
				break;
			}
			this.desk.failure(sandbox, assigned.job().jobId(), false, "the platform hiccuped");
		}
		assertThat(count("select count(*) from submissions where status = 'QUEUED' and held_at is null")).isZero();
		int heldCount = count("select count(*) from submissions where held_at is not null");
		assertThat(heldCount).isPositive();
		String list = bodyOf(this.api.get(ADMIN_TOKEN, "/api/operations/held"));
		assertThat(JsonPath.<List<String>>read(list, "$[*].submissionId")).hasSize(heldCount).contains(held);
		assertThat(this.mvc.post()
			.uri("/api/operations/held/release")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"all\":true}")).hasStatusOk().bodyJson().extractingPath("$.released").isEqualTo(heldCount);
		assertThat(this.desk.tryClaim(sandbox)).isInstanceOf(JobOffer.Assigned.class);
		assertThat(this.mvc.post()
			.uri("/api/operations/held/release")
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"all\":true}")).hasStatus(403);
	}

	@Test
	void cancellingOrSelectingWhileAnEvaluationClaimsAnswers409Never500() throws Exception {
		String token = this.api.addParticipant(this.competition, "racer");
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 15; round++) {
				String id = this.api.submitFileId(token, this.competition, "shared", PREDICTIONS);
				UUID sandbox = servingSandbox();
				CountDownLatch start = new CountDownLatch(1);
				Future<Integer> cancel = pool.submit(() -> {
					start.await();
					return this.mvc.delete()
						.uri("/api/submissions/{id}", id)
						.header(HttpHeaders.AUTHORIZATION, bearer(token))
						.exchange()
						.getResponse()
						.getStatus();
				});
				Future<JobOffer> claim = pool.submit(() -> {
					start.await();
					return this.desk.tryClaim(sandbox);
				});
				start.countDown();
				int status = cancel.get();
				JobOffer offer = claim.get();
				assertThat(status).isIn(200, 409);
				assertThat((status == 200) != (offer instanceof JobOffer.Assigned)).isTrue();
				if (offer instanceof JobOffer.Assigned assigned) {
					this.desk.predictions(sandbox, assigned.job().jobId(),
							new ByteArrayInputStream(PREDICTIONS.getBytes(StandardCharsets.UTF_8)), -1);
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private UUID servingSandbox() {
		this.planner.plan("test");
		UUID sandbox = this.jdbc.queryForObject(
				"select id from sandboxes where status <> 'DESTROYED' order by created_at desc limit 1", UUID.class);
		this.jdbc.update("update sandboxes set status = 'RUNNING', ready_at = created_at where id = ?", sandbox);
		return sandbox;
	}

	private SandboxJob take(UUID sandbox) {
		JobOffer offer = this.desk.tryClaim(sandbox);
		assertThat(offer).isInstanceOf(JobOffer.Assigned.class);
		return ((JobOffer.Assigned) offer).job();
	}

	private void runUntil(BooleanSupplier condition) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofSeconds(20));
			return condition.getAsBoolean();
		});
	}

	private String status(String id) {
		return this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class, id);
	}

	private int count(String sql) {
		return this.jdbc.queryForObject(sql, Integer.class);
	}

}
