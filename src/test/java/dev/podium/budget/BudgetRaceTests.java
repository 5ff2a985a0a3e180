package dev.podium.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances racing on one creation ledger. Each instance here is a thread with its own
 * transaction, as instances on one database are; the clock is shared and moves while they
 * race.
 */
@PodiumTest
class BudgetRaceTests {

	@Autowired
	CreationBudget budget;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	TransactionTemplate transactions;

	@BeforeEach
	void emptyLedger() {
		this.jdbc.update("delete from creation_charges");
		this.jdbc.update("delete from budget_threshold_marks");
		this.jdbc.update("update creation_budgets set blocked_until = null, version = version + 1");
	}

	/**
	 * Instance A starts charging at T but waits for the ledger's lock, which B holds
	 * while it charges at T+5. A's charge must see B's: its time is read once the lock is
	 * held.
	 */
	@Test
	void aChargeThatWaitedForTheLedgerSeesTheChargeItWaitedFor() throws Exception {
		this.jdbc.update("update creation_budgets set creation_limit = 1");
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		ExecutorService instances = Executors.newFixedThreadPool(2);
		CountDownLatch bCharged = new CountDownLatch(1);
		CountDownLatch aWaits = new CountDownLatch(1);
		try {
			Future<Boolean> b = instances.submit(() -> this.transactions.execute((status) -> {
				this.clock.advance(Duration.ofSeconds(5));
				boolean allowed = this.budget.charge("sandbox-b").allowed();
				bCharged.countDown();
				waitFor(aWaits);
				return allowed;
			}));
			waitFor(bCharged);
			Future<Boolean> a = instances
				.submit(() -> this.transactions.execute((status) -> this.budget.charge("sandbox-a").allowed()));
			// A is now blocked on the budget's row lock
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.jdbc.queryForObject("select count(*) from pg_locks where not granted",
						Integer.class) > 0);
			aWaits.countDown();
			assertThat(b.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(a.get(10, TimeUnit.SECONDS)).as("A counted B's charge").isFalse();
		}
		finally {
			instances.shutdownNow();
		}
		assertThat(this.jdbc.queryForObject("select count(*) from creation_charges where refunded_at is null",
				Integer.class))
			.isEqualTo(1);
	}

	/**
	 * Many instances charge in random order while the clock moves across a window
	 * boundary; some refund. No window ever holds more charges than the limit.
	 */
	@Test
	void manyInstancesRacingOnOneLedgerNeverExceedTheLimitInAnyWindow() throws Exception {
		int limit = 5;
		this.jdbc.update("update creation_budgets set creation_limit = ?", limit);
		this.clock.set(Instant.parse("2026-11-23T23:59:30Z"));
		ExecutorService instances = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> runs = new ArrayList<>();
			for (int instance = 0; instance < 8; instance++) {
				int id = instance;
				runs.add(instances.submit(() -> {
					int granted = 0;
					for (int i = 0; i < 25; i++) {
						String name = "race-" + id + "-" + i;
						ThreadLocalRandom random = ThreadLocalRandom.current();
						if (i % 5 == 4) {
							// together the instances carry the clock past midnight
							this.clock.advance(Duration.ofSeconds(1 + random.nextInt(2)));
						}
						Boolean allowed = this.transactions.execute((status) -> this.budget.charge(name).allowed());
						if (Boolean.TRUE.equals(allowed)) {
							granted++;
							if (random.nextInt(5) == 0) {
								this.budget.refund(name);
							}
						}
					}
					return granted;
				}));
			}
			for (Future<Integer> run : runs) {
				run.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			instances.shutdownNow();
		}
		Map<String, Integer> perDay = new TreeMap<>();
		this.jdbc.query("""
				select (charged_at at time zone 'UTC')::date::text, count(*) from creation_charges
				where refunded_at is null group by 1
				""", (rs) -> {
			perDay.put(rs.getString(1), rs.getInt(2));
		});
		assertThat(this.clock.instant()).isAfter(Instant.parse("2026-11-24T00:00:00Z"));
		assertThat(perDay).isNotEmpty();
		perDay.values().forEach((count) -> assertThat(count).isLessThanOrEqualTo(limit));
	}

	private static void waitFor(CountDownLatch latch) {
		try {
			if (!latch.await(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the other instance never got there");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
