package dev.podium.dashboard;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import dev.podium.TestSupport;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real (headless) browser: people sign in, watch pages refresh
 * themselves while the scheduler works, change the budget, and are kept out where they do
 * not belong. Each page is saved under {@code target/screenshots/}.
 */
@DashboardTest
@EnabledIf(value = "dev.podium.dashboard.Browser#installed",
		disabledReason = "Browser tests skipped: they need Debian's headless Chromium at /usr/bin/chromium and "
				+ "/usr/bin/chromedriver (apt-get install chromium chromium-driver)")
class DashboardBrowserTests extends BrowserTest {

	@Test
	void organizersSignInWithTheirTokenAndFindTheirCompetitions() {
		String competition = this.fixtures.competitionWithSandboxTask();
		this.fixtures.api.addParticipant(competition, "alice");
		String token = this.fixtures.organizerOf(competition);

		browser.open("/queue");
		assertThat(browser.path()).isEqualTo("/login");
		browser.screenshot("sign-in");
		browser.fill("#token", token);
		browser.click("form.form button[type=submit]");

		browser.waitForPath("/queue");
		assertThat(browser.path()).as("back where they wanted to go").isEqualTo("/queue");
		assertThat(browser.text(".who")).contains("organizer");
		assertThat(browser.source()).doesNotContain(token);

		browser.click("nav a[href='/']");
		browser.waitFor("#competitions");
		assertThat(browser.text("#competitions")).contains("Test " + competition);
		browser.screenshot("competitions");

		browser.click("#competitions a[href='/competitions/" + competition + "']");
		browser.waitFor("#tasks");
		assertThat(browser.text("h1")).isEqualTo("Test " + competition);
		assertThat(browser.text("#tasks")).contains("Task labels", "accuracy_score", "5 a day");
		assertThat(browser.text("#participants")).contains("alice");
		browser.screenshot("competition");

		browser.click(".account button");
		browser.waitForPath("/login?signed-out");
		assertThat(browser.text("main")).contains("You are signed out.");
		browser.open("/queue");
		assertThat(browser.path()).isEqualTo("/login");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void aSubmissionGoesFromQueuedToScoredAndOntoTheLeaderboardWhileThePagesWatch() {
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		browser.signIn(this.fixtures.organizerOf(competition));
		String submission = this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);

		browser.open("/queue");
		browser.waitFor("#waiting");
		assertThat(browser.text("#waiting")).contains("alice", competition + " / labels", "Planned");
		assertThat(browser.text("#waiting tbody td")).isEqualTo("1");
		assertThat(browser.text("[data-state=QUEUED] .state-value")).isEqualTo("1");
		assertThat(browser.has("#no-sandboxes")).isTrue();
		browser.screenshot("queue-waiting");

		this.fixtures.runOnce();
		browser.waitFor("#sandboxes");
		browser.waitForText("#waiting", "Sandbox starting");
		assertThat(browser.text("#sandboxes")).contains("Starting", competition + " / labels", "alice", "Participant",
				"0 of 25");
		browser.screenshot("queue-sandbox");

		String board = "/competitions/" + competition + "/tasks/labels/leaderboard";
		browser.open(board);
		browser.waitFor("#no-scores");
		this.fixtures.runUntil(() -> "SCORED".equals(this.fixtures.status(submission)));
		browser.waitForText("#leaderboard", "alice");
		assertThat(browser.text("#leaderboard tbody .rank")).isEqualTo("1");
		assertThat(browser.text("#leaderboard tbody .score")).isEqualTo("0.8");
		assertThat(browser.text("#view-badge")).isEqualTo("Public");
		browser.screenshot("leaderboard-public");

		browser.click("a[href$='/private']");
		browser.waitFor("#private-notice");
		assertThat(browser.text("h1")).contains("Private leaderboard");
		assertThat(browser.text("#private-notice")).contains("organizers and operators only");
		assertThat(browser.text("#leaderboard")).contains("alice", "0.8");
		browser.screenshot("leaderboard-private");

		browser.open("/competitions/" + competition);
		browser.waitFor("#submission-states");
		assertThat(browser.text("#submission-states [data-total-state=SCORED]")).isEqualTo("1");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void operatorsChangeTheBudgetAndWatchTheGaugeAndTheHistory() {
		this.jdbc.update("update creation_budgets set creation_limit = 20");
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		browser.signIn(ADMIN_TOKEN);
		browser.open("/budget");
		browser.waitFor("#gauge");
		assertThat(browser.text("#gauge .gauge-value")).isEqualTo("0 / 20");
		assertThat(browser.text("#gauge-level")).isEqualTo("Available");
		assertThat(browser.text("#resets-at")).contains("2026-11-24 00:00 UTC", "in 14 h");
		assertThat(browser.text("#blocked-until")).isEqualTo("none");
		browser.waitUntil((driver) -> browser.chartDrawn("#usage-chart"));

		browser.fill("#limit", "0");
		browser.fill("#reason", " ");
		browser.click("#change-limit button[type=submit]");
		browser.waitFor("#reason-error");
		assertThat(browser.path()).as("back at the form").isEqualTo("/budget/limit#change-limit");
		assertThat(browser.text("#change-refused")).contains("The limit was not changed");
		assertThat(browser.text("#reason-error")).contains("Say why the limit changes");
		assertThat(browser.text("#gauge .gauge-value")).isEqualTo("0 / 20");
		browser.screenshot("budget-invalid");

		browser.fill("#reason", "pause while the Hub is down");
		browser.click("#change-limit button[type=submit]");
		browser.waitFor("#limit-changed");
		assertThat(browser.path()).isEqualTo("/budget#main");
		assertThat(browser.text("#limit-changed")).isEqualTo("The limit changed from 20 to 0.");
		assertThat(browser.text("#gauge .gauge-value")).isEqualTo("0 / 0");
		assertThat(browser.text("#gauge-level")).isEqualTo("Paused");
		assertThat(browser.text("#changes tbody tr")).contains("admin", "20 → 0", "pause while the Hub is down");

		this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);
		browser.open("/queue");
		browser.waitFor("#waiting");
		assertThat(browser.text("#waiting")).contains("Budget", "creations are paused", "no estimate");

		browser.open("/budget");
		browser.fill("#limit", "5");
		browser.fill("#reason", "deadline rush");
		browser.click("#change-limit button[type=submit]");
		browser.waitFor("#limit-changed");
		assertThat(browser.text("#gauge .gauge-value")).isEqualTo("0 / 5");
		List<String> changes = browser.findAll("#changes tbody tr").stream().map((row) -> row.getText()).toList();
		assertThat(changes).hasSize(2);
		assertThat(changes.get(0)).contains("0 → 5", "deadline rush");
		assertThat(changes.get(1)).contains("20 → 0");

		this.fixtures.runOnce();
		browser.waitForText("#gauge .gauge-value", "1 / 5");
		assertThat(browser.textContent("#usage-table tbody tr:last-child")).endsWith("(current) 1");
		browser.screenshot("budget");
		assertThat(browser.consoleErrors()).as("only the refused change's 422")
			.allMatch((error) -> error.contains("/budget/limit") && error.contains("422"));
	}

