package dev.podium.sandbox.hub;

import java.time.Instant;

/**
 * The call did not settle anything and can be made again later: the Hub is down, failed
 * through every retry, its circuit is open, or a rate limit asks for a pause longer than
 * a call waits inline. Nothing is wrong with the work.
 *
 * @param retryAt when to try again; {@code null} for the caller's own backoff
 * @param reason what happened, for logs; never a token
 */
public record Unavailable(Instant retryAt, String reason)
		implements
			CreateOutcome,
			DeleteOutcome,
			RuntimeOutcome,
			SecretOutcome,
			ListOutcome,
			ModelOutcome,
			AccessOutcome,
			IdentityOutcome,
			DatasetOutcome,
			HubUserOutcome {
}
