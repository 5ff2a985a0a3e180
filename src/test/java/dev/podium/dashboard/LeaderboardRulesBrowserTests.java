package dev.podium.dashboard;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import dev.podium.TestSupport;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leaderboard page under an organizer's rules, in a real browser: secondary metrics,
 * the declared tie-break, baselines, and a board that froze for everyone but its
 * organizers.
 */
@DashboardTest
@EnabledIf(value = "dev.podium.dashboard.Browser#installed",
		disabledReason = "Browser tests skipped: they need Debian's headless Chromium at /usr/bin/chromium and "
				+ "/usr/bin/chromedriver (apt-get install chromium chromium-driver)")
class LeaderboardRulesBrowserTests extends BrowserTest {

	static final String PERFECT = "id,label\n0,1\n1,0\n2,1\n3,1\n4,0\n5,0\n6,1\n7,1\n8,0\n9,0\n";

	@Test
	void visitorsSeeTheFrozenBoardWithBaselinesAndTheTieBreakWhileOrganizersSeeItLive() {
		String competition = DashboardFixtures.unique("frozen");
		TestSupport.require(this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"slug":"%s","title":"Frozen","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
					 "leaderboardFreezesAt":"2026-11-23T11:00:00Z",
					 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","evaluation":"INLINE",
					 "metric":"accuracy_score","secondaryMetrics":["balanced_accuracy_score"]}]}
					""".formatted(competition))
			.exchange(), 201);
		this.fixtures.api.uploadSolution(competition, "t", TestSupport.SOLUTION);
		TestSupport.require(this.mvc.post()
			.uri("/api/competitions/{c}/tasks/t/baselines?name=Coin flip", competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(PREDICTIONS)
			.exchange(), 201);
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		String bob = this.fixtures.api.addParticipant(competition, "bob");
		this.fixtures.api.submitFileId(alice, competition, "t", PREDICTIONS);
		this.fixtures.runOnce();
		this.clock.advance(Duration.ofHours(2));
		this.fixtures.api.submitFileId(bob, competition, "t", PERFECT);
		this.fixtures.runOnce();

		String board = "/competitions/" + competition + "/tasks/t/leaderboard";
		browser.open(board);
		browser.waitFor("#leaderboard");
		assertThat(browser.text("#frozen-badge")).isEqualTo("Frozen");
		assertThat(browser.text("#frozen-notice")).contains("froze");
		assertThat(browser.text("#leaderboard")).contains("alice", "balanced_accuracy_score").doesNotContain("bob");
		assertThat(browser.text("#tie-break")).isEqualTo(
				"Ranked by accuracy_score (higher first); ties go to balanced_accuracy_score (higher first), then "
						+ "to the earlier submission.");
		assertThat(browser.text("#baselines")).contains("Baseline", "Coin flip", "0.8");
		browser.screenshot("leaderboard-frozen");

		browser.signIn(this.fixtures.organizerOf(competition));
		browser.open(board);
		browser.waitFor("#leaderboard");
		assertThat(browser.has("#frozen-badge")).isFalse();
		assertThat(browser.text("#live-notice")).contains("Live view");
		assertThat(browser.text("#leaderboard tbody .participant")).isEqualTo("bob");
		assertThat(browser.text("#leaderboard")).contains("bob", "alice");
		browser.screenshot("leaderboard-live-for-organizers");
		assertThat(browser.consoleErrors()).isEmpty();
	}

	@Test
	void organizersSetTimeRulesStartARescoreAndExcludeFromTheBoardControls() {
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		String submission = this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);
		browser.signIn(this.fixtures.organizerOf(competition));
		browser.open("/competitions/" + competition);
		browser.click("#board-controls-link");
		browser.waitFor("#board-rules");

		browser.fill("#leaderboardFreezesAt", "2026-12-20T00:00:00Z");
		browser.click("#save-rules");
		browser.waitFor("#done");
		assertThat(browser.text("#done")).isEqualTo("Board rules saved.");
		assertThat(browser.text("#audit-table")).contains("RULES_CHANGED");
		String shown = TestSupport.bodyOf(this.fixtures.api.get(ADMIN_TOKEN, "/api/competitions/{c}", competition));
		assertThat(shown).contains("\"leaderboardFreezesAt\":\"2026-12-20T00:00:00Z\"");

		browser.fill("#leaderboardFreezesAt", "next week");
		browser.click("#save-rules");
		browser.waitFor("#refused");
		assertThat(browser.text("#refused")).contains("next week");

		browser.fill("#reason-labels", "the solution had two wrong labels");
		browser.click("#rescore-labels");
		browser.waitForText("#done", "Re-score of labels started.");
		assertThat(browser.text("#rescores-labels")).contains("the solution had two wrong labels", "RUNNING");

		browser.fill("#exclude-submission", submission);
		browser.fill("#exclude-reason", "duplicate account");
		browser.click("#exclude");
		browser.waitForText("#done", "Submission excluded.");
		assertThat(browser.text("#audit-table")).contains("SUBMISSION_EXCLUDED", "RESCORE_STARTED");
		browser.screenshot("board-controls");
		assertThat(browser.consoleErrors()).isEmpty();
	}

}
