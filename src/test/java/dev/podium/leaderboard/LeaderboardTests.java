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
 * Rankings from submissions scored inline (public 0.8 / private 0.8 for
 * {@code PREDICTIONS}).
 */
@PodiumTest
class LeaderboardTests {

	/** Every label right. */
	static final String PERFECT = "id,label\n0,1\n1,0\n2,1\n3,1\n4,0\n5,0\n6,1\n7,1\n8,0\n9,0\n";

	/** Public rows right, private rows wrong: public 1.0, private 0.0. */
	static final String OVERFITTED = "id,label\n0,1\n1,1\n2,1\n3,0\n4,0\n5,1\n6,1\n7,0\n8,0\n9,1\n";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	TestSupport api;

	String alice;

	String bob;

	String aliceOverfitted;

	String aliceSolid;

	static int competitions;

	String competition;

	@BeforeEach
	void twoParticipantsWithScores() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		this.competition = "board-" + (++competitions);
		this.api.createCompetition(this.competition, """
				{"slug":"t","title":"T","submissionKind":"FILE","evaluation":"INLINE","metric":"accuracy_score",
				 "selectionLimit":2}
				""");
		this.api.uploadSolution(this.competition, "t", SOLUTION);
		this.alice = this.api.addParticipant(this.competition, "alice");
		this.bob = this.api.addParticipant(this.competition, "bob");
		this.aliceSolid = this.api.submitFileId(this.alice, this.competition, "t", PREDICTIONS);
		this.clock.advance(Duration.ofMinutes(1));
		this.aliceOverfitted = this.api.submitFileId(this.alice, this.competition, "t", OVERFITTED);
		this.clock.advance(Duration.ofMinutes(1));
		this.api.submitFileId(this.bob, this.competition, "t", PERFECT);
		this.scheduler.runOnce();
	}

	@Test
	void publicViewRanksBestPublicScoresWithTiesToTheEarlierSubmission() {
		String body = bodyOf(board(this.bob, "public"));
		assertThat(JsonPath.<List<String>>read(body, "$.entries[*].participant")).containsExactly("alice", "bob");
		assertThat(JsonPath.<List<Double>>read(body, "$.entries[*].score")).containsExactly(1.0, 1.0);
		assertThat(JsonPath.<List<Integer>>read(body, "$.entries[*].rank")).containsExactly(1, 2);
		assertThat(JsonPath.<String>read(body, "$.entries[0].submissionId")).isEqualTo(this.aliceOverfitted);
		assertThat(JsonPath.<List<Integer>>read(body, "$.entries[*].submissions")).containsExactly(2, 1);
	}

	@Test
	void privateViewUsesSelectionsOrTheBestPublicOnes() {
		String body = bodyOf(board(ADMIN_TOKEN, "private"));
		assertThat(JsonPath.<List<String>>read(body, "$.entries[*].participant")).containsExactly("bob", "alice");
		assertThat(JsonPath.<List<Double>>read(body, "$.entries[*].score")).containsExactly(1.0, 0.8);

		assertThat(select(this.alice, this.aliceOverfitted, true)).hasStatusOk();
		String selected = bodyOf(board(ADMIN_TOKEN, "private"));
		assertThat(JsonPath.<List<Double>>read(selected, "$.entries[*].score")).containsExactly(1.0, 0.0);
	}

	@Test
	void privateViewIsHiddenFromParticipantsUntilTheEnd() {
		assertThat(board(this.alice, "private")).hasStatus(403)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/private-leaderboard-hidden");
		this.clock.set(Instant.parse("2026-12-31T00:00:00Z"));
		assertThat(board(this.alice, "private")).hasStatusOk();
		String own = bodyOf(this.api.get(this.alice, "/api/submissions/{id}", this.aliceSolid));
		assertThat(JsonPath.<Double>read(own, "$.privateScore")).isEqualTo(0.8);
	}

	@Test
	void selectionIsLimitedAndOnlyTheOwnerSelects() {
		assertThat(select(this.alice, this.aliceSolid, true)).hasStatusOk();
		assertThat(select(this.alice, this.aliceOverfitted, true)).hasStatusOk();
		String third = this.api.submitFileId(this.alice, this.competition, "t", PERFECT);
		this.scheduler.runOnce();
		assertThat(select(this.alice, third, true)).hasStatus(409)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/selection-limit-reached");
		assertThat(select(this.bob, this.aliceSolid, true)).hasStatus(404);
		assertThat(select(this.alice, this.aliceSolid, false)).hasStatusOk();
		assertThat(select(this.alice, third, true)).hasStatusOk();
	}

	@Test
	void organizersDownloadTheLeaderboardAsCsv() {
		MvcTestResult csv = this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/tasks/t/leaderboard.csv",
				this.competition);
		assertThat(csv).hasStatusOk();
		assertThat(bodyOf(csv))
			.startsWith("rank,participant,score,submission_id,submitted_at,submissions\n1,alice,1.0,");
		assertThat(this.api.get(this.alice, "/api/competitions/{c}/tasks/t/leaderboard.csv", this.competition))
			.hasStatus(403);
	}

	private MvcTestResult board(String token, String view) {
		return this.api.get(token, "/api/competitions/{c}/tasks/t/leaderboard?view=" + view, this.competition);
	}

	private MvcTestResult select(String token, String id, boolean selected) {
		return this.mvc.put()
			.uri("/api/submissions/{id}/selection", id)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"selected\":" + selected + "}")
			.exchange();
	}

}
