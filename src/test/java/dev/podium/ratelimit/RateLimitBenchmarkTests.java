package dev.podium.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.PodiumTest;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What the rate check adds to a call: the filter around a chain that does nothing,
 * against the same chain without the filter, on the embedded PostgreSQL that Podium uses
 * by default. Run with {@code -Dpodium.bench=rate}; prints p50/p99/p99.9/max in
 * microseconds and the database transactions the copies cost, and asserts nothing about
 * them.
 */
@PodiumTest
@EnabledIfSystemProperty(named = "podium.bench", matches = "rate|all")
class RateLimitBenchmarkTests {

	/** Participants calling at once, each about once a second: a busy instance. */
	static final int CALLERS = 2000;

	static final int RATE = Integer.getInteger("podium.bench.rate", 2000);

	static final int SECONDS = Integer.getInteger("podium.bench.seconds", 20);

	@Autowired
	DataSource dataSource;

	@Autowired
	JsonMapper json;

	final FilterChain nothing = (request, response) -> {
	};

	@Test
	void printsWhatTheCheckAddsToACall() throws Exception {
		System.out.printf("Rate check benchmark: %d participant tokens, %d calls/s for %d s, a no-op chain behind%n",
				CALLERS, RATE, SECONDS);
		System.out.println("scenario                                         calls    p50 us    p99 us  p99.9 us"
				+ "     max us  db tx/s");
		List<PodiumUser> users = users(CALLERS);
		print("no check (the chain alone)", run(null, users, RATE, SECONDS, 1), null);

		Setup copies = setup(10, Duration.ofSeconds(1), 1_000_000);
		run(copies.filter(), users, 0, CALLERS, 1); // each bucket's first call reads the
													// database
		this.counted.put(copies, copies.transactions());
		print("check, default (copies synced every 1 s)", run(copies.filter(), users, RATE, SECONDS, 1), copies);
		print("check, default, 4 threads", run(copies.filter(), users, RATE, SECONDS, 4), copies);
		copies.rates().destroy();

		Setup often = setup(10, Duration.ofMillis(100), 1_000_000);
		run(often.filter(), users, 0, CALLERS, 1);
		this.counted.put(often, often.transactions());
		print("check, copies synced every 100 ms", run(often.filter(), users, RATE, SECONDS, 1), often);
		often.rates().destroy();

		Setup flooded = setup(10, Duration.ofSeconds(1), 100);
		print("check, one token flooding (refusals)", run(flooded.filter(), users(1), 0, 200_000, 1), flooded);
		flooded.rates().destroy();

		Setup cold = setup(10, Duration.ofSeconds(1), 1_000_000);
		print("check, first call of a bucket (database)", run(cold.filter(), users(10_000), 0, 10_000, 1), cold);
		cold.rates().destroy();

		Setup exact = setup(0, Duration.ofSeconds(1), 1_000_000);
		run(exact.filter(), users, 0, CALLERS, 1);
		this.counted.put(exact, exact.transactions());
		print("check, exact (database on every call)", run(exact.filter(), users, RATE, SECONDS / 2, 1), exact);
		print("check, exact, 4 threads", run(exact.filter(), users, RATE, SECONDS / 2, 4), exact);
		exact.rates().destroy();
	}

	private Setup setup(int maxUnsynced, Duration syncInterval, int capacity) {
		RateLimitProperties.Limit limit = new RateLimitProperties.Limit(capacity, Duration.ofMinutes(1));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		RequestRates rates = new RequestRates(new RateLimitProperties(true, limit, limit, limit, limit, limit,
				maxUnsynced, syncInterval, 100_000, Duration.ofHours(1)), this.dataSource, Clock.systemUTC(), meters);
		return new Setup(rates, new RateLimitFilter(rates, this.json), meters);
	}

	record Setup(RequestRates rates, RateLimitFilter filter, SimpleMeterRegistry meters) {

		/** Transactions so far: one per sync, or one per call when every call asks. */
		double transactions() {
			double syncs = this.meters.counter("podium.rate_limit.syncs").count();
			if (this.rates.settings().maxUnsyncedTokens() == 0) {
				return this.meters.counter("podium.rate_limit.calls", "outcome", "allowed").count()
						+ this.meters.counter("podium.rate_limit.calls", "outcome", "refused").count();
			}
			return syncs;
		}

	}

	private static List<PodiumUser> users(int count) {
		List<PodiumUser> users = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			users.add(new PodiumUser(UUID.randomUUID(), "p" + i, Role.PARTICIPANT, UUID.randomUUID()));
		}
		return users;
	}

	/**
	 * Nanoseconds per call, the request built and the caller signed in beforehand.
	 * @param rate calls per second over all threads, 0 for as fast as possible
	 * @param amount seconds at that rate, or the number of calls when unpaced
	 */
	private Result run(RateLimitFilter filter, List<PodiumUser> users, int rate, int amount, int threads)
			throws Exception {
		int calls = (rate > 0) ? rate * amount : amount;
		long gap = (rate > 0) ? 1_000_000_000L * threads / rate : 0;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		long started = System.nanoTime();
		try {
			List<Future<long[]>> parts = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int offset = t;
				parts.add(pool.submit(() -> {
					long[] times = new long[calls / threads];
					long next = System.nanoTime();
					for (int i = 0; i < times.length; i++) {
						if (gap > 0) {
							next += gap;
							long wait;
							while ((wait = next - System.nanoTime()) > 0) {
								LockSupport.parkNanos(wait);
							}
						}
						PodiumUser user = users.get((i * threads + offset) % users.size());
						MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/me");
						MockHttpServletResponse response = new MockHttpServletResponse();
						var context = SecurityContextHolder.createEmptyContext();
						context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
								List.of(new SimpleGrantedAuthority(user.role().authority()))));
						SecurityContextHolder.setContext(context);
						long start = System.nanoTime();
						if (filter != null) {
							filter.doFilter(request, response, this.nothing);
						}
						else {
							this.nothing.doFilter(request, response);
						}
						times[i] = System.nanoTime() - start;
					}
					SecurityContextHolder.clearContext();
					return times;
				}));
			}
			List<long[]> all = new ArrayList<>();
			for (Future<long[]> part : parts) {
				all.add(part.get());
			}
			return new Result(all.stream().flatMapToLong(Arrays::stream).toArray(),
					Duration.ofNanos(System.nanoTime() - started));
		}
		finally {
			pool.shutdown();
		}
	}

	record Result(long[] nanos, Duration took) {
	}

	/** Transactions counted at the end of each setup's last scenario. */
	private final java.util.Map<Setup, Double> counted = new java.util.IdentityHashMap<>();

	private void print(String scenario, Result result, Setup setup) {
		long[] sorted = result.nanos().clone();
		Arrays.sort(sorted);
		String transactions = "";
		if (setup != null) {
			double now = setup.transactions();
			double before = this.counted.getOrDefault(setup, 0.0);
			this.counted.put(setup, now);
			transactions = String.format(Locale.ROOT, "%8.0f", (now - before) / (result.took().toMillis() / 1000.0));
		}
		System.out.println(String.format(Locale.ROOT, "%-46s %8d %9.1f %9.1f %9.1f %10.1f %s", scenario, sorted.length,
				micros(sorted, 0.50), micros(sorted, 0.99), micros(sorted, 0.999), sorted[sorted.length - 1] / 1000.0,
				transactions));
	}

	private static double micros(long[] sorted, double quantile) {
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1000.0;
	}

}
