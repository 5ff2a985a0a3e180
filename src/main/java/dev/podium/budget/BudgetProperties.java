package dev.podium.budget;

import java.time.Duration;
import java.time.ZoneId;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param namespace the Hub namespace whose Space creations the budget counts
 * @param limit the first limit; after that the database holds it and operators change it
 * @param windowMode FIXED calendar windows or a ROLLING window
 * @param window the window's length (ISO-8601, e.g. P1D; shorter ones serve demos and
 * tests)
 * @param zone where FIXED windows start at midnight
 */
@ConfigurationProperties("podium.budget")
@Validated
public record BudgetProperties(@DefaultValue("local") @NotBlank String namespace,
		@DefaultValue("20") @Min(0) @Max(100_000) int limit, @DefaultValue("FIXED") WindowMode windowMode,
		@DefaultValue("P1D") Duration window, @DefaultValue("UTC") ZoneId zone) {
}
