package dev.podium.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request rates as a client meets them: 120 calls a minute per participant token, 60 per
 * anonymous address, 300 per sandbox (the defaults).
 */
@PodiumTest
class RateLimitTests {

	static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

	static int competitions;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	TestSupport api;

	String competition;

	String alice;

	String bob;

	@BeforeEach
	void twoParticipants() {
		this.clock.set(NOON);
		this.api = new TestSupport(this.mvc);
		this.competition = "rates-" + (++competitions);
		this.api.createCompetition(this.competition, TestSupport.fileTask("labels"), TestSupport.modelTask("models"));
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		this.alice = this.api.addParticipant(this.competition, "alice");
		this.bob = this.api.addParticipant(this.competition, "bob");
	}

	@Test
	void everyAnswerCarriesTheTokensBucket() {
		MvcTestResult me = this.api.get(this.alice, "/api/me");
		require(me, 200);
		assertThat(me.getResponse().getHeader("RateLimit-Policy")).isEqualTo("\"burst\";q=120;w=60");
		// one call spent: half a second until the bucket is full again, rounded up
		assertThat(me.getResponse().getHeader("RateLimit")).isEqualTo("\"burst\";r=119;t=1");
	}

	@Test
	void floodingOneTokenLeavesAnotherUnaffectedAndWritesNothing() {
		for (int call = 1; call <= 120; call++) {
			require(this.api.get(this.alice, "/api/me"), 200);
		}
		MvcTestResult refused = this.api.get(this.alice, "/api/me");
		require(refused, 429);
		assertThat(refused.getResponse().getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(refused.getResponse().getHeader("RateLimit")).isEqualTo("\"burst\";r=0;t=60");
		assertThat(refused.getResponse().getContentType()).isEqualTo("application/problem+json");
		String problem = bodyOf(refused);
		assertThat(JsonPath.<String>read(problem, "$.type")).isEqualTo("https://podium.dev/problems/rate-limited");
		assertThat(JsonPath.<Integer>read(problem, "$.limit")).isEqualTo(120);
		assertThat(JsonPath.<Integer>read(problem, "$.retryAfterSeconds")).isEqualTo(1);

		MvcTestResult submission = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS);
		require(submission, 429);
		assertThat(JsonPath.<String>read(bodyOf(submission), "$.type"))
			.isEqualTo("https://podium.dev/problems/rate-limited");
		assertThat(submissionsOf("alice")).isZero();

		MvcTestResult other = this.api.get(this.bob, "/api/me");
		require(other, 200);
		assertThat(other.getResponse().getHeader("RateLimit")).isEqualTo("\"burst\";r=119;t=1");

		this.clock.advance(Duration.ofSeconds(1));
		require(this.api.get(this.alice, "/api/me"), 200);
		require(this.api.get(this.alice, "/api/me"), 200);
		require(this.api.get(this.alice, "/api/me"), 429);
		this.clock.advance(Duration.ofMinutes(1));
		MvcTestResult refilled = this.api.get(this.alice, "/api/me");
		require(refilled, 200);
		assertThat(refilled.getResponse().getHeader("RateLimit")).isEqualTo("\"burst\";r=119;t=1");
	}

