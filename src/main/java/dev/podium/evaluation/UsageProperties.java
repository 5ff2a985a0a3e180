package dev.podium.evaluation;

import java.math.BigDecimal;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param pricesPerHour the price per hour of a hardware flavor, in {@code currency},
 * where it differs from the Hub's published price (a negotiated rate, a price change):
 * {@code podium.usage.prices-per-hour.t4-small=0.35}
 * @param currency what prices are in
 */
@ConfigurationProperties("podium.usage")
@Validated
public record UsageProperties(@DefaultValue Map<String, BigDecimal> pricesPerHour,
		@DefaultValue("USD") String currency) {
}
