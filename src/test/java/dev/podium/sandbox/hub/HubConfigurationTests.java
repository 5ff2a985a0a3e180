package dev.podium.sandbox.hub;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Hub client and its settings exist only when the Hub is the sandbox provider, so
 * that a local setup starts without a token; scanned the way the application scans.
 */
class HubConfigurationTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(Scanned.class);

	@Test
	void localProviderNeedsNoHubSettings() {
		this.contexts.withPropertyValues("podium.sandbox.provider=local").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(HubClient.class).doesNotHaveBean(HubProperties.class);
		});
	}

	@Test
	void huggingfaceProviderGetsAClientWithDefaults() {
		this.contexts
			.withPropertyValues("podium.sandbox.provider=huggingface", "podium.hub.token=hf_config_token",
					"podium.hub.namespace=podium-org")
			.run((context) -> {
				assertThat(context).hasSingleBean(HubClient.class);
				HubProperties properties = context.getBean(HubProperties.class);
				assertThat(properties.url()).isEqualTo(URI.create("https://huggingface.co"));
				assertThat(properties.requestsPerWindow()).isEqualTo(1000);
				assertThat(properties.window()).isEqualTo(Duration.ofSeconds(300));
				assertThat(properties.maxAttempts()).isEqualTo(5);
				assertThat(properties.baseDelay()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.maxDelay()).isEqualTo(Duration.ofSeconds(8));
				assertThat(properties.maxInlineWait()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(30));
				assertThat(properties)
					.isEqualTo(HubProperties.of(URI.create("https://huggingface.co"), "hf_config_token", "podium-org"));
				assertThat(context.getBean(HubClient.class).circuitState()).isEqualTo(CircuitState.CLOSED);
			});
	}

	@Test
	void huggingfaceProviderWithoutATokenDoesNotStart() {
		this.contexts.withPropertyValues("podium.sandbox.provider=huggingface", "podium.hub.namespace=podium-org")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("podium.hub.token"));
	}

	@Configuration(proxyBeanMethods = false)
	@ConfigurationPropertiesScan(basePackageClasses = HubProperties.class)
	@Import(HubClient.class)
	static class Scanned {

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

	}

}
