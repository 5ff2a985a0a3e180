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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules organizers set on boards: the private rule, secondary metrics and the
 * declared tie-break, time rules, pages. Scores are inline; see {@link LeaderboardTests}
 * for the predictions used.
 */
@PodiumTest
class LeaderboardRulesTests {

	/** Public rows: one positive missed. Accuracy 0.8, balanced accuracy 5/6. */
	static final String MISSES_ONE = "id,label\n0,0\n1,0\n2,1\n3,1\n4,0\n5,0\n6,1\n7,1\n8,0\n9,0\n";

	/**
	 * Public rows: one negative taken for a positive. Accuracy 0.8, balanced accuracy
	 * 3/4.
	 */
	static final String FALSE_ALARM = "id,label\n0,1\n1,0\n2,1\n3,1\n4,1\n5,0\n6,1\n7,1\n8,0\n9,0\n";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	Standings standings;

	@Autowired
	dev.podium.competition.Competitions competitions;

	TestSupport api;

	static int count;

	String competition;

	@BeforeEach
	void start() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		this.competition = "rules-" + (++count);
	}

	@Test
	void bestPublicRuleRanksTheSingleBestPublicSubmissionAndIsShownAndChangeable() {
		create("\"privateBoardRule\":\"BEST_PUBLIC\"", "");
		String alice = this.api.addParticipant(this.competition, "alice");
		submit(alice, PREDICTIONS);
		submit(alice, LeaderboardTests.OVERFITTED);
		this.scheduler.runOnce();

		String shown = bodyOf(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.competition));
		assertThat(JsonPath.<String>read(shown, "$.privateBoardRule")).isEqualTo("BEST_PUBLIC");
		assertThat(privateScores()).containsExactly(0.0);

		assertThat(put(alice, "/api/competitions/{c}/board-rules", "{\"privateBoardRule\":\"BEST_PUBLIC\"}"))
			.hasStatus(403);
		assertThat(put(ADMIN_TOKEN, "/api/competitions/{c}/board-rules",
				"{\"privateBoardRule\":\"BEST_PRIVATE_OF_TOP_SELECTION\"}"))
			.hasStatusOk()
			.bodyJson()
			.extractingPath("$.privateBoardRule")
			.isEqualTo("BEST_PRIVATE_OF_TOP_SELECTION");
		assertThat(privateScores()).containsExactly(0.8);
	}

	@Test
	void secondaryMetricsBreakTiesInTheirOrderAndAreShown() {
		create("", ",\"secondaryMetrics\":[\"balanced_accuracy_score\"]");
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		submit(alice, FALSE_ALARM);
		this.clock.advance(Duration.ofMinutes(1));
		String missed = submit(bob, MISSES_ONE);
		this.scheduler.runOnce();

		String body = bodyOf(board(ADMIN_TOKEN, "public", ""));
		assertThat(JsonPath.<List<Double>>read(body, "$.entries[*].score")).containsExactly(0.8, 0.8);
		assertThat(JsonPath.<List<String>>read(body, "$.entries[*].participant")).containsExactly("bob", "alice");
		assertThat(JsonPath.<Double>read(body, "$.entries[0].metrics.balanced_accuracy_score")).isCloseTo(5.0 / 6,
				within());
		assertThat(JsonPath.<Double>read(body, "$.entries[1].metrics.balanced_accuracy_score")).isCloseTo(0.75,
				within());
		assertThat(JsonPath.<List<String>>read(body, "$.rankedBy")).containsExactly("accuracy_score (higher first)",
				"balanced_accuracy_score (higher first)", "the earlier submission");
		String own = bodyOf(this.api.get(bob, "/api/submissions/{id}", missed));
		assertThat(JsonPath.<Double>read(own, "$.metrics.balanced_accuracy_score.publicScore")).isCloseTo(5.0 / 6,
				within());

		// without the secondary metric, the earlier submission wins the tie
		assertThat(put(ADMIN_TOKEN, "/api/competitions/{c}/tasks/t/rules", "{\"secondaryMetrics\":[]}")).hasStatusOk();
		String plain = bodyOf(board(ADMIN_TOKEN, "public", ""));
		assertThat(JsonPath.<List<String>>read(plain, "$.entries[*].participant")).containsExactly("alice", "bob");
		assertThat(JsonPath.<List<String>>read(plain, "$.rankedBy")).containsExactly("accuracy_score (higher first)",
				"the earlier submission");
	}

	@Test
	void unknownOrRepeatedSecondaryMetricsAreRefusedByName() {
		MvcTestResult refused = postCompetition("", ",\"secondaryMetrics\":[\"f2_score\",\"accuracy_score\"]");
		assertThat(refused).hasStatus(400);
		String body = bodyOf(refused);
		assertThat(JsonPath.<List<String>>read(body, "$.errors[*].field")).contains("tasks[0].secondaryMetrics[0]",
				"tasks[0].secondaryMetrics[1]");
	}

	@Test
	void pagesCountRanksAcrossPages() {
		create("", "");
		String[] names = { "p1", "p2", "p3" };
		for (String name : names) {
			submit(this.api.addParticipant(this.competition, name), PREDICTIONS);
			this.clock.advance(Duration.ofMinutes(1));
		}
		this.scheduler.runOnce();
		String second = bodyOf(board(ADMIN_TOKEN, "public", "&page=2&size=2"));
		assertThat(JsonPath.<Integer>read(second, "$.total")).isEqualTo(3);
		assertThat(JsonPath.<List<Integer>>read(second, "$.entries[*].rank")).containsExactly(3);
		assertThat(JsonPath.<List<String>>read(second, "$.entries[*].participant")).containsExactly("p3");
		assertThat(board(ADMIN_TOKEN, "public", "&size=0")).hasStatus(400);
	}

	@Test
	void storedStandingsEqualARebuildFromTheSubmissions() {
		create("", ",\"secondaryMetrics\":[\"balanced_accuracy_score\"]");
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		submit(alice, PREDICTIONS);
		submit(alice, LeaderboardTests.OVERFITTED);
		submit(bob, FALSE_ALARM);
		this.scheduler.runOnce();
		String before = standingsRows();
		this.transactions.executeWithoutResult((status) -> this.standings
			.rebuild(this.competitions.find(this.competition).orElseThrow().task("t").orElseThrow()));
		assertThat(standingsRows()).isEqualTo(before).contains("PRIVATE");
	}

	@Test
	void participantsSeeTheBoardAsItStoodAtTheFreezeWhileOrganizersSeeItLive() {
		create("\"leaderboardFreezesAt\":\"2026-11-24T00:00:00Z\"", "");
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		submit(alice, PREDICTIONS);
		this.scheduler.runOnce();
		this.clock.set(Instant.parse("2026-11-25T00:00:00Z"));
		submit(bob, LeaderboardTests.PERFECT);
		this.scheduler.runOnce();

		String frozen = bodyOf(board(alice, "public", ""));
		assertThat(JsonPath.<Boolean>read(frozen, "$.frozen")).isTrue();
		assertThat(JsonPath.<String>read(frozen, "$.frozenAt")).isEqualTo("2026-11-24T00:00:00Z");
		assertThat(JsonPath.<List<String>>read(frozen, "$.entries[*].participant")).containsExactly("alice");
		String live = bodyOf(board(ADMIN_TOKEN, "public", ""));
		assertThat(JsonPath.<Boolean>read(live, "$.frozen")).isFalse();
		assertThat(JsonPath.<List<String>>read(live, "$.entries[*].participant")).containsExactly("bob", "alice");
	}

	@Test
	void thePrivateBoardOpensAtItsRevealAndSelectionsCloseAtTheirDeadline() {
		create("\"privateRevealAt\":\"2026-12-20T00:00:00Z\",\"selectionDeadline\":\"2026-12-01T00:00:00Z\"", "");
		String alice = this.api.addParticipant(this.competition, "alice");
		String solid = submit(alice, PREDICTIONS);
		this.scheduler.runOnce();
		String shown = bodyOf(this.api.get(alice, "/api/competitions/{c}", this.competition));
		assertThat(JsonPath.<String>read(shown, "$.privateRevealAt")).isEqualTo("2026-12-20T00:00:00Z");
		assertThat(JsonPath.<String>read(shown, "$.tasks[0].selectionDeadline")).isEqualTo("2026-12-01T00:00:00Z");

		assertThat(select(alice, solid)).hasStatusOk();
		this.clock.set(Instant.parse("2026-12-01T00:00:00Z"));
		assertThat(select(alice, solid)).hasStatus(403)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/selection-closed");
		assertThat(board(alice, "private", "")).hasStatus(403);
		this.clock.set(Instant.parse("2026-12-20T00:00:00Z"));
		assertThat(board(alice, "private", "")).hasStatusOk();
	}

	@Test
	void aTaskOverridesItsCompetitionsTimeRules() {
		create("\"privateRevealAt\":\"2026-12-20T00:00:00Z\"", ",\"privateRevealAt\":\"2026-12-10T00:00:00Z\"");
		String alice = this.api.addParticipant(this.competition, "alice");
		this.clock.set(Instant.parse("2026-12-10T00:00:00Z"));
		assertThat(board(alice, "private", "")).hasStatusOk();
	}

	@Test
	void lateSubmissionsAreRefusedOrRankedApartWhenTheOrganizerTakesThem() {
		create("", "");
		String alice = this.api.addParticipant(this.competition, "alice");
		this.clock.set(Instant.parse("2026-12-31T00:00:00Z"));
		assertThat(this.api.submitFile(alice, this.competition, "t", PREDICTIONS)).hasStatus(403)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/competition-ended");

		assertThat(put(ADMIN_TOKEN, "/api/competitions/{c}/board-rules", "{\"allowLateSubmissions\":true}"))
			.hasStatusOk()
			.bodyJson()
			.extractingPath("$.allowLateSubmissions")
			.isEqualTo(true);
		submit(alice, PREDICTIONS);
		this.scheduler.runOnce();
		String body = bodyOf(board(alice, "public", ""));
		assertThat(JsonPath.<List<Object>>read(body, "$.entries")).isEmpty();
		assertThat(JsonPath.<List<String>>read(body, "$.late[*].participant")).containsExactly("alice");
		assertThat(JsonPath.<List<Object>>read(body, "$.late[*].rank")).containsOnlyNulls();
	}

	private String standingsRows() {
		return this.jdbc.queryForList("""
				select st.board, st.category, a.name, st.score, st.rank_key::text as rank_key from standings st
				join tasks t on t.id = st.task_id join competitions c on c.id = t.competition_id
				join accounts a on a.id = st.entrant_id
				where c.slug = ? order by 1, 2, 3
				""", this.competition).toString();
	}

	private void create(String competitionFields, String taskFields) {
		require(postCompetition(competitionFields, taskFields), 201);
		this.api.uploadSolution(this.competition, "t", SOLUTION);
	}

	private MvcTestResult postCompetition(String competitionFields, String taskFields) {
		String body = """
				{"slug":"%s","title":"Rules","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
				 %s "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","evaluation":"INLINE",
				 "metric":"accuracy_score","selectionLimit":2,"dailySubmissionLimit":20 %s}]}
				""".formatted(this.competition, competitionFields.isEmpty() ? "" : competitionFields + ",", taskFields);
		return this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
	}

	private String submit(String token, String csv) {
		return this.api.submitFileId(token, this.competition, "t", csv);
	}

	private List<Double> privateScores() {
		return JsonPath.read(bodyOf(board(ADMIN_TOKEN, "private", "")), "$.entries[*].score");
	}

	private MvcTestResult board(String token, String view, String extra) {
		return this.api.get(token, "/api/competitions/{c}/tasks/t/leaderboard?view=" + view + extra, this.competition);
	}

	private MvcTestResult put(String token, String uri, String json) {
		return this.mvc.put()
			.uri(uri, this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private MvcTestResult select(String token, String id) {
		return this.mvc.put()
			.uri("/api/submissions/{id}/selection", id)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"selected\":true}")
			.exchange();
	}

	private static org.assertj.core.data.Offset<Double> within() {
		return org.assertj.core.data.Offset.offset(1e-9);
	}

}