	@Test
	void organizersSeeTheBudgetWithoutTheForm() {
		browser.signIn(this.fixtures.organizer());
		browser.open("/budget");
		browser.waitFor("#gauge");
		assertThat(browser.has("#change-limit")).isFalse();
		assertThat(browser.text("#operators-only")).isEqualTo("Only operators change the limit.");
		browser.screenshot("budget-organizer");
	}

	@Test
	void participantsSeeOnlyTheirOwnPageWhileThePublicLeaderboardIsOpenToAll() {
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		String board = "/competitions/" + competition + "/tasks/labels/leaderboard";

		browser.open(board);
		assertThat(browser.path()).isEqualTo(board);
		browser.waitFor("#leaderboard-live");
		assertThat(browser.text("h1")).contains("Leaderboard", "Public");
		assertThat(browser.has("#csv-link")).as("no download for the anonymous").isFalse();
		assertThat(browser.text(".account")).contains("Sign in");
		browser.screenshot("leaderboard-anonymous");

		// a participant's token opens their own page, and no organizer's
		browser.signIn(alice);
		browser.waitForPath("/me");
		assertThat(browser.source()).doesNotContain(alice);
		browser.screenshot("sign-in-participant-own-page");

		for (String page : List.of("/", "/queue", "/budget", "/competitions/" + competition, board + "/private")) {
			browser.open(page);
			browser.waitFor("#forbidden");
			assertThat(browser.text("h1")).as(page).contains("Not allowed");
		}
		browser.open(board);
		assertThat(browser.path()).isEqualTo(board);
	}

