package dev.podium.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetWindowTests {

	@Test
	void fixedDailyWindowsStartAtMidnightInTheZone() {
		BudgetWindow utc = BudgetWindow.at(Instant.parse("2026-11-23T17:30:00Z"), WindowMode.FIXED, Duration.ofDays(1),
				ZoneId.of("UTC"));
		assertThat(utc)
			.isEqualTo(new BudgetWindow(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-24T00:00:00Z")));
		BudgetWindow paris = BudgetWindow.at(Instant.parse("2026-11-23T23:30:00Z"), WindowMode.FIXED,
				Duration.ofDays(1), ZoneId.of("Europe/Paris"));
		assertThat(paris.start()).isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
		assertThat(paris.end()).isEqualTo(Instant.parse("2026-11-24T23:00:00Z"));
	}

	@Test
	void aDayWithAClockChangeIsStillOneWindow() {
		// Europe/Paris leaves summer time on 2026-10-25: that day lasts 25 hours.
		BudgetWindow window = BudgetWindow.at(Instant.parse("2026-10-25T12:00:00Z"), WindowMode.FIXED,
				Duration.ofDays(1), ZoneId.of("Europe/Paris"));
		assertThat(Duration.between(window.start(), window.end())).isEqualTo(Duration.ofHours(25));
	}

	@Test
	void shorterFixedWindowsFollowEachOtherFromMidnight() {
		BudgetWindow hour = BudgetWindow.at(Instant.parse("2026-11-23T17:30:00Z"), WindowMode.FIXED,
				Duration.ofHours(1), ZoneId.of("UTC"));
		assertThat(hour)
			.isEqualTo(new BudgetWindow(Instant.parse("2026-11-23T17:00:00Z"), Instant.parse("2026-11-23T18:00:00Z")));
	}

	@Test
	void aRollingWindowIsTheLastLengthBeforeNow() {
		Instant now = Instant.parse("2026-11-23T17:30:00Z");
		assertThat(BudgetWindow.at(now, WindowMode.ROLLING, Duration.ofDays(1), ZoneId.of("UTC")))
			.isEqualTo(new BudgetWindow(Instant.parse("2026-11-22T17:30:00Z"), now));
	}

}
