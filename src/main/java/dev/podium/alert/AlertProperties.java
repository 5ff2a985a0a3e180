package dev.podium.alert;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param webhooks every URL that receives each alert as a JSON POST
 * @param webhookSecret signs every delivery (Standard Webhooks): {@code whsec_<base64>};
 * required with webhooks
 * @param maxAttempts how often a delivery is tried before it is given up
 * @param retryBaseDelay the first retry's delay, doubled for each further one
 * @param timeout how long one delivery may take; a slow webhook never holds up anything
 * else
 * @param mailFrom the sender of every mail Podium sends (with {@code spring.mail.host})
 */
@ConfigurationProperties("podium.alerts")
@Validated
public record AlertProperties(@DefaultValue List<URI> webhooks, String webhookSecret,
		@DefaultValue("10") @Min(1) int maxAttempts, @DefaultValue("10s") Duration retryBaseDelay,
		@DefaultValue("5s") Duration timeout, @DefaultValue("Podium <podium@localhost>") String mailFrom) {

	@Override
	public String toString() {
		return "AlertProperties[webhooks=%d, webhookSecret=<redacted>, maxAttempts=%d]".formatted(this.webhooks.size(),
				this.maxAttempts);
	}

}
