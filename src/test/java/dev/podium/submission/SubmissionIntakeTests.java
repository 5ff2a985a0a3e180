package dev.podium.submission;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jayway.jsonpath.JsonPath;
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
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

@PodiumTest
class SubmissionIntakeTests {

	private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	SubmissionQueue queue;

	TestSupport api;

	String competition;

	String alice;

	String bob;

	static int competitions;

	@BeforeEach
	void competitionWithTwoParticipants() {
		this.clock.set(NOON);
		// Each test starts with an empty queue, so that positions are its own.
		this.jdbc.update("delete from submissions");
		this.api = new TestSupport(this.mvc);
		this.competition = "intake-" + (++competitions);
		this.api.createCompetition(this.competition, TestSupport.fileTask("labels"), TestSupport.modelTask("models"));
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		this.alice = this.api.addParticipant(this.competition, "alice");
		this.bob = this.api.addParticipant(this.competition, "bob");
	}

	@Test
	void queuesAFileSubmissionAndShowsItToItsParticipant() {
		MvcTestResult created = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS);
		String body = require(created, 201);
		String id = JsonPath.read(body, "$.id");
		assertThat(created.getResponse().getHeader(HttpHeaders.LOCATION)).isEqualTo("/api/submissions/" + id);
		assertThat(created.getResponse().getHeader("RateLimit-Policy")).startsWith("\"daily\";q=5;w=86400, \"burst\"");
		assertThat(created.getResponse().getHeader("RateLimit")).startsWith("\"daily\";r=4;t=43200, \"burst\"");
		assertThat(created).bodyJson().extractingPath("$.status").isEqualTo("QUEUED");
		assertThat(created).bodyJson().extractingPath("$.competition").isEqualTo(this.competition);
		assertThat(created).bodyJson().extractingPath("$.task").isEqualTo("labels");
		assertThat(created).bodyJson().extractingPath("$.participant").isEqualTo("alice");
		assertThat(created).bodyJson().extractingPath("$.kind").isEqualTo("FILE");
		assertThat(created).bodyJson().extractingPath("$.queuePosition").isEqualTo(1);

