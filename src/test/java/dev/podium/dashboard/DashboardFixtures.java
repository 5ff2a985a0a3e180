package dev.podium.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.jayway.jsonpath.JsonPath;

import dev.podium.MutableClock;
import dev.podium.TestSupport;
import dev.podium.evaluation.EvaluationScheduler;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.bearer;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.awaitility.Awaitility.await;

/**
 * Sets the scene for dashboard tests through the API, and drives time and the scheduler.
 */
class DashboardFixtures {

	private static final AtomicInteger names = new AtomicInteger();

	final TestSupport api;

	private final MockMvcTester mvc;

	private final JdbcTemplate jdbc;

	private final MutableClock clock;

	private final EvaluationScheduler scheduler;

	DashboardFixtures(MockMvcTester mvc, JdbcTemplate jdbc, MutableClock clock, EvaluationScheduler scheduler) {
		this.api = new TestSupport(mvc);
		this.mvc = mvc;
		this.jdbc = jdbc;
		this.clock = clock;
		this.scheduler = scheduler;
	}

	/** A name no other test of this JVM uses. */
	static String unique(String prefix) {
		return prefix + "-" + names.incrementAndGet();
	}

	/**
	 * Back to the fixtures' morning with an empty queue, no sandbox, an unused budget of
	 * 1000 and no history of changes.
	 */
	void freshDay() {
		this.clock.set(DashboardTestClock.START);
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.jdbc.update("delete from budget_changes");
		this.jdbc.update("update creation_budgets set creation_limit = 1000, blocked_until = null");
	}

	/** A new organizer; returns their token. */
	String organizer() {
		String body = TestSupport.require(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + unique("ana") + "\",\"role\":\"ORGANIZER\"}")
			.exchange(), 201);
		return JsonPath.read(body, "$.token");
	}

	/** A new organizer whom an operator granted the competition; returns their token. */
	String organizerOf(String competition) {
		return JsonPath.read(grantedOrganizer(competition), "$.token");
	}

	/** A new organizer of the competition, as a signed-in session carries them. */
	RequestPostProcessor managerOf(String competition) {
		String body = grantedOrganizer(competition);
		PodiumUser user = new PodiumUser(UUID.fromString(JsonPath.read(body, "$.id")), JsonPath.read(body, "$.name"),
				Role.ORGANIZER, null);
		return authentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
				List.of(new SimpleGrantedAuthority(Role.ORGANIZER.authority()))));
	}

	private String grantedOrganizer(String competition) {
		String name = unique("manager");
		String body = TestSupport.require(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + name + "\",\"role\":\"ORGANIZER\"}")
			.exchange(), 201);
		TestSupport.require(this.mvc.put()
			.uri("/api/competitions/{c}/organizers/{o}", competition, name)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.exchange(), 200);
		return body;
	}

	/** A running competition with one sandbox-evaluated file task, {@code labels}. */
	String competitionWithSandboxTask() {
		String slug = unique("rush");
		this.api.createCompetition(slug, TestSupport.fileTask("labels"));
		this.api.uploadSolution(slug, "labels", TestSupport.SOLUTION);
		return slug;
	}

	String status(String submissionId) {
		return this.jdbc.queryForObject("select status from submissions where id = cast(? as uuid)", String.class,
				submissionId);
	}

	/** Scheduling rounds, half a minute apart, until the condition holds. */
	void runUntil(BooleanSupplier condition) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofSeconds(30));
			return condition.getAsBoolean();
		});
	}

	void runOnce() {
		this.scheduler.runOnce();
	}

}
