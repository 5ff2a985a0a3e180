package dev.podium.sandbox.hub;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Which answers are worth trying again inside a call, and after how long. As the official
 * client: 408, 429, 500, 502, 503 and 504, waits doubling from {@code baseDelay} to
 * {@code maxDelay} (with full jitter here), {@code t + 1} seconds on a 429 whose
 * {@code RateLimit} shows {@code r=0}, else {@code Retry-After}; never sooner than the
 * Hub asked. Unlike it, Podium also retries deletes, secrets and runtime calls (all safe
 * to repeat), and never repeats a creation the Hub may have carried out: a 5xx or a lost
 * answer to {@code repos/create} goes back to the caller, which checks by name. The one
 * 409 a creation retries is "another conflicting operation is in progress", which made
 * nothing.
 */
final class RetryPolicy {

	private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

	/** The Hub rounds {@code t} to seconds: come back a little after. */
	private static final Duration RESET_MARGIN = Duration.ofSeconds(1);

	private final int maxAttempts;

	private final Backoff backoff;

	private final Duration maxInlineWait;

	RetryPolicy(int maxAttempts, Backoff backoff, Duration maxInlineWait) {
		this.maxAttempts = maxAttempts;
		this.backoff = backoff;
		this.maxInlineWait = maxInlineWait;
	}

	/** What to do after an answer or its absence. */
	sealed interface Decision {

		/** Hand the answer to the caller. */
		record Done() implements Decision {
		}

		/** Try again after {@code wait}. */
		record Retry(Duration delay) implements Decision {
		}

		/** The Hub asked for a pause longer than a call waits inline. */
		record Defer(Duration delay) implements Decision {
		}

	}

	Decision afterAnswer(HubCall call, HubResponse response, RateLimitHeaders limits, int attempt) {
		if (!worthRetrying(call, response)) {
			return new Decision.Done();
		}
		Duration required = requiredWait(response.status(), limits);
		if (required.compareTo(this.maxInlineWait) > 0) {
			return new Decision.Defer(required);
		}
		if (attempt >= this.maxAttempts) {
			return new Decision.Done();
		}
		Duration jittered = this.backoff.delay(attempt);
		return new Decision.Retry((jittered.compareTo(required) >= 0) ? jittered : required);
	}

	/**
	 * @param sent whether the request may have reached the Hub (a read timeout, a reset
	 * connection), rather than failed to connect
	 */
	Decision afterNoAnswer(HubCall call, boolean sent, int attempt) {
		if ((sent && call.isCreation()) || attempt >= this.maxAttempts) {
			return new Decision.Done();
		}
		return new Decision.Retry(this.backoff.delay(attempt));
	}

	int maxAttempts() {
		return this.maxAttempts;
	}

	private static boolean worthRetrying(HubCall call, HubResponse response) {
		int status = response.status();
		if (call.isCreation()) {
			// 408: the Hub did not get the whole request, so it made nothing
			return status == 408 || (status == 409 && isConflictingOperation(response));
		}
		return RETRYABLE.contains(status);
	}

	/** "Cannot create repo: another conflicting operation is in progress". */
	static boolean isConflictingOperation(HubResponse response) {
		return response.status() == 409 && response.text().toLowerCase(Locale.ROOT).contains("conflicting operation");
	}

	/**
	 * What the Hub asked for: on a 429, {@code t + 1} when the api bucket is empty, and
	 * {@code Retry-After} on any answer; the later of the two when both are there.
	 */
	static Duration requiredWait(int status, RateLimitHeaders limits) {
		Duration required = Duration.ZERO;
		if (status == 429 && limits.apiBucketEmpty()) {
			required = limits.reset().plus(RESET_MARGIN);
		}
		if (limits.retryAfter() != null && limits.retryAfter().compareTo(required) > 0) {
			required = limits.retryAfter();
		}
		return required;
	}

}
