package dev.podium.leaderboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.evaluation.EvaluationScheduler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What organizers change on boards once scores exist: re-scores, re-runs, exclusions.
 */
@PodiumTest
class BoardChangesTests {

	/** A corrected solution under which {@code PREDICTIONS} is right everywhere. */
	static final String CORRECTED = """
			id,label,split
			0,1,public
			1,0,private
			2,1,public
			3,0,private
			4,0,public
			5,0,private
			6,0,public
			7,1,private
			8,0,public
			9,0,private
			""";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	TestSupport api;

	static int count;

	String competition;

	String alice;

	String bob;

	String aliceFirst;

	String bobFirst;

	@BeforeEach
	void twoScoredParticipants() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		this.competition = "changes-" + (++count);
		this.api.createCompetition(this.competition, """
				{"slug":"t","title":"T","submissionKind":"FILE","evaluation":"INLINE","metric":"accuracy_score",
				 "dailySubmissionLimit":20}
				""");
		this.api.uploadSolution(this.competition, "t", SOLUTION);
		this.alice = this.api.addParticipant(this.competition, "alice");
		this.bob = this.api.addParticipant(this.competition, "bob");
		this.aliceFirst = this.api.submitFileId(this.alice, this.competition, "t", PREDICTIONS);
		this.clock.advance(Duration.ofMinutes(1));
		this.bobFirst = this.api.submitFileId(this.bob, this.competition, "t", LeaderboardTests.PERFECT);
		this.scheduler.runOnce();
	}

	@Test
	void aRescoreAfterANewSolutionChangesScoresBoardsAndTheAuditAndIsSafeToRepeat() {
		this.api.uploadSolution(this.competition, "t", CORRECTED);
		assertThat(post(this.alice, "/tasks/t/rescore", "{}")).hasStatus(403);
		assertThat(post(ADMIN_TOKEN, "/tasks/t/rescore", "{}")).hasStatus(400);
		MvcTestResult started = post(ADMIN_TOKEN, "/tasks/t/rescore", "{\"reason\":\"labels 3 and 6 were wrong\"}");
		assertThat(started).hasStatus(202);
		assertThat(JsonPath.<Integer>read(bodyOf(started), "$.total")).isEqualTo(2);
		assertThat(post(ADMIN_TOKEN, "/tasks/t/rescore", "{\"reason\":\"again\"}")).hasStatus(409);

		this.scheduler.runOnce();
		this.scheduler.runOnce();
		this.scheduler.runOnce();
		String progress = bodyOf(get(ADMIN_TOKEN, "/tasks/t/rescore"));
		assertThat(JsonPath.<String>read(progress, "$[0].status")).isEqualTo("DONE");
		assertThat(JsonPath.<Integer>read(progress, "$[0].processed")).isEqualTo(2);
		assertThat(JsonPath.<Integer>read(progress, "$[0].changed")).isEqualTo(2);
		assertThat(JsonPath.<String>read(progress, "$[0].requestedBy")).isEqualTo("admin");

		String board = bodyOf(get(ADMIN_TOKEN, "/tasks/t/leaderboard?view=public"));
		assertThat(JsonPath.<List<String>>read(board, "$.entries[*].participant")).containsExactly("alice", "bob");
		assertThat(JsonPath.<List<Double>>read(board, "$.entries[*].score")).containsExactly(1.0, 0.8);
		String audit = bodyOf(get(ADMIN_TOKEN, "/board-audit"));
		assertThat(JsonPath.<List<String>>read(audit, "$[*].action")).contains("RESCORE_STARTED", "RESCORE_FINISHED");
		assertThat(JsonPath.<List<String>>read(audit, "$[?(@.action == 'RESCORE_FINISHED')].detail"))
			.containsExactly("2 re-scored, 2 changed, 0 no longer score: labels 3 and 6 were wrong");
	}

	@Test
	void aRerunPreviewsWhatItSpendsThenGoesThroughTheQueue() {
		this.api.uploadSolution(this.competition, "t", CORRECTED);
		String body = "{\"submissionIds\":[\"" + this.aliceFirst + "\"]";
		MvcTestResult preview = post(ADMIN_TOKEN, "/tasks/t/reruns", body + "}");
		assertThat(preview).hasStatusOk();
		assertThat(JsonPath.<Boolean>read(bodyOf(preview), "$.preview")).isTrue();
		assertThat(JsonPath.<Integer>read(bodyOf(preview), "$.submissions")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(bodyOf(preview), "$.sandboxCreationsAtMost")).isZero();
		assertThat(JsonPath.<String>read(bodyOf(this.api.get(this.alice, "/api/submissions/{id}", this.aliceFirst)),
				"$.status"))
			.isEqualTo("SCORED");

		assertThat(post(ADMIN_TOKEN, "/tasks/t/reruns", body + ",\"confirm\":true}")).hasStatus(202);
		assertThat(JsonPath.<String>read(bodyOf(this.api.get(this.alice, "/api/submissions/{id}", this.aliceFirst)),
				"$.status"))
			.isEqualTo("QUEUED");
		this.scheduler.runOnce();
		String own = bodyOf(this.api.get(this.alice, "/api/submissions/{id}", this.aliceFirst));
		assertThat(JsonPath.<Double>read(own, "$.publicScore")).isEqualTo(1.0);
		assertThat(post(ADMIN_TOKEN, "/tasks/t/reruns", "{}")).hasStatus(400);
	}

	@Test
	void excludedSubmissionsAndParticipantsLeaveTheBoardsUntilReadmittedAndTheySeeWhy() {
		assertThat(put(this.alice, "/submissions/" + this.bobFirst + "/exclusion", "{}")).hasStatus(403);
		assertThat(put(ADMIN_TOKEN, "/submissions/" + this.bobFirst + "/exclusion", "{\"reason\":\"\"}"))
			.hasStatus(400);
		assertThat(put(ADMIN_TOKEN, "/submissions/" + this.bobFirst + "/exclusion",
				"{\"reason\":\"copied from a public notebook\"}"))
			.hasStatusOk();
		assertThat(participants()).containsExactly("alice");
		String seen = bodyOf(this.api.get(this.bob, "/api/submissions/{id}", this.bobFirst));
		assertThat(JsonPath.<String>read(seen, "$.exclusion.reason")).isEqualTo("copied from a public notebook");
		assertThat(JsonPath.<String>read(seen, "$.exclusion.scope")).isEqualTo("SUBMISSION");

		assertThat(delete(ADMIN_TOKEN, "/submissions/" + this.bobFirst + "/exclusion")).hasStatusOk();
		assertThat(participants()).containsExactly("bob", "alice");

		String aliceId = JsonPath.read(bodyOf(this.api.get(this.alice, "/api/submissions/{id}", this.aliceFirst)),
				"$.participant");
		String participantsJson = bodyOf(get(ADMIN_TOKEN, "/participants"));
		String id = JsonPath.<List<String>>read(participantsJson, "$[?(@.name == '" + aliceId + "')].id").get(0);
		assertThat(put(ADMIN_TOKEN, "/participants/" + id + "/exclusion", "{\"reason\":\"duplicate account\"}"))
			.hasStatus(204);
		assertThat(participants()).containsExactly("bob");
		assertThat(JsonPath.<String>read(bodyOf(this.api.get(this.alice, "/api/submissions/{id}", this.aliceFirst)),
				"$.exclusion.scope"))
			.isEqualTo("PARTICIPANT");
		assertThat(JsonPath.<List<String>>read(bodyOf(get(ADMIN_TOKEN, "/board-audit")), "$[*].action"))
			.containsSubsequence("PARTICIPANT_EXCLUDED", "SUBMISSION_READMITTED", "SUBMISSION_EXCLUDED");
		assertThat(delete(ADMIN_TOKEN, "/participants/" + id + "/exclusion")).hasStatus(204);
		assertThat(participants()).containsExactly("bob", "alice");
	}

	@Test
	void baselinesShowMarkedAndNeverTakeARank() {
		assertThat(this.mvc.post()
			.uri("/api/competitions/{c}/tasks/t/baselines?name=majority class", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(PREDICTIONS)
			.exchange()).hasStatus(403);
		MvcTestResult added = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/t/baselines?name=majority class", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(LeaderboardTests.PERFECT)
			.exchange();
		assertThat(added).hasStatus(201);
		assertThat(JsonPath.<Double>read(bodyOf(added), "$.publicScore")).isEqualTo(1.0);
		assertThat(this.mvc.post()
			.uri("/api/competitions/{c}/tasks/t/baselines?name=broken", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content("id,label\n0,1\n")
			.exchange()).hasStatus(422);

		String board = bodyOf(get(this.alice, "/tasks/t/leaderboard?view=public"));
		assertThat(JsonPath.<List<String>>read(board, "$.entries[*].participant")).containsExactly("bob", "alice");
		assertThat(JsonPath.<List<Integer>>read(board, "$.entries[*].rank")).containsExactly(1, 2);
		assertThat(JsonPath.<List<String>>read(board, "$.baselines[*].participant")).containsExactly("majority class");
		assertThat(JsonPath.<List<Object>>read(board, "$.baselines[*].rank")).containsOnlyNulls();
		assertThat(JsonPath.<Integer>read(board, "$.total")).isEqualTo(2);
	}

	private List<String> participants() {
		return JsonPath.read(bodyOf(get(ADMIN_TOKEN, "/tasks/t/leaderboard?view=public")), "$.entries[*].participant");
	}

	private MvcTestResult get(String token, String path) {
		return this.api.get(token, "/api/competitions/{c}" + path, this.competition);
	}

	private MvcTestResult post(String token, String path, String json) {
		return this.mvc.post()
			.uri("/api/competitions/{c}" + path, this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private MvcTestResult put(String token, String path, String json) {
		return this.mvc.put()
			.uri("/api/competitions/{c}" + path, this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private MvcTestResult delete(String token, String path) {
		return this.mvc.delete()
			.uri("/api/competitions/{c}" + path, this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.exchange();
	}

}
