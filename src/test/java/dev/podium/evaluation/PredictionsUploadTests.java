package dev.podium.evaluation;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.BodyProbe;
import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.security.Tokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox API's predictions upload, open to anyone on the network: the sandbox's
 * token is checked before any byte of the body is read, and no more than the task's
 * {@code maxFileBytes} (2048 here) is read. Same context as {@code BodyLimitTests}.
 */
@PodiumTest
@TestPropertySource(properties = { "podium.limits.json=2KB", "podium.limits.upload=4KB",
		"spring.servlet.multipart.max-request-size=8KB" })
@Import(BodyProbe.Configuration.class)
class PredictionsUploadTests {

	static final String TOKEN = "sbx_predictions-token";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	CreationPlanner planner;

	@Autowired
	SandboxJobDesk desk;

	String submission;

	UUID sandbox;

	UUID job;

	static int competitions;

	@BeforeEach
	void aRunningSandboxWithOneSubmission() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		TestSupport api = new TestSupport(this.mvc);
		String competition = "predictions-" + (++competitions);
		api.createCompetition(competition, TestSupport.fileTask("labels"));
		api.uploadSolution(competition, "labels", SOLUTION);
		this.submission = api.submitFileId(api.addParticipant(competition, "alice"), competition, "labels",
				PREDICTIONS);
		this.jdbc.update("delete from creation_charges");
		this.jdbc
			.update("update creation_budgets set creation_limit = 1000, blocked_until = null, version = version + 1");
		this.planner.plan("test");
		this.sandbox = this.jdbc.queryForObject("select id from sandboxes", UUID.class);
		this.jdbc.update("update sandboxes set status = 'RUNNING', token_hash = ? where id = ?", Tokens.hash(TOKEN),
				this.sandbox);
		this.job = ((JobOffer.Assigned) this.desk.tryClaim(this.sandbox)).job().jobId();
	}

	@Test
	void readsNothingForACallerWithoutTheSandboxsToken() {
		assertThat(put(null, "x".repeat(3000), false)).hasStatus(401);
		assertThat(put("sbx_wrong", "x".repeat(3000), true)).hasStatus(401);
		assertThat(BodyProbe.bytesRead.get()).isZero();
		assertThat(status()).isEqualTo("EVALUATING");
	}

	@Test
	void readsAtMostTheTasksLimitAndFailsTheSubmissionOverIt() {
		String large = PREDICTIONS + "10,1\n".repeat(500);
		MvcTestResult declared = put(TOKEN, large, false);
		assertThat(declared).hasStatus(413)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/request-too-large");
		assertThat(declared).bodyJson().extractingPath("$.maxBytes").isEqualTo(2048);
		assertThat(BodyProbe.bytesRead.get()).isZero();
		assertThat(status()).isEqualTo("FAILED");
		assertThat(this.jdbc.queryForObject("select failure_message from submissions where id = ?::uuid", String.class,
				this.submission))
			.isEqualTo("the predictions exceed the task's limit of 2048 bytes");
	}

	@Test
	void stopsReadingPredictionsWithoutALengthAtTheTasksLimit() {
		MvcTestResult chunked = put(TOKEN, PREDICTIONS + "10,1\n".repeat(5000), true);
		assertThat(chunked).hasStatus(413);
		assertThat(BodyProbe.bytesRead.get()).isBetween(2048L, 2049L);
		assertThat(status()).isEqualTo("FAILED");
	}

	@Test
	void scoresPredictionsWithinTheLimit() {
		assertThat(put(TOKEN, PREDICTIONS, true)).hasStatus(204);
		assertThat(status()).isEqualTo("SCORED");
		// kept, so that the submission can be re-scored without a sandbox
		assertThat(new String(
				this.jdbc.queryForObject("select content from submission_predictions where submission_id = ?::uuid",
						byte[].class, this.submission),
				java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo(PREDICTIONS);
	}

	private MvcTestResult put(String token, String body, boolean unsized) {
		var request = this.mvc.put()
			.uri("/api/sandboxes/{s}/jobs/{j}/predictions", this.sandbox, this.job)
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(body);
		if (token != null) {
			request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
		}
		return (unsized ? request.with(BodyProbe.unsized()) : request).exchange();
	}

	private String status() {
		return this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class,
				this.submission);
	}

}
