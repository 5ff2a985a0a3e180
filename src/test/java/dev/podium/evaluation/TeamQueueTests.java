package dev.podium.evaluation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.ClaimedJob;
import dev.podium.submission.SubmissionQueue.JobScope;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fair order and the in-flight cap count teams, not accounts: the observed
 * scenario (one sandbox, a team submits five, another team one) with the five spread over
 * two accounts of one team.
 */
@PodiumTest
class TeamQueueTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	CreationPlanner planner;

	@Autowired
	SandboxJobDesk desk;

	@Autowired
	SandboxProvider provider;

	@Autowired
	SubmissionQueue queue;

	@Autowired
	PlatformTransactionManager transactions;

	TestSupport api;

	String competition;

	static int competitions;

	@BeforeEach
	void emptyQueue() {
		FreshEngine.reset(this.jdbc, this.provider, this.clock);
		this.api = new TestSupport(this.mvc);
		this.competition = "team-queue-" + (++competitions);
		this.api.createCompetition(this.competition, """
				{"slug":"shared","title":"Shared","submissionKind":"FILE","metric":"accuracy_score",
				 "reuseScope":"TASK","evaluationsPerSandbox":20,"idleTimeoutSeconds":600,"maxFileBytes":2048,
				 "dailySubmissionLimit":10}
				""");
		this.api.uploadSolution(this.competition, "shared", SOLUTION);
	}

	@Test
	void withOneSandboxATeamThatSubmitsOnceAfterAnotherTeamsFiveIsServedSecond() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String amy = this.api.addParticipant(this.competition, "amy");
		String bob = this.api.addParticipant(this.competition, "bob");
		team("Owls", "alice", "amy");
		List<String> owls = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			owls.add(this.api.submitFileId((i % 2 == 0) ? alice : amy, this.competition, "shared",
					dev.podium.team.TeamTestData.predictions(i)));
			this.clock.advance(Duration.ofSeconds(1));
		}
		String bob1 = this.api.submitFileId(bob, this.competition, "shared", PREDICTIONS);
		assertThat(position(bob1)).isEqualTo(2);
		UUID sandbox = servingSandbox();
		List<String> served = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			served.add(claimAndHandIn(sandbox));
		}
		// the Owls' second comes after Bob's first, though amy (not alice) submitted it
		assertThat(served).containsExactly(owls.get(0), bob1, owls.get(1), owls.get(2), owls.get(3), owls.get(4));
	}

	@Test
	void aTeamAtItsInFlightLimitWaitsWhileOtherTeamsAreServedAndTheLimitHoldsAcrossClaims() {
		String alice = this.api.addParticipant(this.competition, "alice");
		String amy = this.api.addParticipant(this.competition, "amy");
		String bob = this.api.addParticipant(this.competition, "bob");
		team("Owls", "alice", "amy");
		require(this.mvc.put()
			.uri("/api/competitions/{c}/tasks/shared/queue-limits", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"maxInFlight\":1}")
			.exchange(), 200);
		String owls1 = this.api.submitFileId(alice, this.competition, "shared",
				dev.podium.team.TeamTestData.predictions(0));
		this.clock.advance(Duration.ofSeconds(1));
		String owls2 = this.api.submitFileId(amy, this.competition, "shared",
				dev.podium.team.TeamTestData.predictions(1));
		this.clock.advance(Duration.ofSeconds(1));
		String owls3 = this.api.submitFileId(alice, this.competition, "shared",
				dev.podium.team.TeamTestData.predictions(2));
		UUID sandbox = servingSandbox();
		UUID task = this.jdbc.queryForObject("select task_id from submissions where id = ?::uuid", UUID.class, owls1);

		assertThat(claim(task, sandbox)).hasValueSatisfying((job) -> assertThat(job.submissionId()).hasToString(owls1));
		// one Owls evaluation runs: the next two wait for it, and no claim takes them
		assertThat(waitingFor(owls2, amy)).isEqualTo("IN_FLIGHT_LIMIT");
		assertThat(claim(task, sandbox)).isEmpty();
		// another team's first is served at once
		this.clock.advance(Duration.ofSeconds(1));
		String bob1 = this.api.submitFileId(bob, this.competition, "shared", PREDICTIONS);
		assertThat(waitingFor(bob1, bob)).isNotEqualTo("IN_FLIGHT_LIMIT");
		assertThat(claim(task, sandbox)).hasValueSatisfying((job) -> assertThat(job.submissionId()).hasToString(bob1));
		assertThat(claim(task, sandbox)).isEmpty();

		// the Owls' first ends: their second may start, not their third
		this.jdbc.update("update submissions set status = 'SCORED', finished_at = now() where id = ?::uuid", owls1);
		assertThat(claim(task, sandbox)).hasValueSatisfying((job) -> assertThat(job.submissionId()).hasToString(owls2));
		assertThat(claim(task, sandbox)).isEmpty();
		assertThat(waitingFor(owls3, alice)).isEqualTo("IN_FLIGHT_LIMIT");
		assertThat(this.jdbc.queryForObject(
				"select count(*) from submissions where status = 'EVALUATING' and participant_id in (select id from accounts where name in ('alice', 'amy') and competition_id = (select id from competitions where slug = ?))",
				Integer.class, this.competition))
			.isEqualTo(1);
	}

	@Test
	void twoInstancesClaimingForOneTeamAtOnceNeverTakeItPastItsCap() throws Exception {
		String alice = this.api.addParticipant(this.competition, "alice");
		String amy = this.api.addParticipant(this.competition, "amy");
		team("Owls", "alice", "amy");
		require(this.mvc.put()
			.uri("/api/competitions/{c}/tasks/shared/queue-limits", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"maxInFlight\":1}")
			.exchange(), 200);
		String first = this.api.submitFileId(alice, this.competition, "shared",
				dev.podium.team.TeamTestData.predictions(0));
		this.api.submitFileId(amy, this.competition, "shared", dev.podium.team.TeamTestData.predictions(1));
		UUID sandbox = servingSandbox();
		UUID task = this.jdbc.queryForObject("select task_id from submissions where id = ?::uuid", UUID.class, first);
		java.util.concurrent.CountDownLatch claimed = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.ExecutorService instances = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			// the first instance claims and keeps its transaction open
			var one = instances.submit(() -> new TransactionTemplate(this.transactions).execute((status) -> {
				Optional<ClaimedJob> job = this.queue.claimNext(new JobScope(List.of(task), null), sandbox);
				claimed.countDown();
				await(commit);
				return job;
			}));
			await(claimed);
			// the second claims meanwhile: it must wait for the first, then see its claim
			var two = instances.submit(() -> claim(task, sandbox));
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(60))
				.until(() -> this.jdbc.queryForObject(
						"select count(*) from pg_locks where locktype = 'advisory' and not granted",
						Integer.class) > 0);
			commit.countDown();
			assertThat(one.get()).isPresent();
			assertThat(two.get()).isEmpty();
		}
		finally {
			commit.countDown();
			instances.shutdownNow();
		}
		assertThat(
				this.jdbc.queryForObject("select count(*) from submissions where status = 'EVALUATING'", Integer.class))
			.isEqualTo(1);
	}

	private static void await(java.util.concurrent.CountDownLatch latch) {
		try {
			if (!latch.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
				throw new IllegalStateException("timed out");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Optional<ClaimedJob> claim(UUID task, UUID sandbox) {
		return new TransactionTemplate(this.transactions)
			.execute((status) -> this.queue.claimNext(new JobScope(List.of(task), null), sandbox));
	}

	private void team(String name, String... members) {
		String list = String.join(",", java.util.Arrays.stream(members).map((m) -> "\"" + m + "\"").toList());
		require(this.mvc.post()
			.uri("/api/competitions/{c}/teams", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + name + "\",\"members\":[" + list + "]}")
			.exchange(), 201);
	}

	/** A TASK-scope sandbox of the shared task, serving, driven by the test. */
	private UUID servingSandbox() {
		this.planner.plan("test");
		UUID sandbox = this.jdbc.queryForObject("select id from sandboxes order by created_at desc limit 1",
				UUID.class);
		this.jdbc.update("update sandboxes set status = 'RUNNING', ready_at = created_at where id = ?", sandbox);
		return sandbox;
	}

	/** The sandbox asks for its next job and hands it in at once. */
	private String claimAndHandIn(UUID sandbox) {
		JobOffer offer = this.desk.tryClaim(sandbox);
		assertThat(offer).isInstanceOf(JobOffer.Assigned.class);
		var job = ((JobOffer.Assigned) offer).job();
		this.desk.predictions(sandbox, job.jobId(), new java.io.ByteArrayInputStream(PREDICTIONS.getBytes()), -1);
		return job.submissionId().toString();
	}

	private int position(String id) {
		return JsonPath.read(bodyOf(this.api.get(ADMIN_TOKEN, "/api/submissions/{id}", id)), "$.queuePosition");
	}

	private String waitingFor(String id, String token) {
		return JsonPath.read(require(this.api.get(token, "/api/submissions/{id}", id), 200), "$.waitingFor");
	}

}
