package dev.podium.evaluation;

import java.time.Instant;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.security.Tokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming sandbox API a Space's evaluation app calls with its own token: the next
 * job, its file, its start, its predictions or failure, each fenced by the job id.
 */
@PodiumTest
class SandboxApiTests {

	static final String TOKEN = "sbx_test-token";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	CreationPlanner planner;

	String alice;

	String bob;

	UUID sandbox;

	static int competitions;

	@BeforeEach
	void aServingSandboxOfATaskWithTwoSubmissions() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.jdbc
			.update("update creation_budgets set creation_limit = 1000, blocked_until = null, version = version + 1");
		TestSupport api = new TestSupport(this.mvc);
		String competition = "sandbox-api-" + (++competitions);
		api.createCompetition(competition, """
				{"slug":"labels","title":"Labels","submissionKind":"FILE","metric":"accuracy_score",
				 "reuseScope":"TASK","evaluationsPerSandbox":3,"maxFileBytes":2048}
				""");
		api.uploadSolution(competition, "labels", SOLUTION);
		this.alice = api.submitFileId(api.addParticipant(competition, "alice"), competition, "labels", PREDICTIONS);
		this.clock.advance(java.time.Duration.ofSeconds(1));
		this.bob = api.submitFileId(api.addParticipant(competition, "bob"), competition, "labels", PREDICTIONS);
		this.planner.plan("test");
		this.sandbox = this.jdbc.queryForObject("select id from sandboxes", UUID.class);
		this.jdbc.update("update sandboxes set status = 'STARTING', token_hash = ? where id = ?", Tokens.hash(TOKEN),
				this.sandbox);
	}

	@Test
	void handsOutJobsOneAtATimeInFairOrderAndScoresThePredictions() {
		MvcTestResult first = next(this.sandbox, TOKEN);
		assertThat(first).hasStatusOk();
		String body = bodyOf(first);
		assertThat(JsonPath.<String>read(body, "$.submissionId")).isEqualTo(this.alice);
		assertThat(JsonPath.<String>read(body, "$.kind")).isEqualTo("FILE");
		assertThat(JsonPath.<String>read(body, "$.task.metric")).isEqualTo("accuracy_score");
		assertThat(JsonPath.<String>read(body, "$.task.runner")).isEqualTo("predict");
		String jobId = JsonPath.read(body, "$.jobId");
		assertThat(JsonPath.<String>read(body, "$.fileUrl"))
			.endsWith("/api/sandboxes/" + this.sandbox + "/jobs/" + jobId + "/file");
		assertThat(status(this.alice)).isEqualTo("EVALUATING");
		assertThat(status(this.bob)).isEqualTo("QUEUED");
		assertThat(sandboxStatus()).isEqualTo("RUNNING");

		MvcTestResult file = get("/api/sandboxes/{s}/jobs/{j}/file", TOKEN, this.sandbox, jobId);
		assertThat(file).hasStatusOk();
		assertThat(bodyOf(file)).isEqualTo(PREDICTIONS);
		assertThat(post("/api/sandboxes/{s}/jobs/{j}/started", this.sandbox, jobId)).hasStatus(204);
		assertThat(this.jdbc.queryForObject("select job_deadline_at is not null from submissions where id = ?::uuid",
				Boolean.class, this.alice))
			.isTrue();
		assertThat(predictions(this.sandbox, jobId, PREDICTIONS)).hasStatus(204);
		assertThat(status(this.alice)).isEqualTo("SCORED");

		String second = bodyOf(next(this.sandbox, TOKEN));
		assertThat(JsonPath.<String>read(second, "$.submissionId")).isEqualTo(this.bob);
	}

	@Test
	void answersNoContentWhenNothingWaitsAndGoneOnceRetired() {
		assertThat(next(this.sandbox, TOKEN)).hasStatusOk();
		assertThat(next(this.sandbox, TOKEN)).hasStatusOk();
		// its job limit is 3: two served, one more and it retires
		this.jdbc.update("update submissions set status = 'CANCELLED' where status = 'QUEUED'");
		assertThat(next(this.sandbox, TOKEN)).hasStatus(204);
		this.jdbc.update("update sandboxes set jobs_served = max_jobs where id = ?", this.sandbox);
		MvcTestResult retired = next(this.sandbox, TOKEN);
		assertThat(retired).hasStatus(410);
		assertThat(JsonPath.<String>read(bodyOf(retired), "$.type"))
			.isEqualTo("https://podium.dev/problems/sandbox-retired");
		assertThat(sandboxStatus()).isEqualTo("DRAINING");
	}

	@Test
	void aSandboxThatAsksAgainWithoutReportingLosesTheJobToTheQueue() {
		String first = JsonPath.read(bodyOf(next(this.sandbox, TOKEN)), "$.jobId");
		// it restarted: it asks for new work, and gets the next job in line
		MvcTestResult again = next(this.sandbox, TOKEN);
		assertThat(JsonPath.<String>read(bodyOf(again), "$.submissionId")).isEqualTo(this.bob);
		assertThat(status(this.alice)).isEqualTo("QUEUED");
		// its report on the lost job changes nothing
		assertThat(predictions(this.sandbox, first, PREDICTIONS)).hasStatus(409);
		assertThat(status(this.alice)).isEqualTo("QUEUED");
		assertThat(this.jdbc.queryForObject("select count(*) from submission_transitions where status = 'SCORED'",
				Integer.class))
			.isZero();
	}

	@Test
	void refusesWrongTokensOtherSandboxesJobsAndDeadSandboxes() {
		String jobId = JsonPath.read(bodyOf(next(this.sandbox, TOKEN)), "$.jobId");
		assertThat(next(this.sandbox, "sbx_wrong")).hasStatus(401);
		assertThat(this.mvc.post().uri("/api/sandboxes/{s}/jobs/next?wait=0", this.sandbox)).hasStatus(401);
		assertThat(next(UUID.randomUUID(), TOKEN)).hasStatus(404);
		assertThat(get("/api/sandboxes/{s}/jobs/{j}/file", TOKEN, this.sandbox, UUID.randomUUID())).hasStatus(409);
		// A participant's token is no sandbox token.
		assertThat(next(this.sandbox, TestSupport.ADMIN_TOKEN)).hasStatus(401);

		this.jdbc.update("update sandboxes set status = 'DESTROYED' where id = ?", this.sandbox);
		assertThat(next(this.sandbox, TOKEN)).hasStatus(404);
		assertThat(predictions(this.sandbox, jobId, PREDICTIONS)).hasStatus(404);
	}

	@Test
	void recordsReportedFailuresAsTheirCategoryDemands() {
		String first = JsonPath.read(bodyOf(next(this.sandbox, TOKEN)), "$.jobId");
		assertThat(failure(this.sandbox, first, "SUBMISSION", "model failed to load")).hasStatus(204);
		assertThat(status(this.alice)).isEqualTo("FAILED");
		assertThat(this.jdbc.queryForObject("select failure_message from submissions where id = ?::uuid", String.class,
				this.alice))
			.isEqualTo("model failed to load");

		String second = JsonPath.read(bodyOf(next(this.sandbox, TOKEN)), "$.jobId");
		assertThat(failure(this.sandbox, second, "PLATFORM", "the Hub timed out")).hasStatus(204);
		assertThat(status(this.bob)).isEqualTo("QUEUED");
		assertThat(failure(this.sandbox, second, "PLATFORM", "again")).hasStatus(409);
		assertThat(failure(this.sandbox, UUID.randomUUID().toString(), "NEITHER", "?")).hasStatus(400);
	}

	@Test
	void failsPredictionsLargerThanTheTaskAllowsWithoutReadingThemAll() {
		String jobId = JsonPath.read(bodyOf(next(this.sandbox, TOKEN)), "$.jobId");
		assertThat(predictions(this.sandbox, jobId, "id,label\n" + "1,0\n".repeat(1000))).hasStatus(413);
		assertThat(status(this.alice)).isEqualTo("FAILED");
		assertThat(this.jdbc.queryForObject("select failure_category from submissions where id = ?::uuid", String.class,
				this.alice))
			.isEqualTo("SUBMISSION");
	}

	@Test
	void aLongProblemListFailsTheSubmissionInsteadOfTheUpload() {
		String jobId = JsonPath.read(bodyOf(next(this.sandbox, TOKEN)), "$.jobId");
		StringBuilder bad = new StringBuilder("id,label\n");
		for (int i = 100; i < 300; i++) {
			bad.append("row-with-a-long-identifier-").append(i).append(",1\n");
		}
		this.jdbc.update("update tasks set max_file_bytes = 100000");
		assertThat(predictions(this.sandbox, jobId, bad.toString())).hasStatus(204);
		assertThat(status(this.alice)).isEqualTo("FAILED");
		assertThat(this.jdbc.queryForObject("select length(failure_message) from submissions where id = ?::uuid",
				Integer.class, this.alice))
			.isLessThanOrEqualTo(2000);
	}

	@Test
	void oneCompetitionSandboxServesJobsOfTwoTasksAndEachJobNamesItsTask() {
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		TestSupport api = new TestSupport(this.mvc);
		String competition = "sandbox-api-" + (++competitions);
		api.createCompetition(competition, """
				{"slug":"labels","title":"Labels","submissionKind":"FILE","metric":"accuracy_score",
				 "reuseScope":"COMPETITION","evaluationsPerSandbox":10,"maxFileBytes":2048}
				""", """
				{"slug":"tags","title":"Tags","submissionKind":"FILE","metric":"accuracy_score",
				 "reuseScope":"COMPETITION","evaluationsPerSandbox":10,"maxFileBytes":2048}
				""");
		api.uploadSolution(competition, "labels", SOLUTION);
		api.uploadSolution(competition, "tags", SOLUTION);
		String carol = api.addParticipant(competition, "carol");
		String labels = api.submitFileId(carol, competition, "labels", PREDICTIONS);
		this.clock.advance(java.time.Duration.ofSeconds(1));
		String tags = api.submitFileId(api.addParticipant(competition, "dave"), competition, "tags", PREDICTIONS);
		this.planner.plan("test");
		// one creation serves the work of both tasks
		assertThat(this.jdbc.queryForObject("select count(*) from sandboxes", Integer.class)).isEqualTo(1);
		UUID shared = this.jdbc.queryForObject("select id from sandboxes where scope = 'COMPETITION'", UUID.class);
		this.jdbc.update("update sandboxes set status = 'STARTING', token_hash = ? where id = ?", Tokens.hash(TOKEN),
				shared);

		String first = bodyOf(next(shared, TOKEN));
		assertThat(JsonPath.<String>read(first, "$.submissionId")).isEqualTo(labels);
		assertThat(JsonPath.<String>read(first, "$.task.slug")).isEqualTo("labels");
		assertThat(predictions(shared, JsonPath.read(first, "$.jobId"), PREDICTIONS)).hasStatus(204);
		String second = bodyOf(next(shared, TOKEN));
		assertThat(JsonPath.<String>read(second, "$.submissionId")).isEqualTo(tags);
		assertThat(JsonPath.<String>read(second, "$.task.slug")).isEqualTo("tags");
		assertThat(predictions(shared, JsonPath.read(second, "$.jobId"), PREDICTIONS)).hasStatus(204);

		assertThat(status(labels)).isEqualTo("SCORED");
		assertThat(status(tags)).isEqualTo("SCORED");
		assertThat(this.jdbc.queryForObject("select count(distinct task_id) from submissions where sandbox_id = ?",
				Integer.class, shared))
			.isEqualTo(2);
		assertThat(this.jdbc.queryForObject("select count(*) from sandboxes", Integer.class)).isEqualTo(1);
	}

	private MvcTestResult next(UUID sandbox, String token) {
		return this.mvc.post()
			.uri("/api/sandboxes/{s}/jobs/next?wait=0", sandbox)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.exchange();
	}

	private MvcTestResult post(String uri, Object... variables) {
		return this.mvc.post().uri(uri, variables).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange();
	}

	private MvcTestResult predictions(UUID sandbox, String jobId, String csv) {
		return this.mvc.put()
			.uri("/api/sandboxes/{s}/jobs/{j}/predictions", sandbox, jobId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(csv)
			.exchange();
	}

	private MvcTestResult failure(UUID sandbox, String jobId, String category, String message) {
		return this.mvc.post()
			.uri("/api/sandboxes/{s}/jobs/{j}/failure", sandbox, jobId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"category\":\"" + category + "\",\"message\":\"" + message + "\"}")
			.exchange();
	}

	private MvcTestResult get(String uri, String token, Object... variables) {
		return this.mvc.get().uri(uri, variables).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
	}

	private String status(String id) {
		return this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class, id);
	}

	private String sandboxStatus() {
		return this.jdbc.queryForObject("select status from sandboxes where id = ?", String.class, this.sandbox);
	}

}
