package dev.podium.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.budget.BudgetRequest;
import dev.podium.budget.BudgetRequestStatus;
import dev.podium.budget.BudgetRequests;
import dev.podium.evaluation.EvaluationScheduler;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

/** Organizers ask for a larger budget from the budget page. */
@DashboardTest
class BudgetRequestPageTests {

	static final PodiumUser OLGA = new PodiumUser(UUID.randomUUID(), "olga", Role.OPERATOR, null);

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	BudgetRequests requests;

	@BeforeEach
	void freshDay() {
		new DashboardFixtures(this.mvc, this.jdbc, this.clock, this.scheduler).freshDay();
		this.jdbc.update("delete from budget_request_events");
		this.jdbc.update("delete from budget_requests");
	}

	@Test
	void organizersAskForALargerBudgetAndOperatorsSeeTheRequest() {
		assertThat(this.mvc.get().uri("/budget").with(staff(Role.ORGANIZER)).exchange()).hasStatusOk()
			.bodyText()
			.contains("Ask for a larger budget")
			.contains("No request is waiting for an operator.");
		MvcTestResult asked = this.mvc.post()
			.uri("/budget/requests")
			.with(staff(Role.ORGANIZER))
			.with(csrf())
			.param("askedLimit", "1500")
			.param("why", "final week")
			.param("until", "2026-11-30T18:00")
			.exchange();
		assertThat(asked).hasStatus(302).redirectedUrl().isEqualTo("/budget#main");
		List<BudgetRequest> open = this.requests.visibleTo(OLGA, BudgetRequestStatus.OPEN);
		assertThat(open).singleElement().satisfies((request) -> {
			assertThat(request.limit()).isEqualTo(1500);
			assertThat(request.requestedBy()).isEqualTo("ana");
			assertThat(request.reason()).isEqualTo("final week");
			assertThat(request.until()).isEqualTo(Instant.parse("2026-11-30T18:00:00Z"));
		});
		assertThat(this.mvc.get().uri("/budget").with(staff(Role.OPERATOR)).exchange()).hasStatusOk()
			.bodyText()
			.contains("Open requests for a larger budget")
			.contains("final week")
			.doesNotContain("Ask the operators");
	}

	@Test
	void aRequestThatIsNoRaiseIsShownOnTheFormAndNotSent() {
		MvcTestResult asked = this.mvc.post()
			.uri("/budget/requests")
			.with(staff(Role.ORGANIZER))
			.with(csrf())
			.param("askedLimit", "10")
			.param("why", "too few")
			.param("until", "")
			.exchange();
		assertThat(asked).hasStatus(422)
			.bodyText()
			.contains("The limit must be above the current limit of 1000.")
			.contains("value=\"too few\"");
		MvcTestResult noReason = this.mvc.post()
			.uri("/budget/requests")
			.with(staff(Role.ORGANIZER))
			.with(csrf())
			.param("askedLimit", "2000")
			.param("why", "")
			.param("until", "soon")
			.exchange();
		assertThat(noReason).hasStatus(422)
			.bodyText()
			.contains("Say why: the operators decide on it.")
			.contains("Enter a date and time, or nothing for a lasting raise.");
		assertThat(this.requests.visibleTo(OLGA, BudgetRequestStatus.OPEN)).isEmpty();
	}

	@Test
	void signedOutVisitorsCannotAsk() {
		MvcTestResult anonymous = this.mvc.post()
			.uri("/budget/requests")
			.with(csrf())
			.param("askedLimit", "1500")
			.param("why", "anonymous")
			.exchange();
		assertThat(anonymous).hasStatus(302).redirectedUrl().endsWith("/login");
		assertThat(this.requests.visibleTo(OLGA, BudgetRequestStatus.OPEN)).isEmpty();
	}

	private static RequestPostProcessor staff(Role role) {
		String name = (role == Role.OPERATOR) ? "olga" : "ana";
		return authentication(
				UsernamePasswordAuthenticationToken.authenticated(new PodiumUser(UUID.randomUUID(), name, role, null),
						null, List.of(new SimpleGrantedAuthority(role.authority()))));
	}

}
