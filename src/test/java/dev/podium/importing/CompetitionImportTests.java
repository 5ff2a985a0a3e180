package dev.podium.importing;

import java.time.Instant;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static dev.podium.importing.HfCompetitionRepo.ALICE;
import static dev.podium.importing.HfCompetitionRepo.BOB;
import static dev.podium.importing.HfCompetitionRepo.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Importing a huggingface/competitions competition from an uploaded archive of its repo.
 */
@PodiumTest
class CompetitionImportTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	TestSupport api;

	static int imports;

	String slug;

	@BeforeEach
	void setUp() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		this.slug = "imported-" + (++imports);
	}

	@Test
	void aDryRunReportsWhatWouldBeCreatedAndWritesNothing() {
		String body = require(importArchive(ADMIN_TOKEN, generic().zip("sentiment"), this.slug, true), 200);
		assertThat(JsonPath.<Boolean>read(body, "$.dryRun")).isTrue();
		assertThat(JsonPath.<Boolean>read(body, "$.created")).isFalse();
		assertThat(JsonPath.<String>read(body, "$.competition.title")).isEqualTo("Sentiment Challenge");
		assertThat(JsonPath.<String>read(body, "$.competition.endsAt")).isEqualTo("2026-12-20T00:00:00Z");
		assertThat(JsonPath.<String>read(body, "$.competition.tasks[0].submissionKind")).isEqualTo("FILE");
		assertThat(JsonPath.<String>read(body, "$.competition.tasks[0].evaluation")).isEqualTo("INLINE");
		assertThat(JsonPath.<Integer>read(body, "$.competition.tasks[0].dailySubmissionLimit")).isEqualTo(3);
		assertThat(JsonPath.<Integer>read(body, "$.competition.tasks[0].solutionRows")).isEqualTo(10);
		assertThat(JsonPath.<List<String>>read(body, "$.mapped[*].key")).contains("COMPETITION_TYPE",
				"SUBMISSION_LIMIT", "SELECTION_LIMIT", "END_DATE", "EVAL_METRIC", "SCORING_METRIC",
				"EVAL_HIGHER_IS_BETTER", "SUBMISSION_ID_COLUMN", "SUBMISSION_COLUMNS", "SUBMISSION_ROWS",
				"SUBMISSION_FILENAMES", "LOGO", "solution.csv");
		// a generic competition runs no code: its time limit and hardware are named as
		// unused
		assertThat(JsonPath.<List<String>>read(body, "$.notMapped[*].key")).contains("TIME_LIMIT", "HARDWARE");
		assertThat(JsonPath.<List<String>>read(body, "$.participants.hfUserIds")).containsExactlyInAnyOrder(ALICE, BOB,
				CAROL);
		assertThat(JsonPath.<List<String>>read(body, "$.teams[*].name")).contains("Bob <b>the</b> Builder");
		assertThat(JsonPath.<Integer>read(body, "$.submissions.total")).isEqualTo(5);
		assertThat(JsonPath.<Integer>read(body, "$.submissions.scored")).isEqualTo(3);
		assertThat(JsonPath.<Integer>read(body, "$.submissions.failed")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(body, "$.submissions.waiting")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(body, "$.submissions.selected")).isEqualTo(1);
		assertThat(JsonPath.<Integer>read(body, "$.submissions.files")).isEqualTo(5);
		assertThat(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.slug)).hasStatus(404);
	}

	@Test
	void importsTheChallengeWithItsRulesTextsParticipantsAndBoards() {
		MvcTestResult result = importArchive(ADMIN_TOKEN, generic().zip("sentiment"), this.slug, false);
		String report = require(result, 201);
		assertThat(result.getResponse().getHeader(HttpHeaders.LOCATION)).isEqualTo("/api/competitions/" + this.slug);
		assertThat(JsonPath.<Boolean>read(report, "$.created")).isTrue();

		String competition = require(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.slug), 200);
		assertThat(JsonPath.<String>read(competition, "$.timezone")).isEqualTo("UTC");
		assertThat(JsonPath.<String>read(competition, "$.texts.description")).contains("# Sentiment Challenge");
		assertThat(JsonPath.<String>read(competition, "$.texts.rules")).isEqualTo("Be kind.\n");
		assertThat(JsonPath.<String>read(competition, "$.texts.logoUrl")).isEqualTo("https://example.org/logo.png");
		assertThat(JsonPath.<String>read(competition, "$.importedFrom")).startsWith("archive:");
		assertThat(JsonPath.<Integer>read(competition, "$.tasks[0].dailySubmissionLimit")).isEqualTo(3);
		assertThat(JsonPath.<Integer>read(competition, "$.tasks[0].selectionLimit")).isEqualTo(2);
		assertThat(JsonPath.<String>read(competition, "$.tasks[0].metric")).isEqualTo("accuracy_score");

		String participants = require(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/participants", this.slug), 200);
		assertThat(JsonPath.<List<String>>read(participants, "$[*].name")).containsExactlyInAnyOrder("hf-" + ALICE,
				"hf-" + BOB, "hf-" + CAROL);

		// The public board ranks each team's best public score under its name, as it did
		// there (teams.json): its members compete as one entrant.
		String board = require(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/tasks/main/leaderboard", this.slug),
				200);
		assertThat(JsonPath.<List<String>>read(board, "$.entries[*].participant")).containsExactly("alice's team",
				"Bob <b>the</b> Builder");
		assertThat(this.jdbc.queryForList(
				"""
						select t.name from teams t join team_members m on m.team_id = t.id join accounts a on a.id = m.participant_id
						join competitions c on c.id = t.competition_id where a.name = ? and c.slug = ?""",
				String.class, "hf-" + BOB, this.slug))
			.containsExactly("Bob <b>the</b> Builder");
		assertThat(JsonPath.<List<Double>>read(board, "$.entries[*].score")).containsExactly(0.8, 0.4);
		// bob selected one submission: it is his entry on the private board
		String privateBoard = require(
				this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/tasks/main/leaderboard?view=private", this.slug), 200);
		assertThat(JsonPath.<List<Double>>read(privateBoard,
				"$.entries[?(@.participant == 'Bob <b>the</b> Builder')].score"))
			.containsExactly(0.8);
		// alice selected nothing: as there, her single best public submission (0.8)
		// stands,
		// with its private 0.6, not her best private one among her top public ones (1.0)
		assertThat(JsonPath.<String>read(competition, "$.privateBoardRule")).isEqualTo("BEST_PUBLIC");
		assertThat(JsonPath.<List<Double>>read(privateBoard, "$.entries[?(@.participant == \"alice's team\")].score"))
			.containsExactly(0.6);

		// bob's pending submission waits in Podium's queue, with its file
		assertThat(this.jdbc
			.queryForList("select s.status from submissions s join competitions c on c.id = s.competition_id "
					+ "where c.slug = ? and s.external_id = 'b2'", String.class, this.slug))
			.containsExactly("QUEUED");
	}

	@Test
	void theCompetitionsPageShowsItsTextsAsTextNeverAsHtml() {
		require(importArchive(ADMIN_TOKEN, generic().zip("sentiment"), this.slug, false), 201);
		MvcTestResult signIn = this.mvc.post().uri("/login").param("token", ADMIN_TOKEN).with(csrf()).exchange();
		MvcTestResult page = this.mvc.get()
			.uri("/competitions/{c}", this.slug)
			.session((MockHttpSession) signIn.getRequest().getSession(false))
			.exchange();
		assertThat(page).hasStatusOk();
		String html = bodyOf(page);
		assertThat(html).contains("# Sentiment Challenge", "Be kind.", "src=\"https://example.org/logo.png\"");
		assertThat(html).doesNotContain("<script>alert('x')</script>")
			.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	}

	@Test
	void anImportedRepoIsNotImportedTwice() {
		byte[] archive = generic().zip("sentiment");
		require(importArchive(ADMIN_TOKEN, archive, this.slug, false), 201);
		MvcTestResult again = importArchive(ADMIN_TOKEN, archive, this.slug + "-again", false);
		assertThat(again).hasStatus(409);
		assertThat(JsonPath.<String>read(bodyOf(again), "$.type"))
			.isEqualTo("https://podium.dev/problems/already-imported");
		assertThat(JsonPath.<String>read(bodyOf(again), "$.competition")).isEqualTo(this.slug);
		assertThat(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.slug + "-again")).hasStatus(404);
	}

	@Test
	void aRepoThatCannotBeImportedLeavesNothingAndImportsOnceFixed() {
		HfCompetitionRepo broken = generic().with("solution.csv", "id,label\n0,1\n1,0\n")
			.with("conf.json", generic().files.get("conf.json").replace("accuracy_score", "custom"));
		MvcTestResult refused = importArchive(ADMIN_TOKEN, broken.zip("sentiment"), this.slug, false);
		assertThat(refused).hasStatus(422);
		String body = bodyOf(refused);
		assertThat(JsonPath.<String>read(body, "$.type")).isEqualTo("https://podium.dev/problems/import-blocked");
		assertThat(JsonPath.<List<String>>read(body, "$.report.problems[*].where")).contains("solution.csv");
		// the custom metric is named, with what Podium does about it
		assertThat(JsonPath.<List<String>>read(body, "$.report.notMapped[*].key")).contains("EVAL_METRIC");
		assertThat(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}", this.slug)).hasStatus(404);
		assertThat(this.jdbc.queryForObject("select count(*) from accounts where hf_user_id = ?", Integer.class,
				CAROL + "-never"))
			.isZero();

		require(importArchive(ADMIN_TOKEN, generic().with("RULES.md", "Fixed.\n").zip("sentiment"), this.slug, false),
				201);
	}

	@Test
	void twoImportsOfTheSameRepoAtOnceMakeOneCompetitionWithOneSetOfParticipants() throws Exception {
		byte[] archive = generic().with("RULES.md", "Raced.\n").zip("sentiment");
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Callable<Integer> attempt = () -> importArchive(ADMIN_TOKEN, archive, this.slug, false).getResponse()
				.getStatus();
			Future<Integer> first = pool.submit(attempt);
			Future<Integer> second = pool.submit(attempt);
			assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(201, 409);
		}
		finally {
			pool.shutdownNow();
		}
		String participants = require(this.api.get(ADMIN_TOKEN, "/api/competitions/{c}/participants", this.slug), 200);
		assertThat(JsonPath.<List<String>>read(participants, "$[*].name")).hasSize(3);
	}

	@Test
	void organizersImportAndManageWhatTheyImportedParticipantsMayNot() {
		String organizer = JsonPath.read(require(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType("application/json")
			.content("{\"name\":\"importer-" + this.slug + "\",\"role\":\"ORGANIZER\"}")
			.exchange(), 201), "$.token");
		String other = JsonPath.read(require(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType("application/json")
			.content("{\"name\":\"other-" + this.slug + "\",\"role\":\"ORGANIZER\"}")
			.exchange(), 201), "$.token");
		this.api.createCompetition(this.slug + "-host", TestSupport.fileTask("t"));
		String participant = this.api.addParticipant(this.slug + "-host", "pat");

		assertThat(importArchive(participant, generic().zip("x"), this.slug, false)).hasStatus(403);
		// refused before the body is read: not even a broken upload gets past the role
		// check
		assertThat(importArchive(participant, new byte[] { 1, 2, 3 }, this.slug, false)).hasStatus(403);

		require(importArchive(organizer, generic().with("RULES.md", "Mine.\n").zip("x"), this.slug, false), 201);
		assertThat(this.api.get(organizer, "/api/competitions/{c}/participants", this.slug)).hasStatusOk();
		assertThat(this.api.get(other, "/api/competitions/{c}/participants", this.slug)).hasStatus(403);
	}

	@Test
	void anUploadThatIsNotAZipArchiveIsABadRequest() {
		MvcTestResult result = importArchive(ADMIN_TOKEN, "id,label\n".getBytes(), this.slug, false);
		assertThat(result).hasStatus(400);
		assertThat(JsonPath.<String>read(bodyOf(result), "$.type"))
			.isEqualTo("https://podium.dev/problems/invalid-archive");
	}

	/** The fixture, made this test's own: an archive is known by its content. */
	HfCompetitionRepo generic() {
		return HfCompetitionRepo.generic().with("README.md", "# " + this.slug + "\n");
	}

	MvcTestResult importArchive(String token, byte[] archive, String slug, boolean dryRun) {
		return this.mvc.post()
			.uri("/api/competitions/import")
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.multipart()
			.file(new MockMultipartFile("archive", "sentiment.zip", "application/zip", archive))
			.param("slug", slug)
			.param("dryRun", Boolean.toString(dryRun))
			.exchange();
	}

}
