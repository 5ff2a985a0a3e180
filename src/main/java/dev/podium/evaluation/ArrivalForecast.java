package dev.podium.evaluation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How many submissions each task should expect in each hour of the day, learned from the
 * last week's arrivals. Each hour's forecast is the median of that hour over the days
 * seen, so that a one-off burst (a demo's seeding, a deadline rush) moves it little; with
 * fewer than three days seen, it is the median of every hour seen so far.
 */
@Component
class ArrivalForecast {

	static final Duration HISTORY = Duration.ofDays(7);

	private static final Duration REFRESH = Duration.ofMinutes(10);

	private final JdbcTemplate jdbc;

	private final Refreshed<Snapshot> snapshot;

	ArrivalForecast(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.snapshot = new Refreshed<>(clock, REFRESH, this::load);
	}

	/** Submissions expected for the task between {@code from} and {@code to}. */
	double expected(UUID taskId, Instant from, Instant to) {
		if (!to.isAfter(from)) {
			return 0;
		}
		double[] hourly = current().hourly().get(taskId);
		if (hourly == null) {
			return 0;
		}
		double total = 0;
		Instant cursor = from;
		while (cursor.isBefore(to)) {
			Instant hourEnd = cursor.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
			Instant end = hourEnd.isBefore(to) ? hourEnd : to;
			int hour = cursor.atZone(ZoneOffset.UTC).getHour();
			total += hourly[hour] * Duration.between(cursor, end).toSeconds() / 3600.0;
			cursor = end;
		}
		return total;
	}

	/**
	 * The hours between {@code from} and {@code to} in which the task expects arrivals.
	 */
	double activeHours(UUID taskId, Instant from, Instant to) {
		double[] hourly = current().hourly().get(taskId);
		if (hourly == null || !to.isAfter(from)) {
			return 0;
		}
		double hours = 0;
		Instant cursor = from;
		while (cursor.isBefore(to)) {
			Instant hourEnd = cursor.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
			Instant end = hourEnd.isBefore(to) ? hourEnd : to;
			if (hourly[cursor.atZone(ZoneOffset.UTC).getHour()] > 0) {
				hours += Duration.between(cursor, end).toSeconds() / 3600.0;
			}
			cursor = end;
		}
		return hours;
	}

	private Snapshot current() {
		return this.snapshot.get();
	}

	/** Forget what was learned (tests replay fresh histories). */
	void refresh() {
		this.snapshot.forget();
	}

	private Snapshot load(Instant now) {
		Instant since = now.minus(HISTORY).truncatedTo(ChronoUnit.HOURS);
		Map<UUID, Map<Long, Integer>> counts = new HashMap<>();
		this.jdbc.query("""
				select task_id, date_trunc('hour', submitted_at at time zone 'UTC') as hour, count(*)
				from submissions where submitted_at >= ? and submitted_at < ?
				group by 1, 2
				""", (rs) -> {
			UUID task = rs.getObject(1, UUID.class);
			long hour = rs.getTimestamp(2).toLocalDateTime().toEpochSecond(ZoneOffset.UTC) / 3600;
			counts.computeIfAbsent(task, (id) -> new HashMap<>()).put(hour, rs.getInt(3));
		}, Timestamp.from(since), Timestamp.from(now));
		long nowHour = now.getEpochSecond() / 3600;
		Map<UUID, double[]> hourly = new HashMap<>();
		counts.forEach((task, byHour) -> hourly.put(task, hourly(byHour, nowHour)));
		return new Snapshot(hourly);
	}

	/**
	 * The forecast for each hour of the day (UTC) from the arrivals counted per hour
	 * since the epoch, up to {@code nowHour}.
	 */
	static double[] hourly(Map<Long, Integer> byHour, long nowHour) {
		long first = Collections.min(byHour.keySet());
		long days = Math.max(1, (nowHour - first + 23) / 24);
		double[] forecast = new double[24];
		if (days >= 3) {
			for (int hour = 0; hour < 24; hour++) {
				List<Integer> samples = new ArrayList<>();
				for (long h = first; h < nowHour; h++) {
					if (Math.floorMod(h, 24) == hour) {
						samples.add(byHour.getOrDefault(h, 0));
					}
				}
				forecast[hour] = median(samples);
			}
		}
		else {
			List<Integer> samples = new ArrayList<>();
			for (long h = first; h < Math.max(nowHour, first + 1); h++) {
				samples.add(byHour.getOrDefault(h, 0));
			}
			java.util.Arrays.fill(forecast, median(samples));
		}
		return forecast;
	}

	private static double median(List<Integer> samples) {
		if (samples.isEmpty()) {
			return 0;
		}
		List<Integer> sorted = new ArrayList<>(samples);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
	}

	private record Snapshot(Map<UUID, double[]> hourly) {
	}

}
