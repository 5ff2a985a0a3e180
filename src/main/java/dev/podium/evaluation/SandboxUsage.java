package dev.podium.evaluation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.podium.competition.Hardware;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a competition's sandboxes cost: creations, the minutes they were alive, the
 * minutes billed (from readiness to deletion: builds are free) and an estimate of the
 * price, per day (UTC) and hardware. A sandbox alive across midnight counts on both days.
 */
@Component
public class SandboxUsage {

	private final JdbcTemplate jdbc;

	private final UsageProperties properties;

	private final Clock clock;

	SandboxUsage(JdbcTemplate jdbc, UsageProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A competition's usage.
	 *
	 * @param currency what the costs are in
	 */
	public record Usage(String currency, List<Day> days, Totals totals) {
	}

	/** One day's usage on one hardware flavor. */
	public record Day(LocalDate day, String hardware, long creations, long sandboxMinutes, long billedMinutes,
			BigDecimal pricePerHour, BigDecimal estimatedCost) {
	}

	public record Totals(long creations, long sandboxMinutes, long billedMinutes, BigDecimal estimatedCost) {
	}

	@Transactional(readOnly = true)
	public Usage of(UUID competitionId, LocalDate from, LocalDate to) {
		Instant now = this.clock.instant();
		Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
		Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		Map<String, Accumulator> byDayAndHardware = new TreeMap<>();
		this.jdbc.query(
				"""
						select s.hardware, s.created_at, s.ready_at, s.destroyed_at,
						       exists (select 1 from creation_charges c where c.sandbox_name = s.name and c.refunded_at is null) as charged
						from sandboxes s
						where s.competition_id = ? and s.created_at < ? and coalesce(s.destroyed_at, ?) >= ?
						""",
				(rs) -> {
					String hardware = rs.getString(1);
					Instant created = rs.getTimestamp(2).toInstant();
					Instant ready = instant(rs.getTimestamp(3));
					Instant destroyed = instant(rs.getTimestamp(4));
					Instant alive = (destroyed != null) ? destroyed : now;
					if (rs.getBoolean(5) && !created.isBefore(start) && created.isBefore(end)) {
						accumulator(byDayAndHardware, LocalDate.ofInstant(created, ZoneOffset.UTC),
								hardware).creations++;
					}
					spread(byDayAndHardware, hardware, created, alive, start, end, false);
					if (ready != null) {
						spread(byDayAndHardware, hardware, ready, alive, start, end, true);
					}
				}, competitionId, Timestamp.from(end), Timestamp.from(now), Timestamp.from(start));
		List<Day> days = new ArrayList<>();
		long creations = 0;
		long sandboxMinutes = 0;
		long billedMinutes = 0;
		BigDecimal cost = BigDecimal.ZERO;
		for (Accumulator day : byDayAndHardware.values()) {
			BigDecimal price = pricePerHour(day.hardware);
			BigDecimal estimated = price.multiply(BigDecimal.valueOf(day.billed.toSeconds()))
				.divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP);
			days.add(new Day(day.day, day.hardware, day.creations, day.alive.toMinutes(), day.billed.toMinutes(), price,
					estimated));
			creations += day.creations;
			sandboxMinutes += day.alive.toMinutes();
			billedMinutes += day.billed.toMinutes();
			cost = cost.add(estimated);
		}
		return new Usage(this.properties.currency(), days, new Totals(creations, sandboxMinutes, billedMinutes, cost));
	}

	/** The price per hour of a flavor: configured, else the Hub's published one. */
	BigDecimal pricePerHour(String hardware) {
		BigDecimal configured = this.properties.pricesPerHour().get(hardware);
		if (configured != null) {
			return configured;
		}
		return Hardware.ofFlavor(hardware).map(Hardware::pricePerHour).orElse(BigDecimal.ZERO);
	}

	private static void spread(Map<String, Accumulator> days, String hardware, Instant from, Instant to, Instant start,
			Instant end, boolean billed) {
		Instant cursor = from.isBefore(start) ? start : from;
		Instant last = to.isAfter(end) ? end : to;
		while (cursor.isBefore(last)) {
			LocalDate day = LocalDate.ofInstant(cursor, ZoneOffset.UTC);
			Instant midnight = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
			Instant stop = midnight.isBefore(last) ? midnight : last;
			Accumulator accumulator = accumulator(days, day, hardware);
			Duration span = Duration.between(cursor, stop);
			if (billed) {
				accumulator.billed = accumulator.billed.plus(span);
			}
			else {
				accumulator.alive = accumulator.alive.plus(span);
			}
			cursor = stop;
		}
	}

	private static Accumulator accumulator(Map<String, Accumulator> days, LocalDate day, String hardware) {
		String flavor = (hardware != null) ? hardware : "unknown";
		return days.computeIfAbsent(day + "/" + flavor, (key) -> new Accumulator(day, flavor));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static final class Accumulator {

		private final LocalDate day;

		private final String hardware;

		private long creations;

		private Duration alive = Duration.ZERO;

		private Duration billed = Duration.ZERO;

		Accumulator(LocalDate day, String hardware) {
			this.day = day;
			this.hardware = hardware;
		}

	}

}
