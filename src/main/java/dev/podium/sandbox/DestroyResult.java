package dev.podium.sandbox;

import java.time.Instant;

/** What a provider answered to a deletion. */
public sealed interface DestroyResult {

	/** Gone now, or already. */
	record Destroyed() implements DestroyResult {
	}

	/** Could not be asked now; try again at {@code retryAt} ({@code null}: backoff). */
	record Unavailable(String reason, Instant retryAt) implements DestroyResult {
	}

}
