package dev.podium.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Instants and durations as pages show them: in UTC, and relative to the injected clock
 * so that "in 3 h" agrees with what the scheduler will do.
 */
@Component
class TimeLabels {

	private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private final Clock clock;

	TimeLabels(Clock clock) {
		this.clock = clock;
	}

	Instant now() {
		return this.clock.instant();
	}

	/** {@code 2026-11-23 10:00 UTC}. */
	public String at(Instant instant) {
		return (instant != null) ? MINUTES.format(instant) : "";
	}

	/** {@code 10:00:05 UTC}, for "updated at" marks. */
	public String clockTime(Instant instant) {
		return (instant != null) ? SECONDS.format(instant) : "";
	}

	/** For {@code <time datetime>}. */
	public String iso(Instant instant) {
		return (instant != null) ? instant.toString() : "";
	}

	/** {@code in 2 h 5 min}, {@code 3 min ago} or {@code now}. */
	public String relative(Instant instant) {
		if (instant == null) {
			return "";
		}
		Duration delta = Duration.between(now(), instant);
		if (delta.abs().compareTo(Duration.ofMinutes(1)) < 0) {
			return "now";
		}
		return delta.isNegative() ? span(delta.negated()) + " ago" : "in " + span(delta);
	}

	/** How long ago, without the "ago": a sandbox's age. */
	public String age(Instant since) {
		if (since == null) {
			return "";
		}
		Duration age = Duration.between(since, now());
		return age.isNegative() ? "0 s" : span(age);
	}

	/**
	 * {@code 2 d 3 h}, {@code 1 h 5 min}, {@code 4 min}, {@code 45 s}: two units at most.
	 */
	public String span(Duration duration) {
		long seconds = Math.max(0, duration.getSeconds());
		long days = seconds / 86_400;
		long hours = (seconds % 86_400) / 3_600;
		long minutes = (seconds % 3_600) / 60;
		if (days > 0) {
			return (hours > 0) ? days + " d " + hours + " h" : days + " d";
		}
		if (hours > 0) {
			return (minutes > 0) ? hours + " h " + minutes + " min" : hours + " h";
		}
		if (minutes > 0) {
			return minutes + " min";
		}
		return seconds + " s";
	}

}
