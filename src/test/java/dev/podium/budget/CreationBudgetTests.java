package dev.podium.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.evaluation.EvaluationScheduler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daily creation budget with the local provider, a settable clock and a real
 * database.
 */
@PodiumTest
class CreationBudgetTests {

	static final Instant MORNING = Instant.parse("2026-11-23T08:00:00Z");

	static final Instant RESET = Instant.parse("2026-11-24T00:00:00Z");

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

	@Autowired
	TransactionTemplate transactions;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void freshDay() {
		this.clock.set(MORNING);
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.jdbc.update("update creation_budgets set blocked_until = null, version = version + 1");
		this.jdbc.update("delete from budget_threshold_marks");
		this.jdbc.update("delete from alert_deliveries");
		this.api = new TestSupport(this.mvc);
		this.competition = "budget-" + (++competitions);
		// one evaluation per sandbox: every submission costs a creation, as with
		// huggingface/competitions
		this.api.createCompetition(this.competition, """
				{"slug":"labels","title":"Labels","submissionKind":"FILE","metric":"accuracy_score",
				 "dailySubmissionLimit":5,"evaluationsPerSandbox":1,"maxFileBytes":2048}
				""");
		this.api.uploadSolution(this.competition, "labels", SOLUTION);
		changeLimit(20, "the Hub's default");
	}

