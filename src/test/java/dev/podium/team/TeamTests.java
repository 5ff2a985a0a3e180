package dev.podium.team;

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
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Teams through the API: members share the team's limits and see its submissions, a
 * duplicate is refused, merges follow Kaggle's rule, participants form teams when the
 * competition lets them.
 */
@PodiumTest
class TeamTests {

	static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void competitionOfOneDay() {
		this.clock.set(NOW);
		this.api = new TestSupport(this.mvc);
		this.competition = "teams-" + (++competitions);
		// started today: one team could have made 5 submissions to the task so far
		this.api.createCompetition(this.competition, Instant.parse("2026-11-23T00:00:00Z"),
				Instant.parse("2026-12-31T00:00:00Z"), "UTC", TestSupport.fileTask("labels"));
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
	}

	@Test
	void membersShareTheTeamsDailyLimitAndSeeItsSubmissionsButNoOneElseDoes() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String carol = this.api.addParticipant(this.competition, "carol");
		String team = createTeam("Owls", "alice", "bob");
		String first = this.api.submitFileId(alice, this.competition, "labels", predictions(0));
		for (int i = 1; i < 3; i++) {
			this.api.submitFileId(alice, this.competition, "labels", predictions(i));
		}
		for (int i = 3; i < 5; i++) {
			this.api.submitFileId(bob, this.competition, "labels", predictions(i));
		}
		MvcTestResult sixth = this.api.submitFile(bob, this.competition, "labels", predictions(5));
		assertThat(sixth.getResponse().getStatus()).isEqualTo(429);
		assertThat(bodyOf(sixth)).contains("daily-limit-reached");
		// carol competes alone: her own five
		assertThat(this.api.submitFile(carol, this.competition, "labels", predictions(0)).getResponse().getStatus())
			.isEqualTo(201);

		String quota = require(this.api.get(bob, "/api/me/quota"), 200);
		assertThat((String) JsonPath.read(quota, "$.submissions.holder.kind")).isEqualTo("TEAM");
		assertThat((String) JsonPath.read(quota, "$.submissions.holder.id")).isEqualTo(team);
		assertThat((String) JsonPath.read(quota, "$.submissions.holder.name")).isEqualTo("Owls");
		assertThat((Integer) JsonPath.read(quota, "$.submissions.tasks[0].remaining")).isZero();

