package dev.podium.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The stretch of time whose creations count against the limit.
 *
 * @param start inclusive
 * @param end exclusive: when a FIXED window resets
 */
public record BudgetWindow(Instant start, Instant end) {

	/**
	 * The window holding {@code now}. FIXED windows are aligned to midnight in the zone,
	 * then follow each other by their length (P1D gives calendar days; PT1H the hours of
	 * each day).
	 */
	public static BudgetWindow at(Instant now, WindowMode mode, Duration length, ZoneId zone) {
		if (mode == WindowMode.ROLLING) {
			return new BudgetWindow(now.minus(length), now);
		}
		Instant midnight = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
		if (length.toDays() >= 1 && length.equals(Duration.ofDays(length.toDays()))) {
			// whole days follow the calendar, so that 23- and 25-hour days stay days
			LocalDate day = LocalDate.ofInstant(now, zone);
			long days = length.toDays();
			LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(day.toEpochDay(), days) * days);
			return new BudgetWindow(first.atStartOfDay(zone).toInstant(),
					first.plusDays(days).atStartOfDay(zone).toInstant());
		}
		long elapsed = Duration.between(midnight, now).toMillis();
		long size = length.toMillis();
		Instant start = midnight.plusMillis((elapsed / size) * size);
		return new BudgetWindow(start, start.plus(length));
	}

}
