package dev.podium.budget;

import java.time.Instant;
import java.util.ArrayList;
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
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/** Organizers ask for a larger budget, operators decide, temporary raises end. */
@PodiumTest
class BudgetRequestTests {

	static final Instant MORNING = Instant.parse("2026-11-23T08:00:00Z");

	static final Instant EVENING = Instant.parse("2026-11-23T20:00:00Z");

	static int organizers;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	BudgetRequests requests;

	TestSupport api;

	String organizer;

	@BeforeEach
	void limitOfAHundred() {
		this.clock.set(MORNING);
		this.api = new TestSupport(this.mvc);
		this.jdbc.update("delete from budget_request_events");
		this.jdbc.update("delete from budget_requests");
		// the history is read newest first, and earlier tests left theirs later in time
		this.jdbc.update("delete from budget_changes");
		require(send("PUT", "/api/budget", ADMIN_TOKEN, "{\"limit\":100,\"reason\":\"test baseline\"}"), 200);
		this.organizer = staff("organizer-" + (++organizers), "ORGANIZER");
	}

	@Test
	void anOrganizerAsksAndAnOperatorRaisesTheLimitUntilItGoesBack() {
		MvcTestResult asked = ask(this.organizer, 150, "deadline rush", EVENING);
		String body = require(asked, 201);
		String id = JsonPath.read(body, "$.id");
		assertThat(asked.getResponse().getHeader(HttpHeaders.LOCATION)).isEqualTo("/api/budget/requests/" + id);
		assertThat(JsonPath.<String>read(body, "$.status")).isEqualTo("OPEN");
		assertThat(JsonPath
			.<List<String>>read(require(this.api.get(ADMIN_TOKEN, "/api/budget/requests?status=OPEN"), 200), "$[*].id"))
			.containsExactly(id);

		String approved = require(decide(id, "approve", ADMIN_TOKEN, "fine for today"), 200);
		assertThat(JsonPath.<String>read(approved, "$.status")).isEqualTo("APPROVED");
		assertThat(JsonPath.<String>read(approved, "$.decidedBy")).isEqualTo("admin");
		assertThat(JsonPath.<Integer>read(approved, "$.revertTo")).isEqualTo(100);
		assertThat(limit()).isEqualTo(150);
		String changes = require(this.api.get(ADMIN_TOKEN, "/api/budget/history"), 200);
		assertThat(JsonPath.<String>read(changes, "$.changes[0].changedBy")).isEqualTo("admin");
		assertThat(JsonPath.<Integer>read(changes, "$.changes[0].newLimit")).isEqualTo(150);
		assertThat(JsonPath.<String>read(changes, "$.changes[0].reason")).contains(id).contains("fine for today");
		assertThat(JsonPath
			.<List<String>>read(require(this.api.get(ADMIN_TOKEN, "/api/budget/requests?status=OPEN"), 200), "$[*].id"))
			.isEmpty();

		this.clock.set(EVENING.minusSeconds(1));
		this.requests.endDueRaises();
		assertThat(limit()).isEqualTo(150);
		this.clock.set(EVENING);
		this.requests.endDueRaises();
		assertThat(limit()).isEqualTo(100);
		assertThat(this.requests.endDueRaises()).isZero();

		String ended = require(this.api.get(this.organizer, "/api/budget/requests/{id}", id), 200);
		assertThat(JsonPath.<String>read(ended, "$.status")).isEqualTo("ENDED");
		assertThat(JsonPath.<List<String>>read(ended, "$.history[*].action")).containsExactly("REQUESTED", "APPROVED",
				"ENDED");
		changes = require(this.api.get(ADMIN_TOKEN, "/api/budget/history"), 200);
		assertThat(JsonPath.<String>read(changes, "$.changes[0].changedBy")).isEqualTo("podium");
		assertThat(JsonPath.<Integer>read(changes, "$.changes[0].oldLimit")).isEqualTo(150);
		assertThat(JsonPath.<Integer>read(changes, "$.changes[0].newLimit")).isEqualTo(100);
	}

