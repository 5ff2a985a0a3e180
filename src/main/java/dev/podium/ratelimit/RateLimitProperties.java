package dev.podium.ratelimit;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param enabled whether API calls are charged at all
 * @param participant the bucket of each participant's token
 * @param organizer the bucket of each organizer's token
 * @param operator the bucket of each operator's token
 * @param sandbox the bucket of each sandbox
 * @param anonymous the bucket of each client address that calls without a token
 * @param maxUnsyncedTokens how many calls an instance may admit from its own copy of a
 * bucket before it must tell the database; 0 asks the database on every call (exact, and
 * a round trip per call)
 * @param syncInterval how often each instance tells the database what it admitted
 * @param localBuckets how many buckets an instance keeps copies of
 * @param keepIdle how long the database keeps a bucket after it refilled completely
 */
@ConfigurationProperties("podium.rate-limit")
@Validated
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @Valid Limit participant,
		@Valid Limit organizer, @Valid Limit operator, @Valid Limit sandbox, @Valid Limit anonymous,
		@DefaultValue("10") @Min(0) @Max(10_000) int maxUnsyncedTokens,
		@DefaultValue("1s") @DurationMin(millis = 10) @DurationMax(minutes = 1) Duration syncInterval,
		@DefaultValue("100000") @Min(100) int localBuckets,
		@DefaultValue("1h") @DurationMin(seconds = 1) Duration keepIdle) {

	public RateLimitProperties {
		participant = Limit.orDefault(participant, 120);
		organizer = Limit.orDefault(organizer, 300);
		operator = Limit.orDefault(operator, 600);
		sandbox = Limit.orDefault(sandbox, 300);
		anonymous = Limit.orDefault(anonymous, 60);
	}

	/** The bucket of one kind of caller. */
	public Limit limitOf(CallerKind kind) {
		return switch (kind) {
			case PARTICIPANT -> this.participant;
			case ORGANIZER -> this.organizer;
			case OPERATOR -> this.operator;
			case SANDBOX -> this.sandbox;
			case ANONYMOUS -> this.anonymous;
		};
	}

	/**
	 * A token bucket: {@code capacity} calls at once, refilled evenly so that an empty
	 * bucket is full again after {@code period}.
	 */
	public record Limit(@Min(1) @Max(1_000_000) Integer capacity,
			@DurationMin(seconds = 1) @DurationMax(days = 1) Duration period) {

		static Limit orDefault(Limit configured, int capacity) {
			Limit limit = (configured != null) ? configured : new Limit(null, null);
			return new Limit((limit.capacity() != null) ? limit.capacity() : capacity,
					(limit.period() != null) ? limit.period() : Duration.ofMinutes(1));
		}

		/** The window of the RateLimit-Policy field, in whole seconds. */
		public long windowSeconds() {
			return Math.max(1, this.period.toSeconds());
		}

	}

}
