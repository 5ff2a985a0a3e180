package dev.podium.evaluation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import dev.podium.budget.Pacing;

/**
 * Replays reference days through the pacing rule that the scheduler uses
 * ({@link PacingPolicy#hold}) and prints what it achieves. A reference day: 3 tasks x 10
 * participants x 5 submissions, arrivals spread uniformly over the day, a limit of 20
 * creations per calendar day, 5 minutes to start a sandbox, 2 minutes per evaluation, at
 * most 4 sandboxes at once, submissions of a task sharing sandboxes (reuse scope TASK).
 *
 * <p>
 * {@code PacingBenchmarkTests} prints its table in every build; for more days:
 * {@code ./mvnw test -Dtest=PacingBenchmarkTests -Dpodium.bench.days=14}.
 */
public final class PacingBenchmark {

	static final int TASKS = 3;

	static final int PARTICIPANTS = 10;

	static final int PER_DAY = 5;

	static final int LIMIT = 20;

	static final int SLOTS = 4;

	static final int START_MINUTES = 5;

	static final int EVALUATION_MINUTES = 2;

	static final int DAY = 24 * 60;

	static final Duration MAX_HOLD = Duration.ofMinutes(90);

	public static void main(String[] args) {
		int days = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		System.out.println(header());
		for (int perSandbox : new int[] { 1, 4, 8, 10 }) {
			for (Pacing pacing : Pacing.values()) {
				System.out.println(run(days, perSandbox, pacing, 42).line());
			}
		}
	}

	static String header() {
		return String.format(Locale.ROOT, "%-4s %-9s %10s %12s %8s %10s %10s %14s", "N", "pacing", "creations",
				"evaluations", "pending", "median(m)", "p95(m)", "max/window");
	}

	/** One replay; the same seed gives the same arrivals for every policy. */
	static Result run(int days, int perSandbox, Pacing pacing, long seed) {
		Random random = new Random(seed);
		List<List<Integer>> arrivals = new ArrayList<>();
		for (int task = 0; task < TASKS; task++) {
			arrivals.add(new ArrayList<>());
		}
		for (int day = 0; day < days; day++) {
			for (int task = 0; task < TASKS; task++) {
				for (int i = 0; i < PARTICIPANTS * PER_DAY; i++) {
					arrivals.get(task).add(day * DAY + random.nextInt(DAY));
				}
			}
		}
		arrivals.forEach(Collections::sort);
		List<Deque<Integer>> waiting = new ArrayList<>();
		for (int task = 0; task < TASKS; task++) {
			waiting.add(new ArrayDeque<>());
		}
		int[] next = new int[TASKS];
		List<Integer> sandboxesEndingAt = new ArrayList<>();
		List<Integer> waits = new ArrayList<>();
		int[] createdPerDay = new int[days + 1];
		int creations = 0;
		int evaluations = 0;
		List<Integer> recentArrivals = new ArrayList<>();
		for (int minute = 0; minute < days * DAY; minute++) {
			for (int task = 0; task < TASKS; task++) {
				while (next[task] < arrivals.get(task).size() && arrivals.get(task).get(next[task]) == minute) {
					waiting.get(task).add(minute);
					recentArrivals.add(minute);
					next[task]++;
				}
			}
			final int now = minute;
			sandboxesEndingAt.removeIf((end) -> end <= now);
			recentArrivals.removeIf((at) -> at <= now - 60);
			int day = minute / DAY;
			int waitingTotal = waiting.stream().mapToInt(Deque::size).sum();
			double hoursLeft = (DAY - minute % DAY) / 60.0;
			double demand = waitingTotal + recentArrivals.size() * hoursLeft;
			// the fair order across tasks: oldest head first
			List<Integer> order = new ArrayList<>();
			for (int task = 0; task < TASKS; task++) {
				if (!waiting.get(task).isEmpty()) {
					order.add(task);
				}
			}
			order.sort((a, b) -> Integer.compare(waiting.get(a).peekFirst(), waiting.get(b).peekFirst()));
			for (int task : order) {
				if (sandboxesEndingAt.size() >= SLOTS || createdPerDay[day] >= LIMIT) {
					break;
				}
				Deque<Integer> queue = waiting.get(task);
				int batch = Math.min(perSandbox, queue.size());
				Duration waited = Duration.ofMinutes(minute - queue.peekFirst());
				if (PacingPolicy.hold(pacing, batch, perSandbox, LIMIT - createdPerDay[day], demand, waited,
						MAX_HOLD)) {
					continue;
				}
				createdPerDay[day]++;
				creations++;
				for (int i = 0; i < batch; i++) {
					int arrived = queue.pollFirst();
					waits.add(minute + START_MINUTES + i * EVALUATION_MINUTES - arrived);
					evaluations++;
				}
				sandboxesEndingAt.add(minute + START_MINUTES + batch * EVALUATION_MINUTES);
			}
		}
		Collections.sort(waits);
		int pending = waiting.stream().mapToInt(Deque::size).sum();
		int maxPerWindow = 0;
		for (int created : createdPerDay) {
			maxPerWindow = Math.max(maxPerWindow, created);
		}
		return new Result(perSandbox, pacing, creations, evaluations, pending, percentile(waits, 50),
				percentile(waits, 95), maxPerWindow);
	}

	private static int percentile(List<Integer> sorted, int percent) {
		if (sorted.isEmpty()) {
			return 0;
		}
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
	}

	record Result(int perSandbox, Pacing pacing, int creations, int evaluations, int pending, int medianWait,
			int p95Wait, int maxPerWindow) {

		String line() {
			return String.format(Locale.ROOT, "%-4d %-9s %10d %12d %8d %10d %10d %11d/%d", this.perSandbox, this.pacing,
					this.creations, this.evaluations, this.pending, this.medianWait, this.p95Wait, this.maxPerWindow,
					LIMIT);
		}

	}

}