	@Test
	void aRaiseEndsOnceHoweverManyInstancesLook() throws Exception {
		String id = JsonPath.read(require(ask(this.organizer, 150, "rush", EVENING), 201), "$.id");
		require(decide(id, "approve", ADMIN_TOKEN, "ok"), 200);
		this.clock.set(EVENING.plusSeconds(60));
		ExecutorService instances = Executors.newFixedThreadPool(4);
		List<Callable<Integer>> looks = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			looks.add(this.requests::endDueRaises);
		}
		int ended = 0;
		for (Future<Integer> look : instances.invokeAll(looks)) {
			ended += look.get();
		}
		instances.shutdown();
		// the scheduled look of this test's own instance may have been first
		assertThat(ended).isLessThanOrEqualTo(1);
		assertThat(limit()).isEqualTo(100);
		assertThat(this.jdbc.queryForObject("select count(*) from budget_changes where changed_by = 'podium'",
				Integer.class))
			.isEqualTo(1);
	}

	@Test
	void aLaterChangeOfTheLimitStandsWhenARaiseEnds() {
		String id = JsonPath.read(require(ask(this.organizer, 150, "rush", EVENING), 201), "$.id");
		require(decide(id, "approve", ADMIN_TOKEN, "ok"), 200);
		require(send("PUT", "/api/budget", ADMIN_TOKEN, "{\"limit\":300,\"reason\":\"enterprise plan\"}"), 200);
		this.clock.set(EVENING);
		this.requests.endDueRaises();
		assertThat(limit()).isEqualTo(300);
		String ended = require(this.api.get(ADMIN_TOKEN, "/api/budget/requests/{id}", id), 200);
		assertThat(JsonPath.<String>read(ended, "$.status")).isEqualTo("ENDED");
		assertThat(JsonPath.<String>read(ended, "$.history[2].detail")).contains("later change");
	}

	@Test
	void aLongerRaiseTakesOverTheEndOfTheOneInForce() {
		String first = JsonPath.read(require(ask(this.organizer, 150, "rush", EVENING), 201), "$.id");
		require(decide(first, "approve", ADMIN_TOKEN, "ok"), 200);
		Instant tomorrow = EVENING.plusSeconds(86_400);
		String second = JsonPath.read(require(ask(this.organizer, 200, "longer rush", tomorrow), 201), "$.id");
		String approved = require(decide(second, "approve", ADMIN_TOKEN, "ok"), 200);
		assertThat(JsonPath.<Integer>read(approved, "$.revertTo")).isEqualTo(100);
		String earlier = require(this.api.get(ADMIN_TOKEN, "/api/budget/requests/{id}", first), 200);
		assertThat(JsonPath.<String>read(earlier, "$.status")).isEqualTo("ENDED");
		assertThat(JsonPath.<List<String>>read(earlier, "$.history[*].action")).containsExactly("REQUESTED", "APPROVED",
				"SUPERSEDED");

		this.clock.set(EVENING);
		assertThat(this.requests.endDueRaises()).isZero();
		assertThat(limit()).isEqualTo(200);
		this.clock.set(tomorrow);
		this.requests.endDueRaises();
		assertThat(limit()).isEqualTo(100);
	}

	@Test
	void aShorterRaiseGivesBackTheOneInForceWhenItEnds() {
		String first = JsonPath.read(require(ask(this.organizer, 150, "rush", EVENING), 201), "$.id");
		require(decide(first, "approve", ADMIN_TOKEN, "ok"), 200);
		Instant noon = Instant.parse("2026-11-23T12:00:00Z");
		String second = JsonPath.read(require(ask(this.organizer, 200, "lunch peak", noon), 201), "$.id");
		assertThat(JsonPath.<Integer>read(require(decide(second, "approve", ADMIN_TOKEN, "ok"), 200), "$.revertTo"))
			.isEqualTo(150);
		this.clock.set(noon);
		this.requests.endDueRaises();
		assertThat(limit()).isEqualTo(150);
		this.clock.set(EVENING);
		this.requests.endDueRaises();
		assertThat(limit()).isEqualTo(100);
	}

	@Test
	void aRaiseWithoutAnEndLasts() {
		String id = JsonPath.read(require(ask(this.organizer, 180, "more participants", null), 201), "$.id");
		assertThat(JsonPath.<Object>read(require(decide(id, "approve", ADMIN_TOKEN, "ok"), 200), "$.revertTo"))
			.isNull();
		this.clock.set(EVENING.plusSeconds(86_400 * 30));
		assertThat(this.requests.endDueRaises()).isZero();
		assertThat(limit()).isEqualTo(180);
	}

	@Test
	void refusesBadRequestsAndWritesNothing() {
		assertProblem(ask(this.organizer, 0, "why", null), 400, "invalid-request");
		assertProblem(ask(this.organizer, 100_001, "why", null), 400, "invalid-request");
		MvcTestResult notARaise = ask(this.organizer, 100, "why", null);
		assertProblem(notARaise, 400, "invalid-request");
		assertThat(bodyOf(notARaise)).contains("above the current limit of 100");
		assertProblem(ask(this.organizer, 150, " ", null), 400, "invalid-request");
		assertProblem(ask(this.organizer, 150, "x".repeat(501), null), 400, "invalid-request");
		MvcTestResult past = ask(this.organizer, 150, "why", MORNING.minusSeconds(1));
		assertProblem(past, 400, "invalid-request");
		assertThat(JsonPath.<String>read(bodyOf(past), "$.errors[0].field")).isEqualTo("until");
		assertProblem(send("POST", "/api/budget/requests", this.organizer, "{\"limit\":150}"), 400, "invalid-request");
		assertProblem(send("POST", "/api/budget/requests", this.organizer,
				"{\"limit\":150,\"reason\":\"why\",\"until\":\"tomorrow\"}"), 400, "malformed-request");
		this.api.createCompetition("budget-asks-" + organizers, TestSupport.fileTask("t"));
		String participant = this.api.addParticipant("budget-asks-" + organizers, "pat");
		assertProblem(ask(participant, 150, "why", null), 403, "forbidden");
		assertThat(this.jdbc.queryForObject("select count(*) from budget_requests", Integer.class)).isZero();
	}

	@Test
	void onlyOperatorsDecideAndOnlyOnce() {
		String id = JsonPath.read(require(ask(this.organizer, 150, "rush", null), 201), "$.id");
		assertProblem(decide(id, "approve", this.organizer, "mine"), 403, "forbidden");
		assertProblem(decide(id, "approve", ADMIN_TOKEN, ""), 400, "invalid-request");
		String other = staff("other-organizer-" + organizers, "ORGANIZER");
		assertProblem(this.api.get(other, "/api/budget/requests/{id}", id), 404, "not-found");
		assertThat(JsonPath.<List<String>>read(require(this.api.get(other, "/api/budget/requests"), 200), "$[*].id"))
			.isEmpty();

		String refused = require(decide(id, "refuse", ADMIN_TOKEN, "the Hub will not give us more"), 200);
		assertThat(JsonPath.<String>read(refused, "$.status")).isEqualTo("REFUSED");
		assertThat(JsonPath.<String>read(refused, "$.decisionReason")).isEqualTo("the Hub will not give us more");
		MvcTestResult again = decide(id, "approve", ADMIN_TOKEN, "changed my mind");
		assertProblem(again, 409, "request-decided");
		assertThat(JsonPath.<String>read(bodyOf(again), "$.status")).isEqualTo("REFUSED");
		assertProblem(decide(id, "refuse", ADMIN_TOKEN, "twice"), 409, "request-decided");
		assertThat(limit()).isEqualTo(100);
		assertProblem(decide("00000000-0000-0000-0000-000000000000", "approve", ADMIN_TOKEN, "ok"), 404, "not-found");
	}

	@Test
	void aRequestOvertakenByEventsIsNotApproved() {
		String expired = JsonPath.read(require(ask(this.organizer, 150, "rush", EVENING), 201), "$.id");
		String overtaken = JsonPath.read(require(ask(this.organizer, 120, "a bit more", null), 201), "$.id");
		require(send("PUT", "/api/budget", ADMIN_TOKEN, "{\"limit\":130,\"reason\":\"meanwhile\"}"), 200);
		assertProblem(decide(overtaken, "approve", ADMIN_TOKEN, "ok"), 409, "not-a-raise");
		this.clock.set(EVENING);
		assertProblem(decide(expired, "approve", ADMIN_TOKEN, "ok"), 409, "request-expired");
		assertThat(limit()).isEqualTo(130);
	}

	private MvcTestResult ask(String token, int limit, String reason, Instant until) {
		String body = "{\"limit\":%d,\"reason\":\"%s\"%s}".formatted(limit, reason,
				(until != null) ? ",\"until\":\"" + until + "\"" : "");
		return send("POST", "/api/budget/requests", token, body);
	}

	private MvcTestResult decide(String id, String decision, String token, String reason) {
		return send("POST", "/api/budget/requests/" + id + "/" + decision, token, "{\"reason\":\"" + reason + "\"}");
	}

	private MvcTestResult send(String method, String uri, String token, String body) {
		var request = "PUT".equals(method) ? this.mvc.put().uri(uri) : this.mvc.post().uri(uri);
		return request.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
	}

	private String staff(String name, String role) {
		return JsonPath.read(require(
				send("POST", "/api/users", ADMIN_TOKEN, "{\"name\":\"%s\",\"role\":\"%s\"}".formatted(name, role)),
				201), "$.token");
	}

	private int limit() {
		return JsonPath.read(require(this.api.get(ADMIN_TOKEN, "/api/budget"), 200), "$.limit");
	}

	private static void assertProblem(MvcTestResult result, int status, String type) {
		require(result, status);
		assertThat(JsonPath.<String>read(bodyOf(result), "$.type")).isEqualTo("https://podium.dev/problems/" + type);
	}

}