	@Test
	void defersADayOf150SubmissionsBeyondTwentyCreationsAndRunsThemAfterTheReset() {
		List<String> ids = new ArrayList<>();
		for (int p = 0; p < 30; p++) {
			String token = this.api.addParticipant(this.competition, "p" + p);
			for (int i = 0; i < 5; i++) {
				ids.add(this.api.submitFileId(token, this.competition, "labels", PREDICTIONS));
			}
		}
		runUntil(
				() -> count("select count(*) from submissions where status = 'SCORED'") == 20
						&& count("select count(*) from sandboxes where status <> 'DESTROYED'") == 0,
				RESET.minusSeconds(3600));
		// Time passes within the day: no further creation, the rest waits for the budget.
		for (int i = 0; i < 20; i++) {
			this.scheduler.runOnce();
			this.clock.advance(Duration.ofMinutes(10));
		}
		assertThat(count("select count(*) from creation_charges")).isEqualTo(20);
		assertThat(count("select count(*) from sandboxes")).isEqualTo(20);
		assertThat(count("select count(*) from submissions where status = 'QUEUED'")).isEqualTo(130);

		// submitted at the same instant, they are ordered by their random ids: ask the
		// database which ones wait rather than guess
		String waiting = this.jdbc.queryForObject(
				"select cast(id as varchar) from submissions where status = 'QUEUED' order by id limit 1",
				String.class);
		assertThat(ids).contains(waiting);
		String body = bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", waiting));
		assertThat(JsonPath.<String>read(body, "$.status")).isEqualTo("QUEUED");
		assertThat(JsonPath.<String>read(body, "$.waitingFor")).isEqualTo("BUDGET");
		assertThat(Instant.parse(JsonPath.read(body, "$.estimatedStartAt"))).isAfterOrEqualTo(RESET);
		String budgetBody = bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget"));
		assertThat(JsonPath.<Integer>read(budgetBody, "$.used")).isEqualTo(20);
		assertThat(JsonPath.<Integer>read(budgetBody, "$.remaining")).isZero();
		assertThat(JsonPath.<Integer>read(budgetBody, "$.waiting")).isEqualTo(130);
		assertThat(JsonPath.<String>read(budgetBody, "$.resetsAt")).isEqualTo(RESET.toString());

		this.clock.set(RESET);
		runUntil(
				() -> count("select count(*) from submissions where status = 'SCORED'") == 40
						&& count("select count(*) from sandboxes where status <> 'DESTROYED'") == 0,
				RESET.plus(Duration.ofHours(20)));
		assertThat(count("select count(*) from creation_charges")).isEqualTo(40);
		assertThat(JsonPath.<Integer>read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.used")).isEqualTo(20);
	}

	@Test
	void aRaiseMidWindowReleasesDeferredWorkAtOnce() {
		changeLimit(2, "tight");
		for (int i = 0; i < 5; i++) {
			this.api.submitFileId(this.api.addParticipant(this.competition, "p" + i), this.competition, "labels",
					PREDICTIONS);
		}
		this.scheduler.runOnce();
		assertThat(count("select count(*) from sandboxes")).isEqualTo(2);
		this.scheduler.runOnce();
		assertThat(count("select count(*) from sandboxes")).isEqualTo(2);

		changeLimit(150, "Enterprise upgrade");
		this.scheduler.runOnce();
		assertThat(count("select count(*) from sandboxes")).isEqualTo(4);
	}

	@Test
	void aLimitOfZeroPausesCreations() {
		changeLimit(0, "pause for maintenance");
		String token = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
		this.scheduler.runOnce();
		assertThat(count("select count(*) from sandboxes")).isZero();
		String body = bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.waitingFor")).isEqualTo("BUDGET");
		assertThat(body).doesNotContain("estimatedStartAt");
	}

	@Test
	void instancesRacingOnTheLedgerNeverExceedTheLimit() throws Exception {
		changeLimit(7, "race");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<String> allowed = new ArrayList<>();
		try {
			List<Callable<String>> charges = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				String name = "podium-eval-race-" + i;
				charges
					.add(() -> this.transactions.execute((status) -> this.budget.charge(name).allowed() ? name : null));
			}
			for (Future<String> charge : pool.invokeAll(charges)) {
				if (charge.get() != null) {
					allowed.add(charge.get());
				}
			}
			assertThat(allowed).hasSize(7);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(count("select count(*) from creation_charges")).isEqualTo(7);
		// The same name again is no new charge.
		Boolean again = this.transactions.execute((status) -> this.budget.charge(allowed.get(0)).allowed());
		assertThat(again).isTrue();
		assertThat(count("select count(*) from creation_charges")).isEqualTo(7);
	}

	@Test
	void aHub429BlocksCreationsUntilTheNamedTimeWithoutFailingWork() {
		String token = this.api.addParticipant(this.competition, "alice");
		String id = this.api.submitFileId(token, this.competition, "labels", PREDICTIONS);
		Instant until = MORNING.plus(Duration.ofMinutes(30));
		this.budget.blockCreations(until, "the Hub's creation limit");
		this.scheduler.runOnce();
		assertThat(count("select count(*) from sandboxes")).isZero();
		String body = bodyOf(this.api.get(token, "/api/submissions/{id}", id));
		assertThat(JsonPath.<String>read(body, "$.waitingFor")).isEqualTo("BUDGET");
		// the block's end, then a sandbox's build
		assertThat(Instant.parse(JsonPath.read(body, "$.estimatedStartAt")))
			.isEqualTo(until.plus(Duration.ofMinutes(5)));
		assertThat(JsonPath.<String>read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget")), "$.blockedUntil"))
			.isEqualTo(until.toString());

		this.clock.set(until);
		this.scheduler.runOnce();
		assertThat(count("select count(*) from sandboxes")).isEqualTo(1);
	}

	@Test
	void operatorsChangeTheLimitWithAReasonAndEveryChangeIsAudited() {
		MvcTestResult changed = put(ADMIN_TOKEN, "{\"limit\":150,\"reason\":\"Enterprise upgrade\"}");
		assertThat(changed).hasStatusOk().bodyJson().extractingPath("$.limit").isEqualTo(150);
		assertThat(put(ADMIN_TOKEN, "{\"limit\":-1,\"reason\":\"x\"}")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("limit");
		assertThat(put(ADMIN_TOKEN, "{\"limit\":10}")).hasStatus(400);
		assertThat(put(ADMIN_TOKEN, "{\"limit\":\"many\",\"reason\":\"x\"}")).hasStatus(400);
		String organizer = JsonPath.read(bodyOf(this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"org-" + competitions + "\",\"role\":\"ORGANIZER\"}")
			.exchange()), "$.token");
		assertThat(put(organizer, "{\"limit\":5,\"reason\":\"mine\"}")).hasStatus(403);
		assertThat(this.api.get(organizer, "/api/budget")).hasStatusOk();
		String participant = this.api.addParticipant(this.competition, "nosy");
		assertThat(this.api.get(participant, "/api/budget")).hasStatus(403);

		String history = bodyOf(this.api.get(ADMIN_TOKEN, "/api/budget/history"));
		assertThat(JsonPath.<String>read(history, "$.changes[0].reason")).isEqualTo("Enterprise upgrade");
		assertThat(JsonPath.<Integer>read(history, "$.changes[0].oldLimit")).isEqualTo(20);
		assertThat(JsonPath.<Integer>read(history, "$.changes[0].newLimit")).isEqualTo(150);
		assertThat(JsonPath.<String>read(history, "$.changes[0].changedBy")).isEqualTo("admin");
		assertThat(JsonPath.<List<Object>>read(history, "$.windows")).hasSize(30);
	}

	private MvcTestResult put(String token, String json) {
		return this.mvc.put()
			.uri("/api/budget")
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.contentType(MediaType.APPLICATION_JSON)
			.content(json)
			.exchange();
	}

	private void changeLimit(int limit, String reason) {
		TestSupport.require(put(ADMIN_TOKEN, "{\"limit\":" + limit + ",\"reason\":\"" + reason + "\"}"), 200);
	}

	private int count(String sql) {
		return this.jdbc.queryForObject(sql, Integer.class);
	}

	/**
	 * Runs rounds, moving the clock a little each time but never past {@code latest}, so
	 * that a slow machine cannot carry the test into the next window.
	 */
	private void runUntil(BooleanSupplier condition, Instant latest) {
		await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(10)).until(() -> {
			this.scheduler.runOnce();
			if (this.clock.instant().plusSeconds(30).isBefore(latest)) {
				this.clock.advance(Duration.ofSeconds(30));
			}
			return condition.getAsBoolean();
		});
	}

}
