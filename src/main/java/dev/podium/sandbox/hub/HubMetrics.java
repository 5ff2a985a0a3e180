package dev.podium.sandbox.hub;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The client's meters. Calls are kinds ({@code spaces.runtime}), never paths, so that
 * Space names do not turn into an unbounded number of series.
 */
final class HubMetrics {

	private final MeterRegistry registry;

	HubMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void gauges(Supplier<CircuitState> circuit, Supplier<QuotaSnapshot> quota) {
		Gauge.builder("podium.hub.circuit_state", () -> circuit.get().ordinal())
			.description("0 closed, 1 open (failing fast), 2 half-open")
			.register(this.registry);
		Gauge.builder("podium.hub.quota.remaining", () -> quota.get().remaining())
			.description("API requests left in the Hub's current window, as the client knows it")
			.register(this.registry);
		Gauge.builder("podium.hub.quota.limit", () -> quota.get().limit())
			.description("API requests per window, as announced by the Hub or configured")
			.register(this.registry);
	}

	/**
	 * One request that reached the Hub ({@code podium_hub_calls_total}).
	 * @param outcome {@code ok}, {@code redirect}, {@code not_found}, {@code conflict},
	 * {@code rate_limited} (the api bucket), {@code limited} (another 429: repository
	 * creation), {@code denied}, {@code client_error}, {@code server_error} or
	 * {@code io_error}
	 */
	void call(String call, String outcome) {
		Counter.builder("podium.hub.calls")
			.description("Requests sent to the Hub, by kind of call and outcome")
			.tag("call", call)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	/**
	 * @param by {@code hub} when the Hub answered 429, {@code client} when the client
	 * deferred a call itself to stay under the quota
	 */
	void rateLimited(String call, String by) {
		Counter.builder("podium.hub.rate_limited").tag("call", call).tag("by", by).register(this.registry).increment();
	}

	void retry(String call) {
		Counter.builder("podium.hub.retries").tag("call", call).register(this.registry).increment();
	}

}
