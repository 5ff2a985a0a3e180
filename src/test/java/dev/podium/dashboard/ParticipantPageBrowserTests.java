package dev.podium.dashboard;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import dev.podium.TestSupport;
import dev.podium.team.TeamTestData;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A participant's own page in a real (headless) browser: they sign in with their token
 * and follow their team's submissions, and nothing of another team's.
 */
@DashboardTest
@EnabledIf(value = "dev.podium.dashboard.Browser#installed",
		disabledReason = "Browser tests skipped: they need Debian's headless Chromium at /usr/bin/chromium and "
				+ "/usr/bin/chromedriver (apt-get install chromium chromium-driver)")
class ParticipantPageBrowserTests extends BrowserTest {

	@Test
	void aParticipantFollowsTheirTeamsSubmissionsSelectsOneAndFindsTheirRowOnTheBoard() {
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		String amy = this.fixtures.api.addParticipant(competition, "amy");
		String carol = this.fixtures.api.addParticipant(competition, "carol");
		TestSupport.require(this.mvc.post()
			.uri("/api/competitions/{c}/teams", competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"Owls\",\"members\":[\"alice\",\"amy\"]}")
			.exchange(), 201);
		String good = this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);
		this.clock.advance(java.time.Duration.ofSeconds(1));
		String failing = this.fixtures.api.submitFileId(amy, competition, "labels", TeamTestData.predictions(3));
		this.clock.advance(java.time.Duration.ofSeconds(1));
		String carols = this.fixtures.api.submitFileId(carol, competition, "labels", TeamTestData.predictions(5));

		browser.open("/me");
		assertThat(browser.path()).isEqualTo("/login");
		browser.signIn(alice);
		browser.waitForPath("/me");
		assertThat(browser.source()).doesNotContain(alice);
		assertThat(browser.text("#entrant")).contains("Team Owls");
		assertThat(browser.text("#quota-labels")).contains("3 of 5", "submissions left today", "2026-11-24 00:00");
		String table = browser.text("#submissions-labels");
		assertThat(table).contains(good.substring(0, 8), failing.substring(0, 8), "alice", "amy", "QUEUED", "Planned");
		assertThat(table).doesNotContain(carols.substring(0, 8), "carol");
		assertThat(browser.text("[data-submission='" + good + "'] .position")).isEqualTo("1");
		// the team's second comes after carol's first
		assertThat(browser.text("[data-submission='" + failing + "'] .position")).isEqualTo("3");
		browser.screenshot("participant-queued");

		// the scheduler evaluates alice's, and amy's fails as the submission's fault
		this.jdbc.update("""
				update submissions set status = 'FAILED', failure_category = 'SUBMISSION',
				    failure_message = 'the predictions file has 9 rows; the task expects 10', finished_at = now()
				where id = ?::uuid
				""", failing);
		this.fixtures.runUntil(() -> "SCORED".equals(this.fixtures.status(good)));
		browser.waitForText("[data-submission='" + good + "'] .status", "SCORED");
		assertThat(browser.text("[data-submission='" + good + "'] .score")).isEqualTo("0.8");
		assertThat(browser.text("[data-submission='" + failing + "'] .status")).contains("FAILED", "SUBMISSION",
				"the predictions file has 9 rows");

		browser.click("[data-submission='" + good + "'] .selection button");
		browser.waitFor("#notice");
		assertThat(browser.text("#notice")).contains("Selected");
		assertThat(browser.text("[data-submission='" + good + "'] .selection")).contains("Selected", "Unselect");
		assertThat((Boolean) JsonPath
			.read(TestSupport.require(this.fixtures.api.get(amy, "/api/submissions/{id}", good), 200), "$.selected"))
			.as("the team's selection, as amy sees it through the API")
			.isTrue();
		browser.screenshot("participant-scored");

		browser.click("#task-labels .board-link");
		browser.waitFor("#leaderboard");
		assertThat(browser.text("#leaderboard tr.own-row")).contains("Owls", "0.8");
		browser.screenshot("participant-leaderboard");

		assertThat(browser.consoleErrors()).isEmpty();

		browser.open("/queue");
		assertThat(browser.text("#forbidden")).contains("Your role does not open this page");
		assertThat(browser.source()).doesNotContain("Evaluation queue");
		browser.open("/competitions/" + competition);
		assertThat(browser.text("#forbidden")).contains("Your role does not open this page");
		assertThat(browser.source()).doesNotContain("carol");
	}

	@Test
	void aParticipantSetsTheirTeamsWebhookSeesItsSecretOnceAndTheirMailAddress() {
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		browser.open("/me");
		browser.signIn(alice);
		browser.waitForPath("/me");
		assertThat(browser.text("#webhook-current")).contains("No webhook");

		browser.fill("#webhook-url", "https://10.0.0.1/hook");
		browser.click("#webhook-form button");
		browser.waitFor("#problem");
		assertThat(browser.text("#problem")).contains("private, local or reserved address");
		assertThat(browser.text("#webhook-current")).contains("No webhook");

		browser.fill("#webhook-url", "https://93.184.215.14/podium");
		browser.click("#webhook-form button");
		browser.waitFor("#webhook-secret");
		String secret = TestSupport.issued(browser.text("#webhook-secret code"));
		assertThat(secret).startsWith("whsec_");
		assertThat(browser.text("#webhook-current")).contains("https://93.184.215.14/podium");
		browser.screenshot("participant-notifications");
		browser.open("/me");
		assertThat(browser.has("#webhook-secret")).as("shown once").isFalse();
		assertThat(browser.source()).doesNotContain(secret);
		assertThat(browser.text("#webhook-current")).contains("https://93.184.215.14/podium");

		browser.fill("#email-address", "alice.owl@example.org");
		browser.click("#email-form button");
		browser.waitFor("#notice");
		assertThat(browser.text("#email-current")).contains("alice.owl@example.org");
		assertThat(JsonPath
			.<String>read(TestSupport.require(this.fixtures.api.get(alice, "/api/me/notifications"), 200), "$.email"))
			.isEqualTo("alice.owl@example.org");

		browser.click("#webhook-removal button");
		browser.waitForText("#webhook-current", "No webhook");
		assertThat(browser.consoleErrors()).isEmpty();
	}

}