	@Test
	void submissionAnswersCarryTheDailyLimitAndTheBucketInOneFieldEach() {
		MvcTestResult created = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS);
		require(created, 201);
		assertThat(created.getResponse().getHeaders("RateLimit-Policy"))
			.containsExactly("\"daily\";q=5;w=86400, \"burst\";q=120;w=60");
		assertThat(created.getResponse().getHeaders("RateLimit"))
			.containsExactly("\"daily\";r=4;t=43200, \"burst\";r=119;t=1");
		for (int i = 0; i < 4; i++) {
			require(this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS), 201);
		}
		MvcTestResult overDaily = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS);
		require(overDaily, 429);
		assertThat(JsonPath.<String>read(bodyOf(overDaily), "$.type"))
			.isEqualTo("https://podium.dev/problems/daily-limit-reached");
		assertThat(overDaily.getResponse().getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("43200");
		assertThat(overDaily.getResponse().getHeaders("RateLimit"))
			.containsExactly("\"daily\";r=0;t=43200, \"burst\";r=114;t=3");
		assertThat(submissionsOf("alice")).isEqualTo(5);
	}

	@Test
	void anonymousCallsAreChargedToTheirAddress() {
		for (int call = 1; call <= 60; call++) {
			MvcTestResult anonymous = anonymous("203.0.113.9");
			require(anonymous, 401);
			assertThat(anonymous.getResponse().getHeader("RateLimit-Policy")).isEqualTo("\"burst\";q=60;w=60");
		}
		require(anonymous("203.0.113.9"), 429);
		require(anonymous("203.0.113.10"), 401);
	}

	@Test
	void eachSandboxHasABucketOfItsOwn() {
		UUID flooded = UUID.randomUUID();
		for (int call = 1; call <= 300; call++) {
			MvcTestResult job = sandboxJob(flooded);
			assertThat(job.getResponse().getStatus()).isNotEqualTo(429);
			assertThat(job.getResponse().getHeader("RateLimit-Policy")).isEqualTo("\"burst\";q=300;w=60");
		}
		require(sandboxJob(flooded), 429);
		assertThat(sandboxJob(UUID.randomUUID()).getResponse().getStatus()).isNotEqualTo(429);
	}

	@Test
	void aParticipantReadsTheirQuotasPerTaskAndTheirBucket() {
		require(this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS), 201);
		require(this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS), 201);
		require(this.api.submitFile(this.bob, this.competition, "labels", PREDICTIONS), 201);
		String quota = require(this.api.get(this.alice, "/api/me/quota"), 200);
		assertThat(JsonPath.<String>read(quota, "$.requests.policy")).isEqualTo("burst");
		assertThat(JsonPath.<Integer>read(quota, "$.requests.limit")).isEqualTo(120);
		assertThat(JsonPath.<Integer>read(quota, "$.requests.windowSeconds")).isEqualTo(60);
		// two submissions and this call
		assertThat(JsonPath.<Integer>read(quota, "$.requests.remaining")).isEqualTo(117);
		assertThat(JsonPath.<Integer>read(quota, "$.requests.resetsInSeconds")).isEqualTo(2);
		assertThat(JsonPath.<String>read(quota, "$.requests.resetsAt")).isEqualTo("2026-11-23T12:00:01.500Z");
		assertThat(JsonPath.<String>read(quota, "$.submissions.holder.kind")).isEqualTo("PARTICIPANT");
		assertThat(JsonPath.<String>read(quota, "$.submissions.holder.name")).isEqualTo("alice");
		assertThat(JsonPath.<String>read(quota, "$.submissions.competition")).isEqualTo(this.competition);
		String labels = "$.submissions.tasks[?(@.task == 'labels')]";
		assertThat(JsonPath.<java.util.List<Integer>>read(quota, labels + ".used")).containsExactly(2);
		assertThat(JsonPath.<java.util.List<Integer>>read(quota, labels + ".limit")).containsExactly(5);
		assertThat(JsonPath.<java.util.List<Integer>>read(quota, labels + ".remaining")).containsExactly(3);
		assertThat(JsonPath.<java.util.List<String>>read(quota, labels + ".resetsAt"))
			.containsExactly("2026-11-24T00:00:00Z");
		assertThat(JsonPath.<java.util.List<Integer>>read(quota, labels + ".resetsInSeconds")).containsExactly(43200);
		assertThat(JsonPath.<java.util.List<Integer>>read(quota, "$.submissions.tasks[?(@.task == 'models')].used"))
			.containsExactly(0);
	}

	@Test
	void staffReadTheirBucketAndNoSubmissionQuota() {
		String organizer = JsonPath.read(require(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, TestSupport.bearer(TestSupport.ADMIN_TOKEN))
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.content("{\"name\":\"quota-organizer-" + competitions + "\",\"role\":\"ORGANIZER\"}")
			.exchange(), 201), "$.token");
		String quota = require(this.api.get(organizer, "/api/me/quota"), 200);
		assertThat(JsonPath.<Integer>read(quota, "$.requests.limit")).isEqualTo(300);
		assertThat(JsonPath.<Integer>read(quota, "$.requests.remaining")).isEqualTo(299);
		assertThat(JsonPath.<Object>read(quota, "$.submissions")).isNull();
	}

	@Test
	void theOpenApiDocumentTellsOfTheBucketOnEveryOperation() {
		String document = require(this.mvc.get().uri("/v3/api-docs").exchange(), 200);
		assertThat(document).contains("/api/me/quota", "/api/budget/requests/{id}/approve");
		assertThat(JsonPath.<String>read(document, "$.paths['/api/me'].get.responses['429'].description"))
			.contains("rate-limited");
		assertThat(JsonPath.<Object>read(document,
				"$.paths['/api/sandboxes/{sandbox}/jobs/next'].post.responses['404'].headers['RateLimit']"))
			.isNotNull();
	}

	private MvcTestResult anonymous(String address) {
		return this.mvc.get().uri("/api/me").with((request) -> {
			request.setRemoteAddr(address);
			return request;
		}).exchange();
	}

	private MvcTestResult sandboxJob(UUID sandbox) {
		return this.mvc.post()
			.uri("/api/sandboxes/{id}/jobs/next?wait=0", sandbox)
			.header(HttpHeaders.AUTHORIZATION, TestSupport.bearer("pod_sandbox-token"))
			.exchange();
	}

	private int submissionsOf(String participant) {
		return this.jdbc.queryForObject("""
				select count(*) from submissions s join accounts a on a.id = s.participant_id
				join competitions c on c.id = s.competition_id where a.name = ? and c.slug = ?
				""", Integer.class, participant, this.competition);
	}

}
