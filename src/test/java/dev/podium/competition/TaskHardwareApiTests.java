package dev.podium.competition;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import dev.podium.PodiumTest;
import dev.podium.TestSupport;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;

/** A task asks for hardware the Hub documents, or the competition is not created. */
@PodiumTest
class TaskHardwareApiTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void refusesAFlavorTheHubDoesNotKnowAndCreatesNothing() {
		MvcTestResult rejected = create("gpu-dreams", "h100-mega");

		assertThat(rejected).hasStatus(400);
		assertThat(rejected).bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/invalid-request");
		assertThat(JsonPath.<List<String>>read(bodyOf(rejected), "$.errors[*].field"))
			.containsExactly("tasks[0].hardware");
		assertThat(JsonPath.<String>read(bodyOf(rejected), "$.errors[0].message")).contains("h100-mega", "t4-small");
		assertThat(
				this.jdbc.queryForObject("select count(*) from competitions where slug = 'gpu-dreams'", Integer.class))
			.isZero();
	}

	@Test
	void acceptsAGpuFlavorOfTheHub() {
		assertThat(create("gpu-real", "a10g-small")).hasStatus(201);
	}

	private MvcTestResult create(String slug, String hardware) {
		return this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(TestSupport.ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"slug":"%s","title":"GPU","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
					 "tasks":[{"slug":"t","title":"T","submissionKind":"MODEL","metric":"accuracy_score",
					           "hardware":"%s"}]}
					""".formatted(slug, hardware))
			.exchange();
	}

}
