package dev.podium.evaluation;

import java.time.Instant;

import dev.podium.MutableClock;
import dev.podium.sandbox.Listing;
import dev.podium.sandbox.SandboxProvider;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the engine tests start each test from, in their shared context: the same morning,
 * no sandbox alive at the provider or on record, no work, no charges, and an open budget.
 */
final class FreshEngine {

	static final Instant MORNING = Instant.parse("2026-11-23T10:00:00Z");

	private FreshEngine() {
	}

	static void reset(JdbcTemplate jdbc, SandboxProvider provider, MutableClock clock) {
		clock.set(MORNING);
		((Listing.Listed) provider.list()).names().forEach(provider::destroy);
		jdbc.update("delete from submissions");
		jdbc.update("delete from sandboxes");
		jdbc.update("delete from creation_charges");
		jdbc.update("delete from platform_fault_days");
		jdbc.update("update creation_budgets set creation_limit = 1000, blocked_until = null, version = version + 1");
	}

}
