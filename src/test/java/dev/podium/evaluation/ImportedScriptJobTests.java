package dev.podium.evaluation;

import java.time.Instant;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.importing.HfCompetitionRepo;
import dev.podium.security.Tokens;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task imported from a huggingface/competitions {@code script} competition sends its
 * sandbox the script runner, the competition's dataset and the participant's repo at the
 * commit they submitted: what the evaluation app needs to run {@code script.py} as
 * huggingface/competitions does (the app's side: {@code EvaluationAppTests}).
 */
@PodiumTest
class ImportedScriptJobTests {

	static final String TOKEN = "sbx_script-token";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	CreationPlanner planner;

	@BeforeEach
	void setUp() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.jdbc
			.update("update creation_budgets set creation_limit = 1000, blocked_until = null, version = version + 1");
	}

	@Test
	void anImportedScriptTasksJobRunsTheParticipantsScriptOnTheCompetitionsDataset() {
		String report = require(this.mvc.post()
			.uri("/api/competitions/import")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.multipart()
			.file(new MockMultipartFile("archive", "script.zip", "application/zip",
					HfCompetitionRepo.script().zip("script-competition")))
			.param("slug", "imported-script")
			.exchange(), 201);
		assertThat(JsonPath.<String>read(report, "$.competition.tasks[0].runner")).isEqualTo("SCRIPT");
		assertThat(JsonPath.<Integer>read(report, "$.competition.tasks[0].timeoutSeconds")).isEqualTo(120);
		String task = require(new TestSupport(this.mvc).get(ADMIN_TOKEN, "/api/competitions/imported-script"), 200);
		assertThat(JsonPath.<String>read(task, "$.tasks[0].submissionKind")).isEqualTo("MODEL");
		assertThat(JsonPath.<String>read(task, "$.tasks[0].runner")).isEqualTo("SCRIPT");
		assertThat(JsonPath.<String>read(task, "$.tasks[0].dataset")).isEqualTo("org/hidden-inputs");

		// bob's submission had not run there: it waits here for pre-flight, which the Hub
		// provider would pass for his public repo
		UUID bob = this.jdbc.queryForObject("select id from submissions where status = 'QUEUED'", UUID.class);
		assertThat(this.jdbc.queryForObject("select model || '@' || revision from submissions where id = ?",
				String.class, bob))
			.isEqualTo("bob/script-repo@0123456789abcdef0123456789abcdef01234567");
		this.jdbc.update("update submissions set checked_at = ?, model_resolved = model, revision_sha = revision "
				+ "where id = ?", java.sql.Timestamp.from(this.clock.instant()), bob);
		this.planner.plan("test");
		UUID sandbox = this.jdbc.queryForObject("select id from sandboxes", UUID.class);
		this.jdbc.update("update sandboxes set status = 'STARTING', token_hash = ? where id = ?", Tokens.hash(TOKEN),
				sandbox);

		String job = bodyOf(this.mvc.post()
			.uri("/api/sandboxes/{s}/jobs/next?wait=0", sandbox)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.exchange());
		assertThat(JsonPath.<String>read(job, "$.submissionId")).isEqualTo(bob.toString());
		assertThat(JsonPath.<String>read(job, "$.kind")).isEqualTo("MODEL");
		assertThat(JsonPath.<String>read(job, "$.task.runner")).isEqualTo("script");
		assertThat(JsonPath.<String>read(job, "$.task.dataset")).isEqualTo("org/hidden-inputs");
		assertThat(JsonPath.<String>read(job, "$.model")).isEqualTo("bob/script-repo");
		assertThat(JsonPath.<String>read(job, "$.revision")).isEqualTo("0123456789abcdef0123456789abcdef01234567");
		assertThat(JsonPath.<Integer>read(job, "$.timeLimitSeconds")).isEqualTo(120);
	}

}
