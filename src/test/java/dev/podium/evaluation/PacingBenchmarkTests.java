package dev.podium.evaluation;

import org.junit.jupiter.api.Test;

import dev.podium.budget.Pacing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the pacing benchmark over reference days and prints its table (see
 * {@link PacingBenchmark}); asserts only what must hold whatever the numbers: no window
 * over its limit, and pacing never doing worse than creating at once.
 */
class PacingBenchmarkTests {

	static final int DAYS = Integer.getInteger("podium.bench.days", 3);

	@Test
	void replaysReferenceDaysWithinTheLimit() {
		System.out.println("Pacing benchmark over " + DAYS + " reference days");
		System.out.println(PacingBenchmark.header());
		for (int perSandbox : new int[] { 1, 4, 8, 10 }) {
			PacingBenchmark.Result none = PacingBenchmark.run(DAYS, perSandbox, Pacing.NONE, 42);
			PacingBenchmark.Result adaptive = PacingBenchmark.run(DAYS, perSandbox, Pacing.ADAPTIVE, 42);
			System.out.println(none.line());
			System.out.println(adaptive.line());
			assertThat(none.maxPerWindow()).isLessThanOrEqualTo(PacingBenchmark.LIMIT);
			assertThat(adaptive.maxPerWindow()).isLessThanOrEqualTo(PacingBenchmark.LIMIT);
			assertThat(adaptive.evaluations()).isGreaterThanOrEqualTo(none.evaluations());
		}
	}

}
