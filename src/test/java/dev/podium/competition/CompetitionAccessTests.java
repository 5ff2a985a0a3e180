package dev.podium.competition;

import java.time.Instant;
import java.util.List;

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

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Organizers manage the competitions they created or were granted, operators every one;
 * who may call is decided before what they sent is looked at.
 */
@PodiumTest
class CompetitionAccessTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	TestSupport api;

	static int round;

	String ana;

	String anaName;

	String bob;

	String bobName;

	String competition;

	@BeforeEach
	void anaCreatesACompetitionAndBobIsAnotherOrganizer() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		round++;
		this.anaName = "ana-" + round;
		this.bobName = "bob-" + round;
		this.ana = organizer(this.anaName);
		this.bob = organizer(this.bobName);
		this.competition = "owned-" + round;
		require(post(this.ana, "/api/competitions", definition(this.competition)), 201);
	}

	@Test
	void theCreatorManagesTheirCompetitionAndAnotherOrganizerDoesNot() {
		assertThat(uploadSolution(this.ana, SOLUTION)).hasStatusOk();
		MvcTestResult added = post(this.ana, "/api/competitions/" + this.competition + "/participants",
				"{\"name\":\"alice\"}");
		String alice = JsonPath.read(require(added, 201), "$.token");
		assertThat(this.api.get(this.ana, "/api/competitions/{c}/participants", this.competition)).hasStatusOk();
		assertThat(bodyOf(this.api.get(this.ana, "/api/competitions/{c}", this.competition)))
			.contains("\"localCommand\":\"true\"");
		String submission = this.api.submitFileId(alice, this.competition, "t", PREDICTIONS);

		assertThat(uploadSolution(this.bob, SOLUTION)).hasStatus(403);
		assertThat(post(this.bob, "/api/competitions/" + this.competition + "/participants", "{\"name\":\"eve\"}"))
			.hasStatus(403);
		assertThat(this.api.get(this.bob, "/api/competitions/{c}/participants", this.competition)).hasStatus(403);
		assertThat(this.api.get(this.bob, "/api/competitions/{c}", this.competition)).hasStatus(404);
		assertThat(JsonPath.<List<String>>read(bodyOf(this.api.get(this.bob, "/api/competitions")), "$[*].slug"))
			.doesNotContain(this.competition);
		assertThat(JsonPath.<List<String>>read(bodyOf(this.api.get(this.ana, "/api/competitions")), "$[*].slug"))
			.containsExactly(this.competition);
		assertThat(this.api.get(this.bob, "/api/competitions/{c}/tasks/t/leaderboard?view=private", this.competition))
			.hasStatus(404);
		assertThat(this.api.get(this.bob, "/api/competitions/{c}/tasks/t/leaderboard.csv", this.competition))
			.hasStatus(403);
		assertThat(this.api.get(this.bob, "/api/submissions/{id}", submission)).hasStatus(404);
		assertThat(this.mvc.delete()
			.uri("/api/submissions/{id}", submission)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.bob))).hasStatus(404);

		assertThat(this.api.get(this.ana, "/api/competitions/{c}/tasks/t/leaderboard?view=private", this.competition))
			.hasStatusOk();
		assertThat(this.api.get(this.ana, "/api/competitions/{c}/tasks/t/leaderboard.csv", this.competition))
			.hasStatusOk();
		assertThat(this.api.get(this.ana, "/api/submissions/{id}", submission)).hasStatusOk();
		assertThat(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", submission)).hasStatusOk();
	}

	@Test
	void operatorsGrantAndRevokeAndEveryChangeIsRecorded() {
		assertThat(grant(this.ana, this.bobName)).hasStatus(403);
		assertThat(grant(ADMIN_TOKEN, this.bobName)).hasStatusOk();
		assertThat(uploadSolution(this.bob, SOLUTION)).hasStatusOk();
		assertThat(JsonPath.<List<String>>read(
				bodyOf(this.api.get(this.bob, "/api/competitions/{c}/organizers", this.competition)), "$[*].name"))
			.containsExactly(this.anaName, this.bobName);

		assertThat(this.mvc.delete()
			.uri("/api/competitions/{c}/organizers/{o}", this.competition, this.bobName)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))).hasStatusOk();
		assertThat(uploadSolution(this.bob, SOLUTION)).hasStatus(403);

		String changes = bodyOf(
				this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/organizers/changes", this.competition));
		assertThat(JsonPath.<List<String>>read(changes, "$[*].change")).containsExactly("CREATED", "GRANTED",
				"REVOKED");
		assertThat(JsonPath.<List<String>>read(changes, "$[*].organizer")).containsExactly(this.anaName, this.bobName,
				this.bobName);
		assertThat(JsonPath.<List<String>>read(changes, "$[*].changedBy")).containsExactly(this.anaName, "admin",
				"admin");
		assertThat(this.api.get(this.ana, "/api/competitions/{c}/organizers/changes", this.competition)).hasStatus(403);

		assertThat(grant(ADMIN_TOKEN, "nobody-" + round)).hasStatus(404);
		assertThat(grant(ADMIN_TOKEN, "admin")).hasStatus(400);
	}

	@Test
	void competitionsCreatedByOperatorsAreManagedByOperatorsUntilGranted() {
		String slug = "operators-" + round;
		this.api.createCompetition(slug, TestSupport.fileTask("labels"));
		assertThat(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/participants", slug)).hasStatusOk();
		assertThat(this.api.get(this.ana, "/api/competitions/{c}/participants", slug)).hasStatus(403);
	}

	@Test
	void whoMayCallIsDecidedBeforeWhatTheySentIsChecked() {
		String alice = this.api.addParticipant(this.competition, "alice");
		assertRefused(post(alice, "/api/competitions", "{not json"));
		assertRefused(post(alice, "/api/competitions", "{\"slug\":\"BAD SLUG\"}"));
		assertRefused(uploadSolution(this.bob, "not,a\nsolution"));
		assertRefused(post(this.bob, "/api/competitions/" + this.competition + "/participants", "{\"name\":\"\"}"));
		assertRefused(post(alice, "/api/users", "{\"name\":\"\",\"role\":\"NOPE\"}"));
		assertRefused(post(this.bob, "/api/competitions/no-such-competition/participants", "{\"name\":\"x\"}"));
		assertThat(post(ADMIN_TOKEN, "/api/competitions/no-such-competition/participants", "{\"name\":\"x\"}"))
			.hasStatus(404);
		assertThat(this.jdbc.queryForObject(
				"select count(*) from task_solutions s join tasks t on t.id = s.task_id "
						+ "join competitions c on c.id = t.competition_id where c.slug = ?",
				Integer.class, this.competition))
			.isZero();
	}

	private static void assertRefused(MvcTestResult result) {
		assertThat(result).hasStatus(403)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/forbidden");
	}

	private String organizer(String name) {
		return JsonPath.read(
				require(post(ADMIN_TOKEN, "/api/users", "{\"name\":\"" + name + "\",\"role\":\"ORGANIZER\"}"), 201),
				"$.token");
	}

	private MvcTestResult grant(String token, String organizer) {
		return this.mvc.put()
			.uri("/api/competitions/{c}/organizers/{o}", this.competition, organizer)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.exchange();
	}

	private MvcTestResult uploadSolution(String token, String csv) {
		return this.mvc.put()
			.uri("/api/competitions/{c}/tasks/t/solution", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(csv)
			.exchange();
	}

	private MvcTestResult post(String token, String uri, String json) {
		return this.mvc.post()
			.uri(uri)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private static String definition(String slug) {
		return """
				{"slug":"%s","title":"Owned","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
				 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","evaluation":"INLINE",
				           "metric":"accuracy_score","localCommand":"true"}]}
				""".formatted(slug);
	}

}
