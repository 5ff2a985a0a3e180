package dev.podium.ratelimit;

import java.time.Clock;
import java.time.Instant;

import io.github.bucket4j.TimeMeter;

/**
 * Bucket4j's time from Podium's clock, so that buckets refill as tests move time, and
 * every instance measures with the same wall clock.
 */
record ClockTimeMeter(Clock clock) implements TimeMeter {

	@Override
	public long currentTimeNanos() {
		Instant now = this.clock.instant();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	@Override
	public boolean isWallClockBased() {
		return true;
	}

}
