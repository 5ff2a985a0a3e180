package dev.podium.dashboard;

import java.time.Instant;

import dev.podium.MutableClock;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

@TestConfiguration(proxyBeanMethods = false)
class DashboardTestClock {

	/** Mid-competition for the fixtures of {@code TestSupport}. */
	static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

	@Bean
	@Primary
	MutableClock testClock() {
		return new MutableClock(START);
	}

}
