package dev.podium.evaluation;

import java.io.ByteArrayInputStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.sandbox.CreateResult;
import dev.podium.sandbox.DestroyResult;
import dev.podium.sandbox.Listing;
import dev.podium.sandbox.Preflight;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxSpec;
import dev.podium.sandbox.SandboxState;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay of issue 12: seven reference days (3 tasks, 10 participants, 5 submissions a
 * day each per task, more by day than by night) through the real scheduler, planner,
 * budget and queue, against PostgreSQL, with a settable clock. Only the Spaces are
 * simulated: {@link SimulatedSpaces} builds in 5 minutes, evaluates in 2, loses a few
 * Spaces mid-life, and answers the sandbox protocol through the same
 * {@link SandboxCallbacks} the REST API calls.
 * <p>
 * Not part of the default run: {@code ./mvnw -o test -Dtest=StreamingReplayBenchmarkTests
 * -Dpodium.bench=replay} ({@code -Dpodium.bench.days=N} for a shorter replay). It prints,
 * side by side, one sandbox per submission (huggingface/competitions), wave 1's static
 * batches with the hold, streaming TASK and streaming COMPETITION, each on 20 and on 150
 * creations a day; then what 20 creations a day sustain when 300, 600 and 900 submissions
 * a day are offered.
 * <p>
 * The clock moves from event to event (an arrival, a build's end, an evaluation's end, a
 * loss, a sandbox's next due step or retirement, the planner's planned creation, a
 * retry), at least every {@link #MAX_TICK} and at most every {@link #MIN_TICK}; each tick
 * runs one scheduler round and then lets every simulated Space ask for its next job or
 * report the one it finished.
 */
@PodiumTest
@Import(StreamingReplayBenchmarkTests.Simulation.class)
@TestPropertySource(properties = { "podium.rate-limit.enabled=false", "podium.sandbox.max-concurrent=60",
		"logging.level.dev.podium=WARN" })
@EnabledIfSystemProperty(named = "podium.bench", matches = "replay|all")
class StreamingReplayBenchmarkTests {

	static final Duration BUILD = Duration.ofMinutes(5);

	static final Duration EVALUATION = Duration.ofMinutes(2);

	/** The share of Spaces lost at a random moment of their first six hours. */
	static final double LOSS_RATE = 0.03;

	static final Duration MAX_TICK = Duration.ofMinutes(10);

	static final Duration MIN_TICK = Duration.ofSeconds(15);

	static final int DAYS = Integer.getInteger("podium.bench.days", 7);

	static final Instant REPLAY_START = Instant.parse("2026-11-09T00:00:00Z");

	/** Arrival weight per hour of the day (UTC): quiet nights, busy afternoons. */
	static final double[] PROFILE = { 0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 1.0, 1.2, 1.3, 1.3, 1.2, 1.3, 1.5, 1.6,
			1.6, 1.5, 1.4, 1.3, 1.2, 1.0, 0.7, 0.4 };

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	CreationPlanner planner;

	@Autowired
	ArrivalForecast forecast;

	@Autowired
	SimulatedSpaces spaces;

	@Autowired
	SandboxCallbacks callbacks;

	static int runs;

	@Test
	void replaysTheReferenceDays() {
		List<Policy> policies = java.util.Arrays
			.stream(System
				.getProperty("podium.bench.policies", "PER_SUBMISSION,STATIC_HOLD,STREAM_TASK,STREAM_COMPETITION")
				.split(","))
			.map(Policy::valueOf)
			.toList();
		List<Result> results = new ArrayList<>();
		for (String budgetText : System.getProperty("podium.bench.budgets", "20,150").split(",")) {
			if (budgetText.isBlank()) {
				continue;
			}
			int budget = Integer.parseInt(budgetText.strip());
			for (Policy policy : policies) {
				results.add(replay(policy, budget, 5, DAYS));
			}
		}
		System.out.println();
		System.out.printf(
				"Replay of %d reference days (3 tasks x 10 participants x 5 a day = 150 a day), "
						+ "build %d min, evaluation %d min, %.0f%% of Spaces lost mid-life%n",
				DAYS, BUILD.toMinutes(), EVALUATION.toMinutes(), LOSS_RATE * 100);
		printTable(results);
		List<Result> capacity = new ArrayList<>();
		int capacityDays = Integer.getInteger("podium.bench.capacity-days", 2);
		List<Policy> streams = java.util.Arrays
			.stream(System.getProperty("podium.bench.capacity-policies", "STREAM_COMPETITION,STREAM_TASK").split(","))
			.map(Policy::valueOf)
			.toList();
		for (int perParticipant : (capacityDays > 0) ? new int[] { 10, 20, 30 } : new int[0]) {
			for (Policy stream : streams) {
				capacity.add(replay(stream, 20, perParticipant, capacityDays));
			}
		}
		System.out.println();
		System.out.printf("What 20 creations a day sustain (%d days each)%n", capacityDays);
		printTable(capacity);
		for (Result result : results) {
			if (result.budget() == 20 && result.policy().streams()) {
				assertThat(result.windowsOverBudget()).as(result.label()).isZero();
			}
		}
	}

	private void printTable(List<Result> results) {
		System.out.printf("%-34s %6s %9s %9s %9s %10s %9s %9s %8s%n", "policy", "budget", "offered", "evaluated",
				"eval/day", "days all", "median", "p95", "max win");
		System.out.printf("%-34s %6s %9s %9s %9s %10s %9s %9s %8s%n", "", "", "", "", "(min)", "evaluated", "wait",
				"wait", "(over)");
		for (Result r : results) {
			System.out.printf("%-34s %6d %9d %9d %9d %7d/%-2d %9s %9s %4d (%d)%n", r.policy().label, r.budget(),
					r.offered(), r.evaluated(), r.minPerDay(), r.daysAllEvaluated(), r.days(), minutes(r.median()),
					minutes(r.p95()), r.mostInWindow(), r.windowsOverBudget());
		}
		System.out.flush();
	}

	private static String minutes(Duration duration) {
		long minutes = duration.toMinutes();
		return (minutes < 600) ? minutes + " min" : "%.1f h".formatted(minutes / 60.0);
	}

	/** One replay of one policy on one budget. */
	private Result replay(Policy policy, int budget, int perParticipantDay, int days) {
		long started = System.nanoTime();
		Replay replay = new Replay(policy, budget, perParticipantDay, days);
		replay.run();
		Result result = replay.result();
		System.out.printf("  %s on %d/day, %d/participant/day: %d of %d evaluated in %d s (%d ticks)%n", policy.label,
				budget, perParticipantDay, result.evaluated(), result.offered(),
				Duration.ofNanos(System.nanoTime() - started).toSeconds(), replay.ticks);
		printTable(List.of(result));
		return result;
	}

	enum Policy {

		PER_SUBMISSION("one sandbox per submission", "PARTICIPANT", 1, null, false, false),

		STATIC_HOLD("wave-1 static batch + 90 min hold*", "TASK", 10, 0, true, false),

		STREAM_TASK("streaming TASK", "TASK", 100, null, false, true),

		STREAM_COMPETITION("streaming COMPETITION", "COMPETITION", 100, null, false, true);

		final String label;

		final String scope;

		final int perSandbox;

		final Integer idleTimeoutSeconds;

		final boolean hold;

		final boolean streams;

		Policy(String label, String scope, int perSandbox, Integer idleTimeoutSeconds, boolean hold, boolean streams) {
			this.label = label;
			this.scope = scope;
			this.perSandbox = perSandbox;
			this.idleTimeoutSeconds = idleTimeoutSeconds;
			this.hold = hold;
			this.streams = streams;
		}

		boolean streams() {
			return this.streams;
		}

	}

	record Arrival(Instant at, String task, int participant) {
	}

	record Result(Policy policy, int budget, int days, int offered, int evaluated, int minPerDay, int daysAllEvaluated,
			Duration median, Duration p95, int mostInWindow, int windowsOverBudget) {

		String label() {
			return this.policy.label + " on " + this.budget;
		}

	}

	/** The seven days of one policy, from an empty queue and an unused budget. */
	private final class Replay {

		static final List<String> TASKS = List.of("alpha", "beta", "gamma");

		/** Wave 1's hold: a batch leaves at 10 submissions or after 90 minutes. */
		static final int BATCH = 10;

		static final Duration HOLD = Duration.ofMinutes(90);

		final Policy policy;

		final int budget;

		final int days;

		final Instant end;

		final List<Arrival> arrivals;

		final Map<String, Instant> arrivedAt = new HashMap<>();

		final Map<String, Deque<Arrival>> held = new HashMap<>();

		final List<String> tokens = new ArrayList<>();

		final String competition;

		final TestSupport api;

		int ticks;

		Replay(Policy policy, int budget, int perParticipantDay, int days) {
			this.policy = policy;
			this.budget = budget;
			this.days = days;
			this.end = REPLAY_START.plus(Duration.ofDays(days));
			this.arrivals = arrivals(new Random(12), perParticipantDay, days);
			this.competition = "replay-" + (++runs);
			this.api = new TestSupport(StreamingReplayBenchmarkTests.this.mvc);
		}

		void run() {
			reset();
			int next = 0;
			Instant now = REPLAY_START;
			while (now.isBefore(this.end)) {
				clock.set(now);
				while (next < this.arrivals.size() && !this.arrivals.get(next).at().isAfter(now)) {
					arrive(this.arrivals.get(next++), now);
				}
				release(now);
				scheduler.runOnce();
				spaces.drive(callbacks, now);
				this.ticks++;
				Instant due = now.plus(MAX_TICK);
				if (next < this.arrivals.size()) {
					due = earliest(due, this.arrivals.get(next).at());
				}
				due = earliest(due, spaces.nextEvent());
				due = earliest(due, nextDue(now));
				due = earliest(due, planner.view().nextPlannedCreation());
				due = earliest(due, nextRelease());
				// the engine's own rhythm: it looks at a serving sandbox every 10 s
				Instant floor = now.plus(MIN_TICK);
				now = due.isBefore(floor) ? floor : due;
			}
			clock.set(this.end);
		}

		private void reset() {
			clock.set(REPLAY_START.minus(Duration.ofHours(1)));
			spaces.reset();
			jdbc.update("delete from submissions");
			jdbc.update("delete from sandboxes");
			jdbc.update("delete from creation_charges");
			jdbc.update("delete from platform_fault_days");
			jdbc.update("update creation_budgets set creation_limit = ?, blocked_until = null, version = version + 1",
					this.budget);
			planner.endDeferral();
			forecast.refresh();
			String[] tasks = TASKS.stream().map(this::task).toArray(String[]::new);
			this.api.createCompetition(this.competition, REPLAY_START.minus(Duration.ofDays(1)),
					this.end.plus(Duration.ofDays(1)), "UTC", tasks);
			for (String task : TASKS) {
				this.api.uploadSolution(this.competition, task, SOLUTION);
			}
			for (int p = 0; p < 10; p++) {
				this.tokens.add(this.api.addParticipant(this.competition, "participant-" + p));
			}
		}

		private String task(String slug) {
			String idle = (this.policy.idleTimeoutSeconds != null)
					? ",\"idleTimeoutSeconds\":" + this.policy.idleTimeoutSeconds : "";
			return """
					{"slug":"%s","title":"Task %s","submissionKind":"FILE","metric":"accuracy_score",
					 "dailySubmissionLimit":100,"maxFileBytes":2048,"reuseScope":"%s","evaluationsPerSandbox":%d%s}
					""".formatted(slug, slug, this.policy.scope, this.policy.perSandbox, idle);
		}

		private void arrive(Arrival arrival, Instant now) {
			if (this.policy.hold) {
				this.held.computeIfAbsent(arrival.task(), (task) -> new ArrayDeque<>()).add(arrival);
				return;
			}
			submit(arrival);
		}

		private void submit(Arrival arrival) {
			String body = TestSupport.require(this.api.submitFile(this.tokens.get(arrival.participant()),
					this.competition, arrival.task(), PREDICTIONS), 201);
			this.arrivedAt.put(JsonPath.read(body, "$.id"), arrival.at());
		}

		/**
		 * Wave 1's hold, played by the replay: held work reaches the queue in batches.
		 */
		private void release(Instant now) {
			for (Deque<Arrival> waiting : this.held.values()) {
				if (waiting.size() >= BATCH || (!waiting.isEmpty() && !now.isBefore(waiting.peek().at().plus(HOLD)))) {
					while (!waiting.isEmpty()) {
						submit(waiting.poll());
					}
				}
			}
		}

		private Instant nextRelease() {
			Instant next = null;
			for (Deque<Arrival> waiting : this.held.values()) {
				if (!waiting.isEmpty()) {
					next = earliest(next, waiting.peek().at().plus(HOLD));
				}
			}
			return next;
		}

		/**
		 * The next moment the engine has something to do on its own: a sandbox step due
		 * in a passing state, a retirement, an idle timeout, a retry.
		 */
		private Instant nextDue(Instant now) {
			Timestamp next = jdbc.queryForObject("""
					select min(t) from (
					  select next_step_at as t from sandboxes where status in ('CREATING', 'DRAINING', 'DESTROYING')
					  union all select retire_at from sandboxes where status in ('STARTING', 'RUNNING')
					  union all select idle_since + idle_timeout_seconds * interval '1 second' from sandboxes
					    where status = 'RUNNING' and idle_since is not null
					  union all select not_before from submissions where status = 'QUEUED' and not_before > ?
					) due
					""", Timestamp.class, Timestamp.from(now));
			return (next != null) ? next.toInstant() : null;
		}

		Result result() {
			Map<String, Instant> started = spaces.started;
			Map<String, Instant> finished = spaces.finished;
			List<Duration> waits = new ArrayList<>();
			int evaluated = 0;
			int[] perDay = new int[this.days];
			int[] offeredPerDay = new int[this.days];
			int[] lateOrMissing = new int[this.days];
			for (Arrival arrival : this.arrivals) {
				offeredPerDay[day(arrival.at())]++;
			}
			for (Arrival arrival : heldBack()) {
				lateOrMissing[day(arrival.at())]++;
				waits.add(Duration.between(arrival.at(), this.end));
			}
			for (Map.Entry<String, Instant> entry : this.arrivedAt.entrySet()) {
				Instant arrival = entry.getValue();
				Instant done = finished.get(entry.getKey());
				int day = day(arrival);
				if (done != null) {
					evaluated++;
					perDay[day(done)]++;
					waits.add(Duration.between(arrival, started.get(entry.getKey())));
					Instant dayEnd = REPLAY_START.plus(Duration.ofDays(day + 1));
					if (done.isAfter(dayEnd.plus(Duration.ofMinutes(30)))) {
						lateOrMissing[day]++;
					}
				}
				else {
					// never evaluated within the replay: it waited at least until its end
					waits.add(Duration.between(arrival, this.end));
					lateOrMissing[day]++;
				}
			}
			Collections.sort(waits);
			int minPerDay = Integer.MAX_VALUE;
			int allEvaluated = 0;
			for (int d = 0; d < this.days; d++) {
				minPerDay = Math.min(minPerDay, perDay[d]);
				if (lateOrMissing[d] == 0) {
					allEvaluated++;
				}
			}
			Map<Instant, Integer> windows = new LinkedHashMap<>();
			jdbc.query("""
					select date_trunc('day', charged_at at time zone 'UTC') as day, count(*) from creation_charges
					where refunded_at is null group by 1
					""", (rs) -> {
				windows.put(rs.getTimestamp(1).toInstant(), rs.getInt(2));
			});
			int most = windows.values().stream().mapToInt(Integer::intValue).max().orElse(0);
			int over = (int) windows.values().stream().filter((count) -> count > this.budget).count();
			return new Result(this.policy, this.budget, this.days, this.arrivals.size(), evaluated, minPerDay,
					allEvaluated, percentile(waits, 0.5), percentile(waits, 0.95), most, over);
		}

		private List<Arrival> heldBack() {
			List<Arrival> left = new ArrayList<>();
			this.held.values().forEach(left::addAll);
			return left;
		}

		private int day(Instant at) {
			int day = (int) Duration.between(REPLAY_START, at).toDays();
			return Math.min(Math.max(day, 0), this.days - 1);
		}

	}

	private static Duration percentile(List<Duration> sorted, double share) {
		if (sorted.isEmpty()) {
			return Duration.ZERO;
		}
		int index = (int) Math.ceil(share * sorted.size()) - 1;
		return sorted.get(Math.min(Math.max(index, 0), sorted.size() - 1));
	}

	/**
	 * Each participant's submissions of each task, spread over each day by
	 * {@link #PROFILE}, from a seeded random.
	 */
	static List<Arrival> arrivals(Random random, int perParticipantDay, int days) {
		double total = 0;
		for (double weight : PROFILE) {
			total += weight;
		}
		List<Arrival> arrivals = new ArrayList<>();
		for (int day = 0; day < days; day++) {
			Instant midnight = REPLAY_START.plus(Duration.ofDays(day));
			for (String task : Replay.TASKS) {
				for (int participant = 0; participant < 10; participant++) {
					for (int n = 0; n < perParticipantDay; n++) {
						double pick = random.nextDouble() * total;
						int hour = 0;
						while (pick > PROFILE[hour] && hour < 23) {
							pick -= PROFILE[hour];
							hour++;
						}
						long second = hour * 3600L + random.nextInt(3600);
						arrivals.add(new Arrival(midnight.plusSeconds(second), task, participant));
					}
				}
			}
		}
		arrivals.sort((a, b) -> a.at().compareTo(b.at()));
		return arrivals;
	}

	private static Instant earliest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		if (b == null) {
			return a;
		}
		return a.isBefore(b) ? a : b;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Simulation {

		@Bean
		@Primary
		SimulatedSpaces simulatedSpaces(MutableClock clock) {
			return new SimulatedSpaces(new Random(7), clock);
		}

	}

	/**
	 * Spaces as the replay needs them: a creation is a build of {@link #BUILD}, then the
	 * Space plays the evaluation app, asking for its next job through
	 * {@link SandboxCallbacks} and reporting each one {@link #EVALUATION} after it took
	 * it; a few are lost at a random moment, their job unreported.
	 */
	static final class SimulatedSpaces implements SandboxProvider {

		private final Random random;

		private final Map<String, Space> spaces = new ConcurrentHashMap<>();

		/** When each submission's last evaluation started, and when one finished. */
		final Map<String, Instant> started = new ConcurrentHashMap<>();

		final Map<String, Instant> finished = new ConcurrentHashMap<>();

		private final MutableClock clock;

		private Instant now = Instant.EPOCH;

		SimulatedSpaces(Random random, MutableClock clock) {
			this.random = random;
			this.clock = clock;
		}

		void reset() {
			this.spaces.clear();
			this.started.clear();
			this.finished.clear();
		}

		@Override
		public String name() {
			return "simulated";
		}

		@Override
		public Preflight preflight(String model, String revision, String accessToken, SandboxCallbacks.JobTask task) {
			return new Preflight.Accepted(model, revision);
		}

		@Override
		public CreateResult create(SandboxSpec spec) {
			Space existing = this.spaces.get(spec.name());
			if (existing != null) {
				return new CreateResult.Created(true);
			}
			Instant lostAt = null;
			synchronized (this.random) {
				if (this.random.nextDouble() < LOSS_RATE) {
					lostAt = this.clock.instant().plus(BUILD).plusSeconds(this.random.nextInt(6 * 3600));
				}
			}
			this.spaces.put(spec.name(), new Space(spec.sandboxId(), this.clock.instant().plus(BUILD), lostAt));
			return new CreateResult.Created(false);
		}

		@Override
		public SandboxState state(String name) {
			Space space = this.spaces.get(name);
			if (space == null || space.lost) {
				return new SandboxState.Gone();
			}
			return this.clock.instant().isBefore(space.readyAt) ? new SandboxState.Starting("BUILDING")
					: new SandboxState.Ready("RUNNING");
		}

		@Override
		public DestroyResult destroy(String name) {
			this.spaces.remove(name);
			return new DestroyResult.Destroyed();
		}

		@Override
		public Listing list() {
			return new Listing.Listed(Set.copyOf(this.spaces.keySet()));
		}

		/**
		 * Every built Space acts at {@code now}: it is lost, reports the job it finished,
		 * and asks for its next one.
		 */
		void drive(SandboxCallbacks callbacks, Instant now) {
			this.now = now;
			for (Space space : List.copyOf(this.spaces.values())) {
				if (space.lost || space.retired || now.isBefore(space.readyAt)) {
					continue;
				}
				if (space.lostAt != null && !now.isBefore(space.lostAt)) {
					space.lost = true;
					continue;
				}
				if (space.job != null && !now.isBefore(space.jobEnds)) {
					byte[] csv = callbacks.jobFile(space.id, space.job.jobId()).orElse(PREDICTIONS.getBytes());
					SandboxCallbacks.JobReport report = callbacks.predictions(space.id, space.job.jobId(),
							new ByteArrayInputStream(csv), csv.length);
					if (report == SandboxCallbacks.JobReport.ACCEPTED) {
						this.finished.put(space.job.submissionId().toString(), now);
					}
					space.job = null;
				}
				if (space.job == null) {
					JobOffer offer = callbacks.nextJob(space.id, Duration.ZERO).join();
					if (offer instanceof JobOffer.Assigned assigned) {
						space.job = assigned.job();
						callbacks.jobFile(space.id, space.job.jobId());
						callbacks.jobStarted(space.id, space.job.jobId());
						space.jobEnds = now.plus(EVALUATION);
						this.started.put(space.job.submissionId().toString(), now);
					}
					else if (offer instanceof JobOffer.Retired) {
						space.retired = true;
					}
				}
			}
		}

		/** The next moment a Space does something of its own. */
		Instant nextEvent() {
			Instant next = null;
			for (Space space : this.spaces.values()) {
				if (space.lost) {
					// the engine notices at its next look (every minute)
					Instant noticed = space.lostAt.plusSeconds(61);
					next = noticed.isAfter(this.now) ? earliest(next, noticed) : next;
					continue;
				}
				if (space.retired) {
					continue;
				}
				if (this.now.isBefore(space.readyAt)) {
					next = earliest(next, space.readyAt);
				}
				if (space.job != null) {
					next = earliest(next, space.jobEnds);
				}
				if (space.lostAt != null) {
					next = earliest(next, space.lostAt);
				}
			}
			return next;
		}

		private static final class Space {

			final UUID id;

			final Instant readyAt;

			final Instant lostAt;

			volatile boolean lost;

			volatile boolean retired;

			volatile SandboxCallbacks.SandboxJob job;

			volatile Instant jobEnds;

			Space(UUID id, Instant readyAt, Instant lostAt) {
				this.id = id;
				this.readyAt = readyAt;
				this.lostAt = lostAt;
			}

		}

	}

}
