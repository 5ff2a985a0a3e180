package dev.podium.dashboard;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.evaluation.EvaluationScheduler;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static dev.podium.TestSupport.PREDICTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

/** What pages say in situations a browser test would wait long for. */
@DashboardTest
class DashboardPageTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	DashboardFixtures fixtures;

	@BeforeEach
	void freshDay() {
		this.fixtures = new DashboardFixtures(this.mvc, this.jdbc, this.clock, this.scheduler);
		this.fixtures.freshDay();
	}

	@Test
	void theBudgetSaysUntilWhenTheHubBlockedCreations() {
		this.jdbc.update("update creation_budgets set blocked_until = ?",
				Timestamp.from(Instant.parse("2026-11-23T11:30:00Z")));
		assertThat(this.mvc.get().uri("/budget/live").with(organizer()).exchange()).hasStatusOk()
			.bodyText()
			.contains("Blocked by the Hub")
			.contains("no creation until <time datetime=\"2026-11-23T11:30:00Z\">2026-11-23 11:30 UTC</time>")
			.contains("in 1 h 30 min");
	}

	@Test
	void waitingSubmissionsSayWhenTheSpentBudgetLetsThemStart() {
		this.jdbc.update("update creation_budgets set creation_limit = 1");
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		String bob = this.fixtures.api.addParticipant(competition, "bob");
		this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);
		this.fixtures.runOnce();
		this.fixtures.api.submitFileId(bob, competition, "labels", PREDICTIONS);
		assertThat(this.mvc.get().uri("/queue/live").with(this.fixtures.managerOf(competition)).exchange())
			.hasStatusOk()
			.bodyText()
			.contains("the creation budget is spent or the Hub blocked creations")
			// the reset, then a sandbox's build
			.contains("2026-11-24 00:05 UTC")
			.contains("in 14 h");
	}

	@Test
	void theBudgetShowsTheLiveSandboxesAndEachManagedCompetitionsUsage() {
		String competition = this.fixtures.competitionWithSandboxTask();
		String alice = this.fixtures.api.addParticipant(competition, "alice");
		this.fixtures.api.submitFileId(alice, competition, "labels", PREDICTIONS);
		this.fixtures.runOnce();
		String sandbox = this.jdbc.queryForObject("select name from sandboxes", String.class);
		this.clock.advance(java.time.Duration.ofMinutes(30));
		assertThat(this.mvc.get().uri("/budget/live").with(this.fixtures.managerOf(competition)).exchange())
			.hasStatusOk()
			.bodyText()
			.contains("Live sandboxes")
			.contains(sandbox)
			.contains(" of 25</td>")
			.contains("rush-") // the scope it serves
			.contains("Usage per competition")
			.contains("Test " + competition)
			.containsPattern("data-label=\"Creations\" class=\"num\">1<")
			.containsPattern("data-label=\"Space-minutes\" class=\"num\">30<");
		// an organizer of other competitions sees neither
		assertThat(this.mvc.get().uri("/budget/live").with(organizer()).exchange()).hasStatusOk()
			.bodyText()
			.doesNotContain(sandbox)
			.contains("No sandbox lives right now.")
			.contains("No sandbox was created for your competitions in these days.");
	}

	private static RequestPostProcessor organizer() {
		return authentication(UsernamePasswordAuthenticationToken.authenticated(
				new PodiumUser(UUID.randomUUID(), "ana", Role.ORGANIZER, null), null,
				List.of(new SimpleGrantedAuthority(Role.ORGANIZER.authority()))));
	}

	@Test
	void aLargeCompetitionListsItsParticipantsAHundredAPageByName() throws Exception {
		String competition = this.fixtures.competitionWithSandboxTask();
		for (int i = 0; i < 103; i++) {
			this.fixtures.api.addParticipant(competition, "p%03d".formatted(i));
		}
		String first = this.mvc.get()
			.uri("/competitions/{c}", competition)
			.with(this.fixtures.managerOf(competition))
			.exchange()
			.getResponse()
			.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(first).contains("Participants <span class=\"count\">(103)</span>")
			.contains("Page 1 of 2")
			.contains(">p000<", ">p099<")
			.doesNotContain(">p100<");
		assertThat(this.mvc.get()
			.uri("/competitions/{c}/live?participants=2", competition)
			.with(this.fixtures.managerOf(competition))
			.exchange()).hasStatusOk()
			.bodyText()
			.contains(">p100<", ">p102<", "Page 2 of 2", "participants=2")
			.doesNotContain(">p099<");
	}

}
