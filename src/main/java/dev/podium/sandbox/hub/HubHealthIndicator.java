package dev.podium.sandbox.hub;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The Hub as organizers see it on {@code /actuator/health}: the circuit breaker's state
 * and what the client knows of the API quota. An open circuit shows as OUT_OF_SERVICE
 * rather than DOWN: Podium itself is healthy, and queued work simply waits.
 */
@Component("hub")
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "huggingface")
class HubHealthIndicator implements HealthIndicator {

	private final HubClient hub;

	HubHealthIndicator(HubClient hub) {
		this.hub = hub;
	}

	@Override
	public Health health() {
		CircuitState circuit = this.hub.circuitState();
		QuotaSnapshot quota = this.hub.quota();
		Health.Builder health = (circuit == CircuitState.OPEN) ? Health.outOfService() : Health.up();
		return health.withDetail("circuit", circuit.name())
			.withDetail("apiQuotaLimit", quota.limit())
			.withDetail("apiQuotaRemaining", quota.remaining())
			.withDetail("apiQuotaResetsAt", String.valueOf(quota.resetsAt()))
			.build();
	}

}
