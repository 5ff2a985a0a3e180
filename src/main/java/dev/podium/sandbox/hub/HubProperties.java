package dev.podium.sandbox.hub;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Podium reaches the Hugging Face Hub. Bound only when the Hub is the sandbox
 * provider, so that a local setup needs no token. Space names come from
 * {@code podium.sandbox.name-prefix}, the one property that names them.
 *
 * @param url the Hub's base URL (the Python client's {@code HF_ENDPOINT})
 * @param token a write token of the namespace; never logged
 * @param namespace the user or organization that owns the evaluation Spaces
 * @param requestsPerWindow the API quota assumed until the Hub announces its own
 * @param window the length of the quota window assumed until the Hub announces its own
 * @param maxAttempts tries per call, the first included, for failures worth retrying
 * @param baseDelay the ceiling of the first backoff wait; it doubles per retry
 * @param maxDelay the largest backoff ceiling
 * @param maxInlineWait the longest wait a call may spend inside the client; a longer one
 * becomes an outcome with a {@code retryAt} so that the caller comes back later
 */
@ConfigurationProperties("podium.hub")
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "huggingface")
@Validated
public record HubProperties(@DefaultValue("https://huggingface.co") @NotNull URI url, @NotBlank String token,
		@NotBlank @Pattern(regexp = "[\\w\\-.]{1,96}") String namespace,
		@DefaultValue("1000") @Min(1) int requestsPerWindow,
		@DefaultValue("300s") @DurationMin(seconds = 1) Duration window,
		@DefaultValue("5") @Min(1) @Max(20) int maxAttempts,
		@DefaultValue("1s") @DurationMin(millis = 1) Duration baseDelay,
		@DefaultValue("8s") @DurationMin(millis = 1) Duration maxDelay,
		@DefaultValue("5s") @DurationMax(hours = 1) Duration maxInlineWait,
		@DefaultValue("5s") @DurationMin(millis = 1) Duration connectTimeout,
		@DefaultValue("30s") @DurationMin(millis = 1) Duration readTimeout) {

	/** The defaults of every setting but where and who. */
	public static HubProperties of(URI url, String token, String namespace) {
		return new HubProperties(url, token, namespace, 1000, Duration.ofSeconds(300), 5, Duration.ofSeconds(1),
				Duration.ofSeconds(8), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30));
	}

	@Override
	public String toString() {
		return ("HubProperties[url=%s, token=%s, namespace=%s, requestsPerWindow=%d, window=%s, "
				+ "maxAttempts=%d, baseDelay=%s, maxDelay=%s, maxInlineWait=%s, connectTimeout=%s, readTimeout=%s]")
			.formatted(this.url, (this.token != null) ? "[redacted]" : null, this.namespace, this.requestsPerWindow,
					this.window, this.maxAttempts, this.baseDelay, this.maxDelay, this.maxInlineWait,
					this.connectTimeout, this.readTimeout);
	}

}
