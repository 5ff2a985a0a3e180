package dev.podium;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Podium runs machine-learning competitions whose submissions are evaluated in ephemeral
 * sandboxes, spending a daily creation budget instead of hitting the Hub's rate limits.
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class PodiumApplication {

	public static void main(String[] args) {
		SpringApplication.run(PodiumApplication.class, args);
	}

	/**
	 * The one source of time. Tests replace it with a settable clock so that windows and
	 * leases pass without sleeping.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
