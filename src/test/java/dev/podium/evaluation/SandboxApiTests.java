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

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The API a Space's evaluation app calls, with its own sandbox token. */
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
	SandboxStarter starter;

	String submission;

	String other;

	UUID sandbox;

	static int competitions;

	@BeforeEach
	void aSandboxWithOneSubmission() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		TestSupport api = new TestSupport(this.mvc);
		String competition = "sandbox-api-" + (++competitions);
		api.createCompetition(competition, TestSupport.fileTask("labels"));
		api.uploadSolution(competition, "labels", SOLUTION);
		String alice = api.addParticipant(competition, "alice");
		String bob = api.addParticipant(competition, "bob");
		this.submission = api.submitFileId(alice, competition, "labels", PREDICTIONS);
		this.other = api.submitFileId(bob, competition, "labels", PREDICTIONS);
		this.starter.startWhileCapacityAllows("test", this.clock.instant());
		this.sandbox = this.jdbc.queryForObject("select sandbox_id from submissions where id = ?::uuid", UUID.class,
				this.submission);
		this.jdbc.update("update sandboxes set status = 'RUNNING', token_hash = ? where id = ?", Tokens.hash(TOKEN),
				this.sandbox);
	}

	@Test
	void servesTheJobAndTheFileAndScoresThePredictions() {
		var job = get("/api/sandboxes/{s}/job", TOKEN, this.sandbox);
		assertThat(job).hasStatusOk();
		String body = bodyOf(job);
		assertThat(JsonPath.<String>read(body, "$.submissions[0].id")).isEqualTo(this.submission);
		assertThat(JsonPath.<String>read(body, "$.task.metric")).isEqualTo("accuracy_score");
		String fileUrl = JsonPath.read(body, "$.submissions[0].fileUrl");
		assertThat(fileUrl).endsWith("/api/sandboxes/" + this.sandbox + "/submissions/" + this.submission + "/file");
		assertThat(status(this.submission)).isEqualTo("EVALUATING");

		var file = get("/api/sandboxes/{s}/submissions/{id}/file", TOKEN, this.sandbox, this.submission);
		assertThat(file).hasStatusOk();
		assertThat(bodyOf(file)).isEqualTo(PREDICTIONS);

		assertThat(this.mvc.put()
			.uri("/api/sandboxes/{s}/submissions/{id}/predictions", this.sandbox, this.submission)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(PREDICTIONS)).hasStatus(204);
		assertThat(status(this.submission)).isEqualTo("SCORED");
	}

	@Test
	void refusesWrongTokensOtherSandboxesWorkAndDeadSandboxes() {
		assertThat(get("/api/sandboxes/{s}/job", "sbx_wrong", this.sandbox)).hasStatus(401);
		assertThat(this.mvc.get().uri("/api/sandboxes/{s}/job", this.sandbox)).hasStatus(401);
		assertThat(get("/api/sandboxes/{s}/job", TOKEN, UUID.randomUUID())).hasStatus(404);
		assertThat(get("/api/sandboxes/{s}/submissions/{id}/file", TOKEN, this.sandbox, this.other)).hasStatus(404);
		// A participant's token is no sandbox token.
		assertThat(get("/api/sandboxes/{s}/job", TestSupport.ADMIN_TOKEN, this.sandbox)).hasStatus(401);

		this.jdbc.update("update sandboxes set status = 'DESTROYED' where id = ?", this.sandbox);
		assertThat(get("/api/sandboxes/{s}/job", TOKEN, this.sandbox)).hasStatus(404);
	}

	@Test
	void recordsAReportedFailure() {
		get("/api/sandboxes/{s}/job", TOKEN, this.sandbox);
		assertThat(this.mvc.post()
			.uri("/api/sandboxes/{s}/submissions/{id}/failure", this.sandbox, this.submission)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"category\":\"SUBMISSION\",\"message\":\"model failed to load\"}")).hasStatus(204);
		assertThat(status(this.submission)).isEqualTo("FAILED");
		assertThat(this.jdbc.queryForObject("select failure_message from submissions where id = ?::uuid", String.class,
				this.submission))
			.isEqualTo("model failed to load");
	}

	private org.springframework.test.web.servlet.assertj.MvcTestResult get(String uri, String token,
			Object... variables) {
		return this.mvc.get().uri(uri, variables).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
	}

	private String status(String id) {
		return this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class, id);
	}

}
