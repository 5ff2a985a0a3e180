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
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

@PodiumTest
class CompetitionApiTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void createsACompetitionWithDefaultsForOmittedRules() {
		MvcTestResult created = post(TestSupport.ADMIN_TOKEN,
				"""
						{"slug":"safe-challenge","title":"SAFE","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
						 "timezone":"Europe/Paris",
						 "tasks":[{"slug":"task-1","title":"Task 1","submissionKind":"FILE","evaluation":"SANDBOX",
						           "metric":"accuracy_score","higherIsBetter":true,"dailySubmissionLimit":5,"selectionLimit":2,
						           "idColumn":"id","maxFileBytes":10485760,"hardware":"cpu-basic","evaluationsPerSandbox":1},
						          {"slug":"task-2","title":"Task 2","submissionKind":"MODEL","metric":"mean_squared_error"}]}
						""");
		assertThat(created).hasStatus(201);
		assertThat(created.getResponse().getHeader(HttpHeaders.LOCATION)).isEqualTo("/api/competitions/safe-challenge");

		MvcTestResult shown = get(TestSupport.ADMIN_TOKEN, "/api/competitions/safe-challenge");
		assertThat(shown).hasStatusOk();
		String body = bodyOf(shown);
		assertThat(JsonPath.<String>read(body, "$.timezone")).isEqualTo("Europe/Paris");
		assertThat(JsonPath.<List<String>>read(body, "$.tasks[*].slug")).containsExactly("task-1", "task-2");
		assertThat(JsonPath.<Boolean>read(body, "$.tasks[1].higherIsBetter")).isFalse();
		assertThat(JsonPath.<String>read(body, "$.tasks[1].evaluation")).isEqualTo("SANDBOX");
		assertThat(JsonPath.<Integer>read(body, "$.tasks[1].dailySubmissionLimit")).isEqualTo(5);
		assertThat(JsonPath.<Integer>read(body, "$.tasks[1].evaluationsPerSandbox")).isEqualTo(25);
		assertThat(JsonPath.<String>read(body, "$.tasks[1].hardware")).isEqualTo("cpu-basic");
	}

	@Test
	void namesEveryOffendingFieldOfABadDefinition() {
		MvcTestResult rejected = post(TestSupport.ADMIN_TOKEN, """
				{"slug":"bad","title":"Bad","startsAt":"2026-12-31T00:00:00Z","endsAt":"2026-11-01T00:00:00Z",
				 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","metric":"accuracy"},
				          {"slug":"t","title":"T again","submissionKind":"FILE","metric":"f1_score"}]}
				""");
		assertThat(rejected).hasStatus(400);
		assertThat(rejected).bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/invalid-request");
		assertThat(JsonPath.<List<String>>read(bodyOf(rejected), "$.errors[*].field"))
			.containsExactlyInAnyOrder("endsAt", "tasks[0].metric", "tasks[1].slug");
		assertThat(count("bad")).isZero();
	}

	@Test
	void rejectsLimitsOutOfRangeFieldByField() {
		MvcTestResult rejected = post(TestSupport.ADMIN_TOKEN, """
				{"slug":"limits","title":"Limits","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
				 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","metric":"accuracy_score",
				           "dailySubmissionLimit":0,"selectionLimit":101,"maxFileBytes":-1,"evaluationsPerSandbox":0}]}
				""");
		assertThat(rejected).hasStatus(400);
		assertThat(JsonPath.<List<String>>read(bodyOf(rejected), "$.errors[*].field")).containsExactlyInAnyOrder(
				"tasks[0].dailySubmissionLimit", "tasks[0].selectionLimit", "tasks[0].maxFileBytes",
				"tasks[0].evaluationsPerSandbox");
		assertThat(count("limits")).isZero();
	}

	@Test
	void rejectsAnUnknownTimeZoneAndMalformedJson() {
		MvcTestResult zone = post(TestSupport.ADMIN_TOKEN,
				"""
						{"slug":"zone","title":"Z","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
						 "timezone":"Mars/Olympus","tasks":[{"slug":"t","title":"T","submissionKind":"FILE","metric":"accuracy_score"}]}
						""");
		assertThat(zone).hasStatus(400);
		assertThat(zone).bodyJson().extractingPath("$.errors[0].field").isEqualTo("timezone");
		MvcTestResult malformed = post(TestSupport.ADMIN_TOKEN, "{\"slug\":");
		assertThat(malformed).hasStatus(400);
		assertThat(malformed).bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/malformed-request");
	}

	@Test
	void refusesATakenSlug() {
		String body = """
				{"slug":"twice","title":"Twice","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
				 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","metric":"accuracy_score"}]}
				""";
		assertThat(post(TestSupport.ADMIN_TOKEN, body)).hasStatus(201);
		assertThat(post(TestSupport.ADMIN_TOKEN, body)).hasStatus(409)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/competition-exists");
	}

	@Test
	void rejectsASolutionThatCannotScore() {
		TestSupport api = new TestSupport(this.mvc);
		api.createCompetition("solutions", TestSupport.fileTask("t"));
		MvcTestResult rejected = this.mvc.put()
			.uri("/api/competitions/solutions/tasks/t/solution")
			.header(HttpHeaders.AUTHORIZATION, bearer(TestSupport.ADMIN_TOKEN))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content("id,label\n1,0\n")
			.exchange();
		assertThat(rejected).hasStatus(422)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/invalid-solution");
		assertThat(this.jdbc.queryForObject("""
				select count(*) from task_solutions s join tasks t on t.id = s.task_id
				join competitions c on c.id = t.competition_id where c.slug = 'solutions'
				""", Integer.class)).isZero();

		MvcTestResult accepted = this.mvc.put()
			.uri("/api/competitions/solutions/tasks/t/solution")
			.header(HttpHeaders.AUTHORIZATION, bearer(TestSupport.ADMIN_TOKEN))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(TestSupport.SOLUTION)
			.exchange();
		assertThat(accepted).hasStatusOk().bodyJson().extractingPath("$.publicRows").isEqualTo(5);
	}

	@Test
	void operatorsCreateOrganizersWhoseTokensAreStoredHashed() {
		MvcTestResult created = this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(TestSupport.ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"ana\",\"role\":\"ORGANIZER\"}")
			.exchange();
		String body = require(created, 201);
		String token = JsonPath.read(body, "$.token");
		assertThat(JsonPath.<String>read(body, "$.role")).isEqualTo("ORGANIZER");
		assertThat(this.jdbc.queryForObject("select count(*) from accounts where token_hash = ?", Integer.class, token))
			.isZero();
		assertThat(get(token, "/api/me")).hasStatusOk().bodyJson().extractingPath("$.name").isEqualTo("ana");

		// An organizer creates competitions but not users.
		assertThat(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"eve\",\"role\":\"OPERATOR\"}")).hasStatus(403);
		assertThat(post(token, """
				{"slug":"by-ana","title":"A","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
				 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","metric":"accuracy_score"}]}
				""")).hasStatus(201);
	}

	@Test
	void participantsSeeOnlyTheirOwnCompetition() {
		TestSupport api = new TestSupport(this.mvc);
		api.createCompetition("mine", TestSupport.fileTask("t"));
		api.createCompetition("theirs", TestSupport.fileTask("t"));
		String dana = api.addParticipant("mine", "dana");
		assertThat(get(dana, "/api/competitions/mine")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.tasks[0].localCommand")
			.isNull();
		assertThat(get(dana, "/api/competitions/theirs")).hasStatus(404);
		assertThat(JsonPath.<List<String>>read(bodyOf(get(dana, "/api/competitions")), "$[*].slug"))
			.containsExactly("mine");
		// A participant's name is unique within a competition only.
		api.addParticipant("theirs", "dana");
		assertThat(this.mvc.post()
			.uri("/api/competitions/mine/participants")
			.header(HttpHeaders.AUTHORIZATION, bearer(TestSupport.ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"dana\"}")).hasStatus(409);
	}

	private MvcTestResult post(String token, String json) {
		return this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private MvcTestResult get(String token, String uri) {
		return this.mvc.get().uri(uri).header(HttpHeaders.AUTHORIZATION, bearer(token)).exchange();
	}

	private int count(String slug) {
		return this.jdbc.queryForObject("select count(*) from competitions where slug = ?", Integer.class, slug);
	}

}
