package dev.podium.submission;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A participant's daily submission allowance for one task: the day is the competition's
 * calendar day, reset at midnight in its time zone (a day may last 23 or 25 hours).
 */
public record DailyQuota(int limit, long used, LocalDate day, Instant resetsAt) {

	public static DailyQuota of(int limit, long used, Instant now, ZoneId zone) {
		LocalDate day = LocalDate.ofInstant(now, zone);
		Instant resetsAt = day.plusDays(1).atStartOfDay(zone).toInstant();
		return new DailyQuota(limit, used, day, resetsAt);
	}

	public static LocalDate dayOf(Instant at, ZoneId zone) {
		return LocalDate.ofInstant(at, zone);
	}

	public long remaining() {
		return Math.max(0, this.limit - this.used);
	}

	public boolean isSpent() {
		return this.used >= this.limit;
	}

	/** The same quota after one more submission was charged. */
	public DailyQuota charged() {
		return new DailyQuota(this.limit, this.used + 1, this.day, this.resetsAt);
	}

	public Duration untilReset(Instant now) {
		Duration left = Duration.between(now, this.resetsAt);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/** {@code RateLimit-Policy} as in the IETF draft "RateLimit header fields". */
	public String policyHeader() {
		return "\"daily\";q=%d;w=86400".formatted(this.limit);
	}

	/** {@code RateLimit} as in the IETF draft "RateLimit header fields". */
	public String stateHeader(Instant now) {
		return "\"daily\";r=%d;t=%d".formatted(remaining(), secondsUntilReset(now));
	}

	/** Whole seconds to the reset, rounded up so that a client never retries early. */
	public long secondsUntilReset(Instant now) {
		Duration left = untilReset(now);
		return left.toSeconds() + ((left.toNanosPart() > 0) ? 1 : 0);
	}

}
