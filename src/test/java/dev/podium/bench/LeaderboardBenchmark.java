package dev.podium.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.leaderboard.LeaderboardView;
import dev.podium.leaderboard.Leaderboards;
import dev.podium.leaderboard.Standings;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Board reads at 100,000 scored submissions of 1,000 participants, while scores keep
 * being recorded, against the window-function query boards used before stored standings
 * (measured on the same data in the same run). Run with {@code -Dpodium.bench=boards}.
 */
@PodiumTest
@EnabledIfSystemProperty(named = "podium.bench", matches = "boards|all")
class LeaderboardBenchmark {

	/** The public board as it was ranked on each read before issue 15. */
	static final String WINDOW_REFERENCE = """
			with best as (
			    select distinct on (participant_id) id, participant_id, public_score as score, submitted_at
			    from submissions where task_id = ? and status = 'SCORED' and public_score is not null
			    order by participant_id, public_score desc, submitted_at, id)
			select b.id, a.name, b.score, b.submitted_at,
			       (select count(*) from submissions c where c.task_id = ? and c.participant_id = b.participant_id
			          and c.status <> 'CANCELLED') as submissions
			from best b join accounts a on a.id = b.participant_id
			order by b.score desc, b.submitted_at, b.id limit 100
			""";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	Competitions competitions;

	@Autowired
	Leaderboards leaderboards;

	@Autowired
	Standings standings;

	@Test
	void boardPagesAtOneHundredThousandScoredSubmissions() throws Exception {
		TestSupport api = new TestSupport(this.mvc);
		api.createCompetition("bench-boards", """
				{"slug":"t","title":"T","submissionKind":"FILE","evaluation":"INLINE","metric":"accuracy_score",
				 "secondaryMetrics":["balanced_accuracy_score"]}
				""");
		Competition competition = this.competitions.find("bench-boards").orElseThrow();
		Task task = competition.task("t").orElseThrow();
		long loadStart = System.nanoTime();
		this.jdbc.execute(sql(competition.id(), task.id()));
		this.jdbc.execute("analyze");
		System.out.printf("loaded 100,000 scored submissions in %d ms%n", (System.nanoTime() - loadStart) / 1_000_000);

		long rebuildStart = System.nanoTime();
		this.transactions.executeWithoutResult((status) -> this.standings.rebuild(task));
		System.out.printf("full rebuild of the task's standings (a rules change): %d ms%n",
				(System.nanoTime() - rebuildStart) / 1_000_000);
		this.jdbc.execute("analyze standings");

		List<UUID> entrants = this.jdbc.queryForList("select distinct entrant_id from submissions where task_id = ?",
				UUID.class, task.id());
		assertThat(entrants).hasSize(1000);

		// scores keep being recorded meanwhile: one entrant's refresh per score, as
		// recordScored does
		AtomicBoolean scoring = new AtomicBoolean(true);
		AtomicInteger refreshes = new AtomicInteger();
		List<Long> refreshNanos = Collections.synchronizedList(new ArrayList<>());
		Thread writer = new Thread(() -> {
			while (scoring.get()) {
				UUID entrant = entrants.get(ThreadLocalRandom.current().nextInt(entrants.size()));
				long start = System.nanoTime();
				this.transactions.executeWithoutResult((status) -> {
					this.jdbc.update("""
							update submissions set public_score = round(random()::numeric, 3)
							where id = (select id from submissions where task_id = ? and entrant_id = ? limit 1)
							""", task.id(), entrant);
					this.standings.refresh(task, List.of(entrant));
				});
				refreshNanos.add(System.nanoTime() - start);
				refreshes.incrementAndGet();
			}
		});
		writer.start();
		try {
			for (int i = 0; i < 20; i++) {
				this.leaderboards.rank(competition, task, LeaderboardView.PUBLIC, false, 1, 100);
			}
			List<Long> publicFirst = time(200,
					() -> this.leaderboards.rank(competition, task, LeaderboardView.PUBLIC, false, 1, 100));
			List<Long> publicDeep = time(200,
					() -> this.leaderboards.rank(competition, task, LeaderboardView.PUBLIC, false, 9, 100));
			List<Long> privateFirst = time(200,
					() -> this.leaderboards.rank(competition, task, LeaderboardView.PRIVATE, false, 1, 100));
			List<Long> reference = time(20, () -> this.jdbc.queryForList(WINDOW_REFERENCE, task.id(), task.id()));
			report("public, page 1 of 100", publicFirst);
			report("public, page 9 of 100", publicDeep);
			report("private, page 1 of 100", privateFirst);
			report("reference: window query, top 100", reference);
			System.out.printf("ratio reference p50 / stored public p50: %.1fx%n",
					(double) percentile(reference, 50) / percentile(publicFirst, 50));
		}
		finally {
			scoring.set(false);
			writer.join();
		}
		report("score + entrant refresh (writer, " + refreshes.get() + " during the reads)", refreshNanos);
	}

	private static List<Long> time(int times, Runnable read) {
		List<Long> nanos = new ArrayList<>();
		for (int i = 0; i < times; i++) {
			long start = System.nanoTime();
			read.run();
			nanos.add(System.nanoTime() - start);
		}
		return nanos;
	}

	private static void report(String what, List<Long> nanos) {
		System.out.printf("%-55s p50 %6.2f ms  p99 %6.2f ms  (n=%d)%n", what, percentile(nanos, 50) / 1e6,
				percentile(nanos, 99) / 1e6, nanos.size());
	}

	private static long percentile(List<Long> nanos, int percentile) {
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
	}

	private static String sql(UUID competition, UUID task) throws IOException {
		return new ClassPathResource("bench/boards-100k.sql").getContentAsString(StandardCharsets.UTF_8)
			.replace("${competition}", competition.toString())
			.replace("${task}", task.toString());
	}

}