		assertThat(this.api.get(bob, "/api/submissions/{id}", first).getResponse().getStatus()).isEqualTo(200);
		assertThat(this.api.get(carol, "/api/submissions/{id}", first).getResponse().getStatus()).isEqualTo(404);
		List<String> bobSees = JsonPath.read(require(this.api.get(bob, "/api/me/submissions"), 200),
				"$.content[*].participant");
		assertThat(bobSees).containsExactlyInAnyOrder("alice", "alice", "alice", "bob", "bob");
		List<String> carolSees = JsonPath.read(require(this.api.get(carol, "/api/me/submissions"), 200),
				"$.content[*].participant");
		assertThat(carolSees).containsExactly("carol");
		assertThat(this.jdbc.queryForList("select distinct participant_id::text from submissions where id = ?::uuid",
				String.class, first))
			.hasSize(1);
	}

	@Test
	void aTeamsDuplicateIsRefusedNamingTheFirstButAnotherTeamMaySubmitTheSameFile() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String carol = this.api.addParticipant(this.competition, "carol");
		createTeam("Owls", "alice", "bob");
		String limits = require(
				put("/api/competitions/{c}/tasks/labels/queue-limits", ADMIN_TOKEN, "{\"refuseDuplicates\":true}"),
				200);
		assertThat((Boolean) JsonPath.read(limits, "$.refuseDuplicates")).isTrue();
		String first = this.api.submitFileId(alice, this.competition, "labels", predictions(0));
		MvcTestResult again = this.api.submitFile(bob, this.competition, "labels", predictions(0));
		assertThat(again.getResponse().getStatus()).isEqualTo(409);
		assertThat((String) JsonPath.read(bodyOf(again), "$.type")).endsWith("/duplicate-submission");
		assertThat((String) JsonPath.read(bodyOf(again), "$.duplicateOf")).isEqualTo(first);
		assertThat(this.api.submitFile(carol, this.competition, "labels", predictions(0)).getResponse().getStatus())
			.isEqualTo(201);
		// a cancelled one may be submitted again
		require(this.mvc.delete()
			.uri("/api/submissions/{id}", first)
			.header(HttpHeaders.AUTHORIZATION, bearer(bob))
			.exchange(), 200);
		assertThat(this.api.submitFile(bob, this.competition, "labels", predictions(0)).getResponse().getStatus())
			.isEqualTo(201);
	}

	@Test
	void mergesOnlyWhileTheMergedTeamDoesNotExceedWhatOneTeamCouldHaveMadeAndRecordsIt() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String owls = createTeam("Owls", "alice");
		String larks = createTeam("Larks", "bob");
		for (int i = 0; i < 4; i++) {
			this.api.submitFileId(alice, this.competition, "labels", predictions(i));
		}
		String bobFirst = this.api.submitFileId(bob, this.competition, "labels", predictions(0));
		String bobSecond = this.api.submitFileId(bob, this.competition, "labels", predictions(1));

		MvcTestResult tooMany = merge(owls, larks);
		assertThat(tooMany.getResponse().getStatus()).isEqualTo(409);
		assertThat((String) JsonPath.read(bodyOf(tooMany), "$.type")).endsWith("/team-merge-too-many-submissions");
		assertThat((Integer) JsonPath.read(bodyOf(tooMany), "$.submissions")).isEqualTo(6);
		assertThat((Integer) JsonPath.read(bodyOf(tooMany), "$.allowed")).isEqualTo(5);

		// a cancelled submission does not count: 4 + 1 is what one team could have made
		require(this.mvc.delete()
			.uri("/api/submissions/{id}", bobSecond)
			.header(HttpHeaders.AUTHORIZATION, bearer(bob))
			.exchange(), 200);
		String merged = require(merge(owls, larks), 200);
		assertThat((List<String>) JsonPath.read(merged, "$.members[*].name")).containsExactly("alice", "bob");
		assertThat(this.api.get(alice, "/api/submissions/{id}", bobFirst).getResponse().getStatus()).isEqualTo(200);
		// the merged team has spent its day
		assertThat(this.api.submitFile(bob, this.competition, "labels", predictions(7)).getResponse().getStatus())
			.isEqualTo(429);
		assertThat(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/teams/{t}", this.competition, larks)
			.getResponse()
			.getStatus()).isEqualTo(404);
		String changes = require(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/teams/changes", this.competition),
				200);
		List<String> kinds = JsonPath.read(changes, "$[*].change");
		assertThat(kinds).containsExactly("CREATED", "JOINED", "CREATED", "JOINED", "MERGED");
		assertThat((String) JsonPath.read(changes, "$[4].detail")).contains("Larks", "Owls", "2 submissions");
	}

	@Test
	void noMergeBringsSubmissionsAfterTheMergeDeadline() {
		String alice = this.api.addParticipant(this.competition, "alice");
		this.api.addParticipant(this.competition, "bob");
		String owls = createTeam("Owls", "bob");
		this.api.submitFileId(alice, this.competition, "labels", predictions(0));
		require(put("/api/competitions/{c}/team-settings", ADMIN_TOKEN,
				"{\"selfService\":false,\"maxTeamSize\":5,\"teamMergeDeadline\":\"2026-11-23T09:00:00Z\"}"), 200);
		MvcTestResult late = post("/api/competitions/{c}/teams/" + owls + "/members", ADMIN_TOKEN,
				"{\"participant\":\"alice\"}");
		assertThat(late.getResponse().getStatus()).isEqualTo(409);
		assertThat((String) JsonPath.read(bodyOf(late), "$.type")).endsWith("/team-merge-deadline-passed");
		// a fresh member brings nothing: an organizer may still add them
		this.api.addParticipant(this.competition, "dora");
		require(post("/api/competitions/{c}/teams/" + owls + "/members", ADMIN_TOKEN, "{\"participant\":\"dora\"}"),
				200);
	}

	@Test
	void participantsFoundAndJoinTeamsWhenTheCompetitionLetsThemUpToTheLargestSize() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String bob = this.api.addParticipant(this.competition, "bob");
		String carol = this.api.addParticipant(this.competition, "carol");
		MvcTestResult refused = post("/api/me/team", alice, "{\"name\":\"Owls\"}");
		assertThat(refused.getResponse().getStatus()).isEqualTo(403);
		assertThat((String) JsonPath.read(bodyOf(refused), "$.type")).endsWith("/teams-not-self-service");

		require(put("/api/competitions/{c}/team-settings", ADMIN_TOKEN, "{\"selfService\":true,\"maxTeamSize\":2}"),
				200);
		String solo = require(this.api.get(alice, "/api/me/team"), 200);
		assertThat((Boolean) JsonPath.read(solo, "$.solo")).isTrue();
		String bobsOwn = this.api.submitFileId(bob, this.competition, "labels", predictions(3));

		String founded = require(post("/api/me/team", alice, "{\"name\":\"Owls\"}"), 201);
		String code = JsonPath.read(founded, "$.joinCode");
		assertThat(code).startsWith("team_");
		assertThat(this.jdbc.queryForObject(
				"select t.join_code_hash from teams t join competitions c on c.id = t.competition_id where c.slug = ?",
				String.class, this.competition))
			.isNotEqualTo(code);
		assertThat(bodyOf(this.api.get(alice, "/api/me/team"))).doesNotContain(code);

		MvcTestResult wrongCode = post("/api/me/team/join", bob, "{\"code\":\"team_nope\"}");
		assertThat(wrongCode.getResponse().getStatus()).isEqualTo(404);
		String joined = require(post("/api/me/team/join", bob, "{\"code\":\"" + code + "\"}"), 200);
		assertThat((List<String>) JsonPath.read(joined, "$.members[*].name")).containsExactly("alice", "bob");
		// bob brought his submission
		assertThat(this.api.get(alice, "/api/submissions/{id}", bobsOwn).getResponse().getStatus()).isEqualTo(200);

		MvcTestResult full = post("/api/me/team/join", carol, "{\"code\":\"" + code + "\"}");
		assertThat(full.getResponse().getStatus()).isEqualTo(409);
		assertThat((String) JsonPath.read(bodyOf(full), "$.type")).endsWith("/team-full");
	}

	@Test
	void onlyThoseWhoManageTheCompetitionFormItsTeams() {
		String alice = this.api.addParticipant(this.competition, "alice");
		assertThat(post("/api/competitions/{c}/teams", alice, "{\"name\":\"Owls\"}").getResponse().getStatus())
			.isEqualTo(403);
		assertThat(this.api.get(alice, "/api/competitions/{c}/teams", this.competition).getResponse().getStatus())
			.isEqualTo(403);
		assertThat(
				put("/api/competitions/{c}/team-settings", alice, "{\"selfService\":true}").getResponse().getStatus())
			.isEqualTo(403);
		assertThat(put("/api/competitions/{c}/tasks/labels/queue-limits", alice, "{\"maxInFlight\":9}").getResponse()
			.getStatus()).isEqualTo(403);
		String organizer = organizer("outsider-" + this.competition);
		assertThat(post("/api/competitions/{c}/teams", organizer, "{\"name\":\"Owls\"}").getResponse().getStatus())
			.isEqualTo(403);
	}

	private String createTeam(String name, String... members) {
		String list = String.join(",", java.util.Arrays.stream(members).map((m) -> "\"" + m + "\"").toList());
		String body = require(post("/api/competitions/{c}/teams", ADMIN_TOKEN,
				"{\"name\":\"" + name + "\",\"members\":[" + list + "]}"), 201);
		return JsonPath.read(body, "$.id");
	}

	private MvcTestResult merge(String into, String from) {
		return post("/api/competitions/{c}/teams/" + into + "/merge", ADMIN_TOKEN, "{\"team\":\"" + from + "\"}");
	}

	private MvcTestResult post(String uri, String token, String json) {
		return this.mvc.post()
			.uri(uri, this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private MvcTestResult put(String uri, String token, String json) {
		return this.mvc.put()
			.uri(uri, this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private String organizer(String name) {
		String body = require(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + name + "\",\"role\":\"ORGANIZER\"}")
			.exchange(), 201);
		return JsonPath.read(body, "$.token");
	}

	static String predictions(int variant) {
		return TeamTestData.predictions(variant);
	}

}