		MvcTestResult read = this.api.get(this.alice, "/api/submissions/{id}", id);
		assertThat(read).hasStatusOk().bodyJson().extractingPath("$.id").isEqualTo(id);
		assertThat(this.jdbc.queryForObject(
				"select length(content) from submission_files where submission_id = ?::uuid", Integer.class, id))
			.isEqualTo(PREDICTIONS.length());
	}

	@Test
	void anotherParticipantCannotSeeOrCancelTheSubmission() {
		String id = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		assertThat(this.api.get(this.bob, "/api/submissions/{id}", id)).hasStatus(404)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/not-found");
		assertThat(
				this.mvc.delete().uri("/api/submissions/{id}", id).header(HttpHeaders.AUTHORIZATION, bearer(this.bob)))
			.hasStatus(404);
		assertThat(this.api.get(TestSupport.ADMIN_TOKEN, "/api/submissions/{id}", id)).hasStatusOk();
	}

	@Test
	void twentyConcurrentRequestsWithFiveLeftCreateExactlyFive() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(20);
		try {
			List<Callable<Integer>> requests = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				requests.add(() -> this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS)
					.getResponse()
					.getStatus());
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> status : pool.invokeAll(requests)) {
				statuses.add(status.get());
			}
			assertThat(statuses).filteredOn((status) -> status == 201).hasSize(5);
			assertThat(statuses).filteredOn((status) -> status == 429).hasSize(15);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(countSubmissions()).isEqualTo(5);
	}

	@Test
	void refusesOverTheDailyLimitUntilMidnightInTheCompetitionsZone() {
		for (int i = 0; i < 5; i++) {
			require(this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS), 201);
		}
		MvcTestResult refused = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS);
		assertThat(refused).hasStatus(429);
		assertThat(refused.getResponse().getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("43200");
		assertThat(refused.getResponse().getHeader("RateLimit")).startsWith("\"daily\";r=0;t=43200, \"burst\"");
		assertThat(refused).bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/daily-limit-reached");
		assertThat(refused).bodyJson().extractingPath("$.limit").isEqualTo(5);
		assertThat(refused).bodyJson().extractingPath("$.used").isEqualTo(5);
		assertThat(refused).bodyJson().extractingPath("$.resetsAt").isEqualTo("2026-11-24T00:00:00Z");
		assertThat(countSubmissions()).isEqualTo(5);

		// Bob has his own allowance.
		require(this.api.submitFile(this.bob, this.competition, "labels", PREDICTIONS), 201);

		this.clock.set(Instant.parse("2026-11-24T00:00:00Z"));
		require(this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS), 201);
	}

	@Test
	void dailyLimitFollowsTheCompetitionsTimeZone() {
		this.api.createCompetition(this.competition + "-tokyo", Instant.parse("2026-11-01T00:00:00Z"),
				Instant.parse("2026-12-31T00:00:00Z"), "Asia/Tokyo", TestSupport.fileTask("labels"));
		this.api.uploadSolution(this.competition + "-tokyo", "labels", SOLUTION);
		String carol = this.api.addParticipant(this.competition + "-tokyo", "carol");
		// 12:00 UTC is 21:00 in Tokyo: the day ends at 15:00 UTC.
		MvcTestResult created = this.api.submitFile(carol, this.competition + "-tokyo", "labels", PREDICTIONS);
		assertThat(created.getResponse().getHeader("RateLimit")).startsWith("\"daily\";r=4;t=10800, \"burst\"");
	}

	@Test
	void cancelledAndPlatformFailedSubmissionsDoNotCount() {
		String cancelled = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		assertThat(this.mvc.delete()
			.uri("/api/submissions/{id}", cancelled)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))).hasStatusOk()
			.bodyJson()
			.extractingPath("$.status")
			.isEqualTo("CANCELLED");
		String platformFailed = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.jdbc.update("update submissions set status = 'FAILED', failure_category = 'PLATFORM' where id = ?::uuid",
				platformFailed);
		String ownFault = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.jdbc.update("update submissions set status = 'FAILED', failure_category = 'SUBMISSION' where id = ?::uuid",
				ownFault);

		MvcTestResult next = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS);
		// 5 - (the one that failed by its own fault) - this one
		assertThat(next.getResponse().getHeader("RateLimit")).startsWith("\"daily\";r=3;");
	}

	@Test
	void cancelsOnlyWhileQueued() {
		String id = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.jdbc.update("update submissions set status = 'EVALUATING' where id = ?::uuid", id);
		assertThat(this.mvc.delete()
			.uri("/api/submissions/{id}", id)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))).hasStatus(409)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/submission-started");
	}

	@Test
	void replaysAnIdempotencyKeyAndRefusesItForAnotherBody() {
		MvcTestResult first = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS, "key-1");
		String id = JsonPath.read(require(first, 201), "$.id");
		MvcTestResult replay = this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS, "key-1");
		assertThat(replay).hasStatusOk().bodyJson().extractingPath("$.id").isEqualTo(id);
		assertThat(replay.getResponse().getHeader("RateLimit")).startsWith("\"daily\";r=4;");

		MvcTestResult other = this.api.submitFile(this.alice, this.competition, "labels",
				PREDICTIONS.replace("9,0", "9,1"), "key-1");
		assertThat(other).hasStatus(422)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/idempotency-key-reused");
		assertThat(countSubmissions()).isEqualTo(1);

		// Keys belong to their participant.
		require(this.api.submitFile(this.bob, this.competition, "labels", PREDICTIONS, "key-1"), 201);
	}

	@Test
	void rejectsUnknownCompetitionOrTaskWithNothingStored() {
		assertRejected(this.api.submitFile(this.alice, "nope", "labels", PREDICTIONS), 404, "not-found");
		assertRejected(this.api.submitFile(this.alice, this.competition, "nope", PREDICTIONS), 404, "not-found");
	}

	@Test
	void rejectsOutsideTheCompetitionPeriod() {
		this.clock.set(Instant.parse("2026-10-31T23:59:59Z"));
		assertRejected(this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS), 403,
				"competition-not-started");
		this.clock.set(Instant.parse("2026-12-31T00:00:00Z"));
		assertRejected(this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS), 403,
				"competition-ended");
	}

	@Test
	void rejectsTheWrongKindForTheTask() {
		assertRejected(submitModel(this.alice, "labels", "{\"model\":\"org/model\"}"), 415, "wrong-submission-kind");
		assertRejected(this.api.submitFile(this.alice, this.competition, "models", PREDICTIONS), 415,
				"wrong-submission-kind");
	}

	@Test
	void rejectsAFileOverTheTasksLimit() {
		String big = "id,label\n" + "0,1\n".repeat(600);
		assertRejected(this.api.submitFile(this.alice, this.competition, "labels", big), 413, "file-too-large");
	}

	@Test
	void rejectsInvalidCsvListingTheProblems() {
		MvcTestResult missingId = this.api.submitFile(this.alice, this.competition, "labels", "row,label\n0,1\n");
		assertRejected(missingId, 422, "invalid-predictions");
		assertThat(bodyOf(missingId)).contains("id");

		MvcTestResult unknownIds = this.api.submitFile(this.alice, this.competition, "labels",
				PREDICTIONS.replace("9,0", "99,0"));
		assertRejected(unknownIds, 422, "invalid-predictions");
		assertThat(JsonPath.<List<String>>read(bodyOf(unknownIds), "$.problems")).isNotEmpty();

		assertRejected(this.api.submitFile(this.alice, this.competition, "labels", "id,label\n0,1\n"), 422,
				"invalid-predictions");
		assertRejected(
				this.api.submitFile(this.alice, this.competition, "labels", PREDICTIONS.replace("3,0", "3,0\n3,1")),
				422, "invalid-predictions");
		assertRejected(this.api.submitFile(this.alice, this.competition, "labels", "id,label,extra\n0,1,2\n"), 422,
				"invalid-predictions");
	}

	@Test
	void rejectsInvalidModelIdsAndRevisions() {
		assertRejected(submitModel(this.alice, "models", "{\"model\":\"no-namespace\"}"), 400, "invalid-model");
		assertRejected(submitModel(this.alice, "models", "{\"model\":\"org/bad--name\"}"), 400, "invalid-model");
		assertRejected(submitModel(this.alice, "models", "{\"model\":\"org/name\",\"revision\":\"../main\"}"), 400,
				"invalid-revision");
		assertRejected(submitModel(this.alice, "models", "{\"model\":\"org/name\",\"revision\":\"a b\"}"), 400,
				"invalid-revision");
	}

	@Test
	void keepsAModelsAccessTokenSealedAndNeverReturnsIt() {
		MvcTestResult created = submitModel(this.alice, "models", """
				{"model":"alice/detector","revision":"0123456789abcdef0123456789abcdef01234567",
				 "description":"first try","accessToken":"hf_secretReadToken123"}
				""");
		String body = require(created, 201);
		assertThat(body).doesNotContain("hf_secretReadToken123").doesNotContain("accessToken");
		assertThat(created).bodyJson().extractingPath("$.model").isEqualTo("alice/detector");
		assertThat(created).bodyJson()
			.extractingPath("$.revision")
			.isEqualTo("0123456789abcdef0123456789abcdef01234567");
		byte[] sealed = this.jdbc.queryForObject("select access_token_sealed from submissions where id = ?::uuid",
				byte[].class, JsonPath.<String>read(body, "$.id"));
		assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("hf_secret");
	}

	@Test
	void modelRevisionDefaultsToMain() {
		MvcTestResult created = submitModel(this.alice, "models", "{\"model\":\"alice/detector\"}");
		assertThat(created).hasStatus(201).bodyJson().extractingPath("$.revision").isEqualTo("main");
	}

	@Test
	void rolesAreChecked() {
		assertThat(this.mvc.get().uri("/api/competitions")).hasStatus(401)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/unauthorized");
		assertThat(this.api.get("pod_unknown", "/api/competitions")).hasStatus(401);
		assertRejected(this.api.submitFile(TestSupport.ADMIN_TOKEN, this.competition, "labels", PREDICTIONS), 403,
				"forbidden");
		assertThat(this.mvc.post()
			.uri("/api/competitions/{c}/participants", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"mallory\"}")).hasStatus(403);
	}

	@Test
	void listsOwnSubmissionsNewestFirstPaged() {
		String first = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.clock.advance(Duration.ofMinutes(1));
		String second = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.clock.advance(Duration.ofMinutes(1));
		String third = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.api.submitFileId(this.bob, this.competition, "labels", PREDICTIONS);

		MvcTestResult page = this.api.get(this.alice, "/api/me/submissions?competition={c}&task=labels&size=2",
				this.competition);
		assertThat(page).hasStatusOk();
		assertThat(JsonPath.<List<String>>read(bodyOf(page), "$.content[*].id")).containsExactly(third, second);
		assertThat(page).bodyJson().extractingPath("$.totalElements").isEqualTo(3);
		MvcTestResult next = this.api.get(this.alice, "/api/me/submissions?page=1&size=2");
		assertThat(JsonPath.<List<String>>read(bodyOf(next), "$.content[*].id")).containsExactly(first);
	}

	@Test
	void queuePositionsFollowTheFairOrder() {
		String a1 = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.clock.advance(Duration.ofSeconds(1));
		String a2 = this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS);
		this.clock.advance(Duration.ofSeconds(1));
		String b1 = this.api.submitFileId(this.bob, this.competition, "labels", PREDICTIONS);
		assertThat(position(a1)).isEqualTo(1);
		assertThat(position(b1)).isEqualTo(2);
		assertThat(position(a2)).isEqualTo(3);
	}

	@Test
	void positionsReadFromTheSnapshotShowTheOrderWorkStartsIn() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS));
			this.clock.advance(Duration.ofSeconds(1));
		}
		ids.add(this.api.submitFileId(this.bob, this.competition, "labels", PREDICTIONS));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.queue.refreshSnapshot(Duration.ZERO)).isTrue();
		// after the count: a newcomer in the first round, and more of alice's
		String carol = this.api.addParticipant(this.competition, "carol");
		ids.add(this.api.submitFileId(carol, this.competition, "labels", PREDICTIONS));
		this.clock.advance(Duration.ofSeconds(1));
		ids.add(this.api.submitFileId(this.alice, this.competition, "labels", PREDICTIONS));
		this.clock.advance(Duration.ofSeconds(1));
		ids.add(this.api.submitFileId(this.bob, this.competition, "labels", PREDICTIONS));

		List<String> order = this.queue.waitingInOrder(100).stream().map(Object::toString).toList();
		assertThat(order).containsExactlyInAnyOrderElementsOf(ids);
		List<Integer> shown = order.stream().map(this::position).toList();
		assertThat(shown).containsExactly(1, 2, 3, 4, 5, 6, 7);

		// one ahead leaves before the next count: the order shown stays the order of work
		require(this.mvc.delete()
			.uri("/api/submissions/{id}", order.get(0))
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))
			.exchange(), 200);
		List<Integer> stale = order.subList(1, order.size()).stream().map(this::position).toList();
		assertThat(stale).isSorted().doesNotHaveDuplicates();
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.queue.refreshSnapshot(Duration.ofSeconds(5))).isTrue();
		assertThat(this.queue.refreshSnapshot(Duration.ofSeconds(5))).as("at most once per interval").isFalse();
		assertThat(order.subList(1, order.size()).stream().map(this::position).toList()).containsExactly(1, 2, 3, 4, 5,
				6);
	}

	private int position(String id) {
		return JsonPath.read(bodyOf(this.api.get(TestSupport.ADMIN_TOKEN, "/api/submissions/{id}", id)),
				"$.queuePosition");
	}

	private MvcTestResult submitModel(String token, String task, String json) {
		return this.mvc.post()
			.uri("/api/competitions/{c}/tasks/{t}/submissions", this.competition, task)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private void assertRejected(MvcTestResult result, int status, String type) {
		assertThat(result).hasStatus(status);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("https://podium.dev/problems/" + type);
		assertThat(countSubmissions()).isZero();
	}

	private int countSubmissions() {
		return this.jdbc
			.queryForObject("select count(*) from submissions s join competitions c on c.id = s.competition_id "
					+ "where c.slug = ?", Integer.class, this.competition);
	}

}
