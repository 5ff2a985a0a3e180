package dev.podium.sandbox.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The client's meters. Endpoints are templates ({@code spaces.runtime}), never paths, so
 * that Space names do not turn into an unbounded number of series.
 */
final class HubMetrics {

	private final MeterRegistry registry;

	HubMetrics(MeterRegistry registry, HubClient client) {
		this.registry = registry;
		Gauge.builder("podium.hub.circuit_state", client, (hub) -> hub.circuitState().ordinal())
			.description("0 closed, 1 open (failing fast), 2 half-open")
			.register(registry);
		Gauge.builder("podium.hub.quota.remaining", client, (hub) -> hub.quota().remaining())
			.description("API requests left in the Hub's current window, as the client knows it")
			.register(registry);
		Gauge.builder("podium.hub.quota.limit", client, (hub) -> hub.quota().limit())
			.description("API requests per window, as announced by the Hub or configured")
			.register(registry);
	}

	void request(String endpoint, String status) {
		Counter.builder("podium.hub.requests")
			.tag("endpoint", endpoint)
			.tag("status", status)
			.register(this.registry)
			.increment();
	}

	/**
	 * @param by {@code hub} when the Hub answered 429, {@code client} when the client
	 * deferred a call itself to stay under the quota
	 */
	void rateLimited(String endpoint, String by) {
		Counter.builder("podium.hub.rate_limited")
			.tag("endpoint", endpoint)
			.tag("by", by)
			.register(this.registry)
			.increment();
	}

	void retry(String endpoint) {
		Counter.builder("podium.hub.retries").tag("endpoint", endpoint).register(this.registry).increment();
	}

}
