package dev.podium.dashboard;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** Times on the pages, relative to Podium's clock. */
class TimeLabelsTests {

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

	final TimeLabels time = new TimeLabels(this.clock);

	@Test
	void instantsShowInUtcToTheMinute() {
		assertThat(this.time.at(Instant.parse("2026-11-24T00:00:59Z"))).isEqualTo("2026-11-24 00:00 UTC");
		assertThat(this.time.clockTime(Instant.parse("2026-11-24T00:00:59Z"))).isEqualTo("00:00:59 UTC");
		assertThat(this.time.at(null)).isEmpty();
	}

	@Test
	void relativeTimesUseTwoUnitsAtMost() {
		assertThat(this.time.relative(Instant.parse("2026-11-24T00:00:00Z"))).isEqualTo("in 14 h");
		assertThat(this.time.relative(Instant.parse("2026-11-23T11:30:00Z"))).isEqualTo("in 1 h 30 min");
		assertThat(this.time.relative(Instant.parse("2026-11-23T09:55:00Z"))).isEqualTo("5 min ago");
		assertThat(this.time.relative(Instant.parse("2026-11-23T10:00:30Z"))).isEqualTo("now");
		assertThat(this.time.relative(Instant.parse("2026-12-31T00:00:00Z"))).isEqualTo("in 37 d 14 h");
	}

	@Test
	void agesFollowTheClock() {
		Instant created = this.clock.instant();
		this.clock.advance(Duration.ofSeconds(45));
		assertThat(this.time.age(created)).isEqualTo("45 s");
		this.clock.advance(Duration.ofMinutes(3));
		assertThat(this.time.age(created)).isEqualTo("3 min");
	}

}