	@Test
	void aPageLeftOpenAfterItsSessionEndedGoesToTheSignIn() {
		browser.signIn(this.fixtures.organizer());
		browser.open("/queue");
		browser.waitFor("#queue-live");
		browser.forgetSession();
		browser.waitForPath("/login");
	}

	@Test
	void everyPageFitsAPhone() {
		String competition = this.fixtures.competitionWithSandboxTask();
		this.fixtures.api.createCompetition(competition + "-inline", """
				{"slug":"quick","title":"Quick answers","submissionKind":"FILE","evaluation":"INLINE",
				 "metric":"accuracy_score"}
				""", TestSupport.modelTask("models"));
		this.fixtures.api.uploadSolution(competition + "-inline", "quick", TestSupport.SOLUTION);
		String longName = "participant-with-a-rather-long-name-0123456789";
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		String bob = this.fixtures.api.addParticipant(competition + "-inline", "bob");
		this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);
		this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);
		this.fixtures.api.submitFileId(bob, competition + "-inline", "quick", PREDICTIONS);
		// the task's local command writes no predictions: a failure
		String model = com.jayway.jsonpath.JsonPath.read(TestSupport.require(this.mvc.post()
			.uri("/api/competitions/{c}/tasks/models/submissions", competition + "-inline")
			.header(HttpHeaders.AUTHORIZATION, TestSupport.bearer(bob))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"bob/model\",\"revision\":\"v1\"}")
			.exchange(), 201), "$.id");
		this.fixtures.runUntil(() -> "FAILED".equals(this.fixtures.status(model)));
		// a participant whose scope no sandbox serves yet: their submission waits
		this.fixtures.api.submitFileId(this.fixtures.api.addParticipant(competition, longName), competition, "labels",
				PREDICTIONS);

		browser.signIn(ADMIN_TOKEN);
		browser.resize(Browser.PHONE);
		String board = "/competitions/" + competition + "-inline/tasks/quick/leaderboard";
		List<String> pages = List.of("/", "/competitions/" + competition, board, board + "/private", "/queue",
				"/budget");
		List<String> names = List.of("competitions", "competition", "leaderboard-public", "leaderboard-private",
				"queue", "budget");
		for (int i = 0; i < pages.size(); i++) {
			browser.open(pages.get(i));
			browser.waitFor("main h1");
			assertThat(browser.horizontalOverflow()).as(pages.get(i)).isLessThanOrEqualTo(0);
			browser.screenshot("phone-" + names.get(i));
		}
		browser.open("/queue");
		assertThat(browser.text("#waiting")).contains(longName);
		assertThat(browser.text("#failures")).contains("bob", "Submission", "wrote no predictions");
		browser.forgetSession();
		browser.open("/login");
		assertThat(browser.horizontalOverflow()).isLessThanOrEqualTo(0);
		browser.screenshot("phone-sign-in");
		assertThat(browser.consoleErrors()).isEmpty();
	}

}
