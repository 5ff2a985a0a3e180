package dev.podium.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of Podium charging the same callers on one database: two bucket clients,
 * each with its own copies, as two processes would have.
 */
@PodiumTest
class SharedBucketTests {

	static final int CAPACITY = 10;

	@Autowired
	DataSource dataSource;

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

	RequestRates first;

	RequestRates second;

	@AfterEach
	void stopInstances() {
		if (this.first != null) {
			this.first.destroy();
		}
		if (this.second != null) {
			this.second.destroy();
		}
	}

	@Test
	void askingTheDatabaseOnEveryCallHoldsTheLimitExactly() {
		this.first = instance(0);
		this.second = instance(0);
		Caller caller = participant();
		int admitted = 0;
		for (int call = 0; call < 30; call++) {
			RequestRates instance = (call % 2 == 0) ? this.first : this.second;
			admitted += instance.charge(caller).allowed() ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(CAPACITY);
	}

	@Test
	void copiesAdmitAtMostTheUnsyncedAllowanceBeyondTheBucketAndThenBothRefuse() {
		int maxUnsynced = 3;
		this.first = instance(maxUnsynced);
		this.second = instance(maxUnsynced);
		Caller caller = participant();
		int admitted = 0;
		for (int call = 0; call < 40; call++) {
			RequestRates instance = (call % 2 == 0) ? this.first : this.second;
			admitted += instance.charge(caller).allowed() ? 1 : 0;
		}
		assertThat(admitted).isBetween(CAPACITY, CAPACITY + maxUnsynced);
		// two rounds: the instance that synced first learns what the other told after it
		syncBoth();
		syncBoth();
		// what was admitted beyond the bucket is owed: it refills from below zero
		this.clock.advance(Duration.ofSeconds(6L * (admitted - CAPACITY)));
		assertThat(this.first.charge(caller).allowed()).isFalse();
		assertThat(this.second.charge(caller).allowed()).isFalse();
		this.clock.advance(Duration.ofSeconds(6));
		assertThat(this.first.charge(caller).allowed()).isTrue();
	}

	@Test
	void floodingOneCallerThroughBothInstancesLeavesAnotherUntouched() {
		this.first = instance(3);
		this.second = instance(3);
		Caller flooder = participant();
		Caller other = participant();
		for (int call = 0; call < 100; call++) {
			((call % 2 == 0) ? this.first : this.second).charge(flooder);
		}
		RequestRate rate = this.second.charge(other);
		assertThat(rate.allowed()).isTrue();
		assertThat(rate.remaining()).isEqualTo(CAPACITY - 1);
	}

	@Test
	void aNewInstanceMeetsTheBucketAsTheOldOneLeftIt() {
		this.first = instance(3);
		Caller caller = participant();
		for (int call = 0; call < CAPACITY; call++) {
			assertThat(this.first.charge(caller).allowed()).isTrue();
		}
		// a rolling restart: the old instance tells the database what it admitted as it
		// stops
		this.first.destroy();
		this.first = null;
		this.second = instance(3);
		assertThat(this.second.charge(caller).allowed()).isFalse();
	}

	private void syncBoth() {
		this.first.sync();
		this.second.sync();
	}

	private RequestRates instance(int maxUnsynced) {
		RateLimitProperties.Limit limit = new RateLimitProperties.Limit(CAPACITY, Duration.ofMinutes(1));
		// a long interval: the test decides when copies are told to the database
		return new RequestRates(new RateLimitProperties(true, limit, limit, limit, limit, limit, maxUnsynced,
				Duration.ofMinutes(1), 1000, Duration.ofHours(1)), this.dataSource, this.clock,
				new SimpleMeterRegistry());
	}

	private static Caller participant() {
		return new Caller("account:" + UUID.randomUUID(), CallerKind.PARTICIPANT);
	}

}
