package dev.podium.evaluation;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param schedulerEnabled whether this instance claims and drives work on its own (tests
 * drive it by hand)
 * @param pollInterval how often the scheduler looks for work besides being woken by new
 * submissions
 * @param leaseDuration how long a sandbox stays with an instance that stopped renewing it
 * @param maxAttempts how many times a submission is tried before a platform failure is
 * final
 * @param retryBaseDelay the first retry's delay; each further retry doubles it, with
 * jitter
 * @param retryMaxDelay the longest delay between retries
 * @param reapInterval how often orphaned sandboxes (made but no longer tracked) are
 * looked for
 */
@ConfigurationProperties("podium.evaluation")
@Validated
public record EvaluationProperties(@DefaultValue("true") boolean schedulerEnabled,
		@DefaultValue("2s") Duration pollInterval, @DefaultValue("60s") Duration leaseDuration,
		@DefaultValue("3") @Min(1) @Max(20) int maxAttempts, @DefaultValue("30s") Duration retryBaseDelay,
		@DefaultValue("10m") Duration retryMaxDelay, @DefaultValue("5m") Duration reapInterval) {
}
