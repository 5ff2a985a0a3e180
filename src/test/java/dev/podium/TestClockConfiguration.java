package dev.podium;

import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

	/** Mid-competition for the fixtures of {@link TestSupport}. */
	static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

	@Bean
	@Primary
	MutableClock testClock() {
		return new MutableClock(START);
	}

	/** Unarmed until a test arms it. */
	@Bean
	InjectedFaults injectedFaults() {
		return new InjectedFaults();
	}

}
