package dev.podium.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ways the first engine wedged, observed on it: each is one bad item that must stay
 * that item's problem while everything else is evaluated.
 */
@PodiumTest
class EngineRegressionTests {

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

	TestSupport api;

	static int competitions;

	@BeforeEach
	void emptyQueue() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.api = new TestSupport(this.mvc);
		setBudget(1000);
	}

	@org.junit.jupiter.api.AfterEach
	void openTheBudgetAgain() {
		setBudget(1000);
	}

	@Test
	void sharedTaskSandboxesWithFewCreationsLeftEvaluateEverything() {
		String competition = "wedge-" + (++competitions);
		this.api.createCompetition(competition, """
				{"slug":"shared","title":"Shared","submissionKind":"FILE","metric":"accuracy_score",
				 "dailySubmissionLimit":10,"evaluationsPerSandbox":4,"reuseScope":"TASK","maxFileBytes":2048}
				""");
		this.api.uploadSolution(competition, "shared", SOLUTION);
		setBudget(2);
		List<String> ids = new ArrayList<>();
		for (int p = 0; p < 4; p++) {
			String token = this.api.addParticipant(competition, "p" + p);
			ids.add(this.api.submitFileId(token, competition, "shared", PREDICTIONS));
			ids.add(this.api.submitFileId(token, competition, "shared", PREDICTIONS));
		}
		runUntil(() -> count("select count(*) from submissions where status = 'SCORED'") == 8);
		assertThat(count("select count(*) from creation_charges where refunded_at is null")).isLessThanOrEqualTo(2);
	}

	@Test
	void aSealedTokenThatCannotBeOpenedFailsOnlyItsSubmission() {
		String competition = "sealed-" + (++competitions);
		this.api.createCompetition(competition, TestSupport.fileTask("labels"), """
				{"slug":"models","title":"Models","submissionKind":"MODEL","metric":"accuracy_score",
				 "localCommand":"cp predictions.csv \\"$OUTPUT_PATH\\""}
				""");
		this.api.uploadSolution(competition, "labels", SOLUTION);
		this.api.uploadSolution(competition, "models", SOLUTION);
		String alice = this.api.addParticipant(competition, "alice");
		String poisoned = TestSupport.require(this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"alice/model\",\"accessToken\":\"hf_secretsecretsecret\"}")
			.exchange(), 201);
		String poisonedId = com.jayway.jsonpath.JsonPath.read(poisoned, "$.id");
		// sealed under a key this instance does not have (another instance's, a rotated
		// one)
		this.jdbc.update(
				"update submissions set access_token_sealed = ? where id = ?::uuid", new byte[] { 1, 2, 3, 4, 5, 6, 7,
						8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30 },
				poisonedId);
		String healthy = this.api.submitFileId(alice, competition, "labels", PREDICTIONS);

		runUntil(() -> "SCORED".equals(status(healthy)) && "FAILED".equals(status(poisonedId)));
		assertThat(this.jdbc.queryForObject("select failure_category from submissions where id = ?::uuid", String.class,
				poisonedId))
			.isEqualTo("PLATFORM");
		runUntil(() -> count("select count(*) from sandboxes where status <> 'DESTROYED'") == 0
				|| count("select count(*) from submissions where status = 'QUEUED'") == 0);
	}

	/**
	 * An idle timeout of 0 means "leave when the queue is empty": the sandbox used to
	 * count as idle from the moment it was ready, retired before its first job, and the
	 * planner created another for the same work, until the budget was spent.
	 */
	@Test
	void aSandboxWithAnIdleTimeoutOfZeroServesTheWaitingJobsBeforeItLeaves() {
		String competition = "batch-" + (++competitions);
		this.api.createCompetition(competition, """
				{"slug":"batch","title":"Batch","submissionKind":"FILE","metric":"accuracy_score",
				 "dailySubmissionLimit":10,"evaluationsPerSandbox":10,"reuseScope":"TASK","idleTimeoutSeconds":0,
				 "maxFileBytes":2048}
				""");
		this.api.uploadSolution(competition, "batch", SOLUTION);
		List<String> ids = new ArrayList<>();
		for (int p = 0; p < 3; p++) {
			ids.add(this.api.submitFileId(this.api.addParticipant(competition, "p" + p), competition, "batch",
					PREDICTIONS));
		}
		this.planner.plan("test");
		java.util.UUID sandbox = this.jdbc.queryForObject("select id from sandboxes", java.util.UUID.class);
		this.jdbc.update("update sandboxes set status = 'RUNNING', ready_at = ?, idle_since = ? where id = ?",
				java.sql.Timestamp.from(this.clock.instant()), java.sql.Timestamp.from(this.clock.instant()), sandbox);
		for (int job = 0; job < 3; job++) {
			dev.podium.sandbox.SandboxCallbacks.JobOffer offer = this.desk.tryClaim(sandbox);
			assertThat(offer).isInstanceOf(dev.podium.sandbox.SandboxCallbacks.JobOffer.Assigned.class);
			java.util.UUID jobId = ((dev.podium.sandbox.SandboxCallbacks.JobOffer.Assigned) offer).job().jobId();
			this.desk.predictions(sandbox, jobId, new java.io.ByteArrayInputStream(PREDICTIONS.getBytes()), -1);
		}
		assertThat(this.desk.tryClaim(sandbox))
			.isInstanceOf(dev.podium.sandbox.SandboxCallbacks.JobOffer.Retired.class);
		assertThat(ids).allMatch((id) -> "SCORED".equals(status(id)));
		assertThat(count("select count(*) from creation_charges where refunded_at is null")).isEqualTo(1);
	}

	private void setBudget(int limit) {
		TestSupport.require(this.mvc.put()
			.uri("/api/budget")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"limit\":" + limit + ",\"reason\":\"test\"}")
			.exchange(), 200);
	}

	private void runUntil(BooleanSupplier condition) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
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
