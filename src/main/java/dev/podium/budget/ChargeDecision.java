package dev.podium.budget;

import java.time.Instant;

/**
 * The budget's answer to a creation.
 *
 * @param reason why it was denied: SPENT, BLOCKED (the Hub said 429) or PAUSED (limit 0)
 * @param retryAt when asking again may succeed; {@code null} when only an operator can
 * change it (a limit of 0)
 */
public record ChargeDecision(boolean allowed, String reason, Instant retryAt) {

	static ChargeDecision granted() {
		return new ChargeDecision(true, null, null);
	}

	static ChargeDecision denied(String reason, Instant retryAt) {
		return new ChargeDecision(false, reason, retryAt);
	}

}
