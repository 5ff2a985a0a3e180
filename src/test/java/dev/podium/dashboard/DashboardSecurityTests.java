package dev.podium.dashboard;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.budget.CreationBudget;
import dev.podium.evaluation.EvaluationScheduler;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

/** The dashboard's security rules, through MockMvc. */
@DashboardTest
class DashboardSecurityTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	CreationBudget budget;

	DashboardFixtures fixtures;

	String competition;

	String participant;

	@BeforeEach
	void aCompetitionWithAParticipant() {
		this.fixtures = new DashboardFixtures(this.mvc, this.jdbc, this.clock, this.scheduler);
		this.fixtures.freshDay();
		this.competition = this.fixtures.competitionWithSandboxTask();
		this.participant = this.fixtures.api.addParticipant(this.competition, "alice");
	}

	@Test
	void anonymousPageViewsGoToTheSignIn() {
		for (String page : List.of("/", "/queue", "/budget", "/competitions/" + this.competition, board() + "/private",
				board() + ".csv")) {
			assertThat(this.mvc.get().uri(page).exchange()).as(page).hasStatus(302).redirectedUrl().endsWith("/login");
		}
	}

	@Test
	void aPageRefreshingAfterItsSessionEndedIsSentToTheSignInAsAWhole() {
		MvcTestResult refresh = this.mvc.get().uri("/queue/live").header("HX-Request", "true").exchange();
		assertThat(refresh).hasStatus(401).headers().hasValue("HX-Redirect", "/login");
	}

	@Test
	void publicLeaderboardsAndOperationalEndpointsAreOpenToEveryone() {
		assertThat(this.mvc.get().uri(board()).exchange()).hasStatusOk()
			.bodyText()
			.contains("Leaderboard")
			.doesNotContain("Private leaderboard");
		assertThat(this.mvc.get().uri(board() + "/entries").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/login").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/actuator/health").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/css/dashboard.css").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/webjars/htmx.org/dist/htmx.min.js").exchange()).hasStatusOk();
		assertThat(this.mvc.get().uri("/webjars/chart.js/dist/chart.umd.min.js").exchange()).hasStatusOk();
	}

	@Test
	void pagesForbidInlineScriptsAndStyles() {
		assertThat(this.mvc.get().uri(board()).exchange()).headers()
			.hasValue("Content-Security-Policy",
					"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
							+ "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
							+ "frame-ancestors 'none'");
	}

	@Test
	void organizersSignInWithTheirTokenAndGetASession() {
		String token = this.fixtures.organizer();
		MvcTestResult signIn = this.mvc.post().uri("/login").param("token", token).with(csrf()).exchange();
		assertThat(signIn).hasStatus(302).redirectedUrl().isEqualTo("/");
		HttpSession session = signIn.getRequest().getSession(false);
		assertThat(session).isNotNull();
		MvcTestResult queue = this.mvc.get().uri("/queue").session((MockHttpSession) session).exchange();
		assertThat(queue).hasStatusOk().bodyText().contains("Evaluation queue").doesNotContain(token);
	}

	@Test
	void signInNeedsTheFormsCsrfToken() {
		assertThat(this.mvc.post().uri("/login").param("token", ADMIN_TOKEN).exchange()).hasStatus(403);
	}

	@Test
	void participantsSignInToTheirOwnPageAndNoFurther() {
		MvcTestResult signIn = this.mvc.post().uri("/login").param("token", this.participant).with(csrf()).exchange();
		assertThat(signIn).hasStatus(302).redirectedUrl().isEqualTo("/me");
		assertThat(signIn.getResponse().getRedirectedUrl()).doesNotContain(this.participant);
		var session = (org.springframework.mock.web.MockHttpSession) signIn.getRequest().getSession();
		assertThat(this.mvc.get().uri("/me").session(session).exchange()).hasStatusOk()
			.bodyText()
			.contains("My submissions")
			.doesNotContain(this.participant);
		assertThat(this.mvc.get().uri("/queue").session(session).exchange()).hasStatus(403);
		assertThat(this.mvc.get().uri("/").session(session).exchange()).hasStatus(403);
	}

	@Test
	void unknownTokensAreRefusedWithoutEchoingThem() {
		MvcTestResult signIn = this.mvc.post().uri("/login").param("token", "pod_guessed").with(csrf()).exchange();
		assertThat(signIn).hasStatus(302).redirectedUrl().isEqualTo("/login?error=token");
		assertThat(this.mvc.get().uri("/login?error=token").exchange()).bodyText()
			.contains("That token is not valid")
			.doesNotContain("pod_guessed");
	}

	@Test
	void aSignedInParticipantWouldStillBeForbidden() {
		var asParticipant = authentication(UsernamePasswordAuthenticationToken.authenticated(
				new PodiumUser(UUID.randomUUID(), "alice", Role.PARTICIPANT, UUID.randomUUID()), null,
				List.of(new SimpleGrantedAuthority(Role.PARTICIPANT.authority()))));
		assertThat(this.mvc.get().uri("/queue").with(asParticipant).exchange()).hasStatus(403);
		assertThat(this.mvc.get().uri(board() + "/private").with(asParticipant).exchange()).hasStatus(403);
		assertThat(this.mvc.get().uri(board()).with(asParticipant).exchange()).hasStatusOk();
	}

	@Test
	void theBudgetFormNeedsItsCsrfToken() {
		MvcTestResult withoutToken = this.mvc.post()
			.uri("/budget/limit")
			.with(staff(Role.OPERATOR))
			.param("limit", "5")
			.param("reason", "no token")
			.exchange();
		assertThat(withoutToken).hasStatus(403);
		assertThat(this.budget.status().limit()).isEqualTo(1000);
	}

	@Test
	void operatorsChangeTheLimitFromTheForm() {
		MvcTestResult change = this.mvc.post()
			.uri("/budget/limit")
			.with(staff(Role.OPERATOR))
			.with(csrf())
			.param("limit", "7")
			.param("reason", "deadline rush")
			.exchange();
		assertThat(change).hasStatus(302).redirectedUrl().isEqualTo("/budget#main");
		assertThat(this.budget.status().limit()).isEqualTo(7);
		assertThat(this.budget.history(1).changes().get(0).changedBy()).isEqualTo("olga");
	}

	@Test
	void organizersSeeTheBudgetButCannotChangeIt() {
		assertThat(this.mvc.get().uri("/budget").with(staff(Role.ORGANIZER)).exchange()).hasStatusOk()
			.bodyText()
			.contains("Only operators change the limit")
			.doesNotContain("name=\"reason\"");
		MvcTestResult change = this.mvc.post()
			.uri("/budget/limit")
			.with(staff(Role.ORGANIZER))
			.with(csrf())
			.param("limit", "7")
			.param("reason", "sneaky")
			.exchange();
		assertThat(change).hasStatus(403);
		assertThat(this.budget.status().limit()).isEqualTo(1000);
	}

	@Test
	void invalidChangesAreShownOnTheFormAndChangeNothing() {
		MvcTestResult change = this.mvc.post()
			.uri("/budget/limit")
			.with(staff(Role.OPERATOR))
			.with(csrf())
			.param("limit", "lots")
			.param("reason", " ")
			.exchange();
		assertThat(change).hasStatus(422)
			.bodyText()
			.contains("Enter a whole number from 0 to 100000.")
			.contains("value=\"lots\"")
			.contains("Say why the limit changes");
		MvcTestResult tooHigh = this.mvc.post()
			.uri("/budget/limit")
			.with(staff(Role.OPERATOR))
			.with(csrf())
			.param("limit", "100001")
			.param("reason", "a lot")
			.exchange();
		assertThat(tooHigh).hasStatus(422).bodyText().contains("The limit is at most 100000.");
		assertThat(this.budget.status().limit()).isEqualTo(1000);
	}

	@Test
	void theCsvDownloadNeedsOnlyTheSession() {
		MvcTestResult csv = this.mvc.get()
			.uri(board() + ".csv?view=private")
			.with(this.fixtures.managerOf(this.competition))
			.exchange();
		assertThat(csv).hasStatusOk()
			.hasContentType("text/csv;charset=UTF-8")
			.headers()
			.hasValue(HttpHeaders.CONTENT_DISPOSITION,
					"attachment; filename=\"" + this.competition + "-labels-private.csv\"");
		assertThat(bodyOf(csv)).startsWith("rank,participant,score,submission_id,submitted_at,submissions\n");
	}

	@Test
	void signingOutNeedsTheCsrfTokenAndEndsTheSession() {
		assertThat(this.mvc.post().uri("/logout").with(staff(Role.ORGANIZER)).exchange()).hasStatus(403);
		assertThat(this.mvc.post().uri("/logout").with(staff(Role.ORGANIZER)).with(csrf()).exchange()).hasStatus(302)
			.redirectedUrl()
			.isEqualTo("/login?signed-out");
	}

	@Test
	void theApiKeepsItsBearerTokens() {
		assertThat(this.mvc.get().uri("/api/budget").exchange()).hasStatus(401);
		assertThat(this.fixtures.api.get(ADMIN_TOKEN, "/api/budget")).hasStatusOk();
	}

	@Test
	void missingCompetitionsAreNotFoundPages() {
		assertThat(this.mvc.get().uri("/competitions/nope").with(staff(Role.OPERATOR)).exchange()).hasStatus(404)
			.bodyText()
			.contains("There is no competition &#39;nope&#39;.");
		assertThat(this.mvc.get().uri("/competitions/nope/tasks/t/leaderboard").exchange()).hasStatus(404);
	}

	@Test
	void anUnknownPageIsAPageForBrowsersAndAProblemForApiClients() {
		String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
		MvcTestResult page = this.mvc.get()
			.uri("/no-such-page")
			.header(HttpHeaders.ACCEPT, browser)
			.with(staff(Role.ORGANIZER))
			.exchange();
		assertThat(page).hasStatus(404).hasContentTypeCompatibleWith("text/html");
		assertThat(bodyOf(page)).contains("Not found", "There is no such page.", "site-header");

		for (String client : new String[] { "application/json", "*/*", "application/problem+json" }) {
			MvcTestResult problem = this.mvc.get()
				.uri("/no-such-page")
				.header(HttpHeaders.ACCEPT, client)
				.with(staff(Role.ORGANIZER))
				.exchange();
			assertThat(problem).as(client).hasStatus(404).hasContentTypeCompatibleWith("application/problem+json");
			assertThat(problem).bodyJson().extractingPath("$.type").isEqualTo("https://podium.dev/problems/not-found");
			assertThat(problem).bodyJson().extractingPath("$.detail").isEqualTo("There is nothing at /no-such-page");
		}
		MvcTestResult api = this.mvc.get()
			.uri("/api/no-such-endpoint")
			.header(HttpHeaders.ACCEPT, browser)
			.header(HttpHeaders.AUTHORIZATION, dev.podium.TestSupport.bearer(ADMIN_TOKEN))
			.exchange();
		assertThat(api).hasStatus(404).hasContentTypeCompatibleWith("application/problem+json");
	}

	@Test
	void organizersSeeOnlyTheCompetitionsTheyManage() {
		String other = this.fixtures.competitionWithSandboxTask();
		String bob = this.fixtures.api.addParticipant(other, "bob");
		this.fixtures.api.submitFileId(bob, other, "labels", dev.podium.TestSupport.PREDICTIONS);
		RequestPostProcessor manager = this.fixtures.managerOf(this.competition);
		assertThat(this.mvc.get().uri("/").with(manager).exchange()).hasStatusOk()
			.bodyText()
			.contains("Test " + this.competition)
			.doesNotContain("Test " + other);
		assertThat(this.mvc.get().uri("/competitions/" + this.competition).with(manager).exchange()).hasStatusOk();
		for (String page : List.of("/competitions/" + other, "/competitions/" + other + "/live",
				"/competitions/" + other + "/tasks/labels/leaderboard/private",
				"/competitions/" + other + "/tasks/labels/leaderboard.csv", "/competitions/nope")) {
			assertThat(this.mvc.get().uri(page).with(manager).exchange()).as(page)
				.hasStatus(403)
				.bodyText()
				.contains("organizers see the competitions they manage");
		}
		assertThat(this.mvc.get().uri("/queue").with(manager).exchange()).hasStatusOk()
			.bodyText()
			.doesNotContain("bob")
			.doesNotContain(other);
		assertThat(this.mvc.get().uri("/queue").with(staff(Role.OPERATOR)).exchange()).hasStatusOk()
			.bodyText()
			.contains("bob");
		assertThat(this.mvc.get().uri("/competitions/" + other + "/tasks/labels/leaderboard").exchange()).hasStatusOk();
	}

	private String board() {
		return "/competitions/" + this.competition + "/tasks/labels/leaderboard";
	}

	private static RequestPostProcessor staff(Role role) {
		String name = (role == Role.OPERATOR) ? "olga" : "ana";
		return authentication(
				UsernamePasswordAuthenticationToken.authenticated(new PodiumUser(UUID.randomUUID(), name, role, null),
						null, List.of(new SimpleGrantedAuthority(role.authority()))));
	}

}
