package dev.podium.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.BodyProbe;
import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies over their limit are refused as 413 problems: by their declared length before
 * any byte is read, or at the limit while reading one that declared none. Small limits
 * stand in for the real ones.
 */
@PodiumTest
@TestPropertySource(properties = { "podium.limits.json=2KB", "podium.limits.upload=4KB",
		"spring.servlet.multipart.max-request-size=8KB" })
@Import(BodyProbe.Configuration.class)
class BodyLimitTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	TestSupport api;

	static int competitions;

	@BeforeEach
	void now() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
	}

	@Test
	void refusesAJsonBodyLongerThanTheLimitBeforeReadingIt() {
		String slug = "too-long-" + (++competitions);
		MvcTestResult result = postCompetition(slug, 3000).exchange();
		assertTooLarge(result, 2048);
		assertThat(BodyProbe.bytesRead.get()).isZero();
		assertThat(competitionsNamed(slug)).isZero();
	}

	@Test
	void stopsReadingAJsonBodyWithoutALengthAtTheLimit() {
		String slug = "chunked-" + (++competitions);
		MvcTestResult result = postCompetition(slug, 100_000).with(BodyProbe.unsized()).exchange();
		assertTooLarge(result, 2048);
		assertThat(BodyProbe.bytesRead.get()).isBetween(1L, 2049L);
		assertThat(competitionsNamed(slug)).isZero();
	}

	@Test
	void takesAJsonBodyWithinTheLimitWithOrWithoutALength() {
		assertThat(postCompetition("fits-" + (++competitions), 1000).exchange()).hasStatus(201);
		assertThat(postCompetition("fits-" + (++competitions), 1000).with(BodyProbe.unsized()).exchange())
			.hasStatus(201);
	}

	@Test
	void refusesASolutionOverTheUploadLimit() {
		String slug = "solutions-" + (++competitions);
		this.api.createCompetition(slug, TestSupport.fileTask("labels"));
		StringBuilder csv = new StringBuilder("id,label,split\n");
		for (int i = 0; csv.length() <= 5000; i++) {
			csv.append(i).append(",1,").append((i % 2 == 0) ? "public" : "private").append('\n');
		}
		for (boolean unsized : new boolean[] { false, true }) {
			var request = this.mvc.put()
				.uri("/api/competitions/{c}/tasks/labels/solution", slug)
				.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
				.contentType(MediaType.parseMediaType("text/csv"))
				.content(csv.toString());
			assertTooLarge((unsized ? request.with(BodyProbe.unsized()) : request).exchange(), 4096);
		}
		assertThat(this.jdbc.queryForObject("select count(*) from task_solutions s join tasks t on t.id = s.task_id "
				+ "join competitions c on c.id = t.competition_id where c.slug = ?", Integer.class, slug))
			.isZero();
		// an upload may be larger than a JSON body
		StringBuilder fits = new StringBuilder("id,label,split\n");
		for (int i = 0; fits.length() < 3000; i++) {
			fits.append(i).append(",1,").append((i % 2 == 0) ? "public" : "private").append('\n');
		}
		this.api.uploadSolution(slug, "labels", fits.toString());
	}

	@Test
	void refusesAMultipartRequestThatDeclaresMoreThanTheRequestLimit() {
		String slug = "multipart-" + (++competitions);
		this.api.createCompetition(slug, TestSupport.fileTask("labels"));
		this.api.uploadSolution(slug, "labels", TestSupport.SOLUTION);
		String alice = this.api.addParticipant(slug, "alice");
		MvcTestResult result = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/labels/submissions", slug)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.multipart()
			.file(new MockMultipartFile("file", "predictions.csv", "text/csv",
					TestSupport.PREDICTIONS.getBytes(StandardCharsets.UTF_8)))
			.with(BodyProbe.declaring(9000))
			.exchange();
		assertTooLarge(result, 8192);
		assertThat(this.jdbc.queryForObject("select count(*) from submissions s join competitions c "
				+ "on c.id = s.competition_id where c.slug = ?", Integer.class, slug))
			.isZero();
	}

	@Test
	void refusesTheUnauthorizedBeforeTheTooLarge() {
		String slug = "unauthorized-" + (++competitions);
		this.api.createCompetition(slug, TestSupport.fileTask("labels"));
		String alice = this.api.addParticipant(slug, "alice");
		assertThat(this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("x".repeat(3000))).hasStatus(403);
		assertThat(this.mvc.post()
			.uri("/api/competitions")
			.contentType(MediaType.APPLICATION_JSON)
			.content("x".repeat(3000))).hasStatus(401);
		assertThat(BodyProbe.bytesRead.get()).isZero();
	}

	private org.springframework.test.web.servlet.assertj.MockMvcTester.MockMvcRequestBuilder postCompetition(
			String slug, int size) {
		String body = """
				{"slug":"%s","title":"%s","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
				 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","metric":"accuracy_score"}]}
				""";
		String filled = body.formatted(slug, "T");
		// whitespace between JSON tokens: the body stays valid at any size
		String padded = filled + " ".repeat(Math.max(0, size - filled.length()));
		return this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content(padded);
	}

	private int competitionsNamed(String slug) {
		return this.jdbc.queryForObject("select count(*) from competitions where slug = ?", Integer.class, slug);
	}

	private static void assertTooLarge(MvcTestResult result, long limit) {
		assertThat(result).hasStatus(413);
		assertThat(result).bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/request-too-large");
		assertThat(result).bodyJson().extractingPath("$.maxBytes").isEqualTo((int) limit);
	}

}
