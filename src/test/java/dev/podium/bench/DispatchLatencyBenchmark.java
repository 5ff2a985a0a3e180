package dev.podium.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.podium.FreshDatabaseInitializer;
import dev.podium.TestSupport;
import dev.podium.sandbox.SandboxProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static org.awaitility.Awaitility.await;

/**
 * Dispatch latency (issue 10), printed, not asserted: from a submission's acceptance to
 * the provider's create call when it needs a new sandbox, and to its claim by a live
 * sandbox's long poll when one serves its scope. The scheduler runs as in production (its
 * own wakes and polls, the local provider, the system clock, the budget open).
 *
 * <pre>
 * ./mvnw -B test -Dtest=DispatchLatencyBenchmark -Dpodium.bench=dispatch -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "podium.bench", matches = "dispatch|all")
@SpringBootTest(properties = { "podium.demo.enabled=false", "podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
		"podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY, "podium.data-dir=target/bench-data",
		"podium.evaluation.scheduler-enabled=true", "podium.sandbox.local.startup-delay=0s", "podium.budget.limit=1000",
		"podium.sandbox.max-concurrent=1000", "podium.rate-limit.operator.capacity=1000000",
		"podium.rate-limit.participant.capacity=1000000",
		// one participant streams the same file: a duplicate on purpose
		"podium.submission.refuse-duplicates=false" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = FreshDatabaseInitializer.class)
class DispatchLatencyBenchmark {

	static final int CREATIONS = 60;

	static final int CLAIMS = 200;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	CreateCalls creates;

	@Test
	void dispatchLatency() {
		TestSupport api = new TestSupport(this.mvc);
		api.createCompetition("bench", """
				{"slug":"t","title":"T","submissionKind":"FILE","evaluation":"SANDBOX","metric":"accuracy_score",
				 "dailySubmissionLimit":1000,"selectionLimit":2,"idColumn":"id","maxFileBytes":2048}
				""");
		api.uploadSolution("bench", "t", SOLUTION);

		// a new participant's submission has no sandbox of its scope: it needs a creation
		List<Double> toCreate = new ArrayList<>();
		for (int i = 0; i < CREATIONS + 5; i++) {
			String token = api.addParticipant("bench", "p" + i);
			int before = this.creates.calls.size();
			long accepted = System.nanoTime();
			TestSupport.require(api.submitFile(token, "bench", "t", PREDICTIONS), 201);
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> this.creates.calls.size() > before);
			if (i >= 5) {
				toCreate.add((this.creates.calls.get(before) - accepted) / 1e6);
			}
		}

		// the last participant's sandbox is live: its next submissions are claimed by it
		String token = api.addParticipant("bench", "streamer");
		String first = JsonPath.read(TestSupport.require(api.submitFile(token, "bench", "t", PREDICTIONS), 201),
				"$.id");
		awaitScored(first);
		List<Double> toClaim = new ArrayList<>();
		for (int i = 0; i < CLAIMS; i++) {
			String id = JsonPath.read(TestSupport.require(api.submitFile(token, "bench", "t", PREDICTIONS), 201),
					"$.id");
			awaitScored(id);
			Instant[] times = this.jdbc.queryForObject(
					"select submitted_at, evaluating_at from submissions where id = ?::uuid",
					(rs, n) -> new Instant[] { rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant() }, id);
			if (i >= 10) {
				toClaim.add(Duration.between(times[0], times[1]).toNanos() / 1e6);
			}
		}

		System.out.printf("%n== dispatch latency (local provider, budget open, %d cores) ==%n",
				Runtime.getRuntime().availableProcessors());
		System.out.printf("%-44s %6s %8s %8s %8s%n", "from acceptance to", "n", "p50 ms", "p99 ms", "max ms");
		print("provider create call (new scope)", toCreate);
		print("claim by a live sandbox (streaming)", toClaim);
		System.out.println("targets: p50 < 50 ms, p99 < 250 ms");
	}

	private void awaitScored(String id) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(2))
			.until(() -> "SCORED".equals(
					this.jdbc.queryForObject("select status from submissions where id = ?::uuid", String.class, id)));
	}

	private static void print(String what, List<Double> millis) {
		List<Double> sorted = new ArrayList<>(millis);
		Collections.sort(sorted);
		System.out.printf("%-44s %6d %8.1f %8.1f %8.1f%n", what, sorted.size(), percentile(sorted, 0.50),
				percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
	}

	private static double percentile(List<Double> sorted, double p) {
		return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
	}

	/** When the provider was asked to create, in {@link System#nanoTime()}. */
	static class CreateCalls {

		final List<Long> calls = new CopyOnWriteArrayList<>();

	}

	@TestConfiguration
	static class Recording {

		@Bean
		CreateCalls createCalls() {
			return new CreateCalls();
		}

		@Bean
		static BeanPostProcessor recordCreateCalls(
				org.springframework.beans.factory.ObjectProvider<CreateCalls> calls) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					if (!(bean instanceof SandboxProvider provider)) {
						return bean;
					}
					return Proxy.newProxyInstance(SandboxProvider.class.getClassLoader(),
							new Class<?>[] { SandboxProvider.class }, (proxy, method, args) -> {
								if (method.getName().equals("create")) {
									calls.getObject().calls.add(System.nanoTime());
								}
								try {
									return method.invoke(provider, args);
								}
								catch (InvocationTargetException ex) {
									throw ex.getCause();
								}
							});
				}
			};
		}

	}

}
