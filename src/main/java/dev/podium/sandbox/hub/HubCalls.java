package dev.podium.sandbox.hub;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one logical call through the guards: the rate governor admits it, the transport
 * sends it, the retry policy decides whether to try again, and same-origin relative
 * redirects are followed where the call asks for it. The result is the final answer for
 * the caller to classify, or why there is none.
 */
final class HubCalls {

	private static final Logger log = LoggerFactory.getLogger(HubCalls.class);

	/** A renamed repo redirects once; a chain means something else. */
	static final int MAX_REDIRECTS = 5;

	private final HubTransport transport;

	private final RateGovernor governor;

	private final RetryPolicy retries;

	private final HubMetrics metrics;

	private final Clock clock;

	private final Pause pause;

	HubCalls(HubTransport transport, RateGovernor governor, RetryPolicy retries, HubMetrics metrics, Clock clock,
			Pause pause) {
		this.transport = transport;
		this.governor = governor;
		this.retries = retries;
		this.metrics = metrics;
		this.clock = clock;
		this.pause = pause;
	}

	/** Where a call ended. */
	sealed interface Result {

		/**
		 * The answer to classify: a success, a refusal, or a failure that spent every
		 * attempt (or that a creation may not repeat).
		 *
		 * @param uri where the answer came from, after any redirects
		 */
		record Answered(HubResponse response, URI uri) implements Result {
		}

		/**
		 * Nothing was carried out: wait until {@code retryAt} ({@code null}: the caller's
		 * own backoff).
		 *
		 * @param rateLimited a rate limit holds it (Podium's, or the Hub's api bucket),
		 * rather than an outage
		 */
		record Deferred(Instant retryAt, String reason, boolean rateLimited) implements Result {
		}

		/** A creation was sent and no answer came: the Hub may have carried it out. */
		record Lost(String reason) implements Result {
		}

	}

	/** The outcome of a call that brought no answer to classify. */
	static Unavailable unavailable(Result result) {
		if (result instanceof Result.Deferred deferred) {
			return new Unavailable(deferred.retryAt(), deferred.reason());
		}
		if (result instanceof Result.Lost lost) {
			return new Unavailable(null, lost.reason());
		}
		throw new IllegalArgumentException("An answer is classified, not unavailable: " + result);
	}

	Result run(HubCall call) {
		URI uri = call.uri();
		int attempt = 1;
		int redirects = 0;
		while (true) {
			var hold = this.governor.admit(call.ownToken());
			if (hold.isPresent()) {
				this.metrics.rateLimited(call.kind(), "client");
				return new Result.Deferred(hold.get().retryAt(), hold.get().reason() + "; " + call.kind() + " waits",
						true);
			}
			HubTransport.Exchange exchange = this.transport.send(call.method(), uri, call.body(), call.contentType(),
					call.token());
			if (exchange instanceof HubTransport.Exchange.CircuitOpen open) {
				return new Result.Deferred(open.retryAt(),
						"not calling the Hub (" + call.kind() + "): it failed repeatedly, calls resume after a pause",
						false);
			}
			if (exchange instanceof HubTransport.Exchange.NoAnswer none) {
				this.metrics.call(call.kind(), "io_error");
				log.warn("Hub {} failed without an answer (attempt {}): {}", call.kind(), attempt, none.reason());
				RetryPolicy.Decision decision = this.retries.afterNoAnswer(call, none.sent(), attempt);
				if (decision instanceof RetryPolicy.Decision.Retry retry && wait(call, retry.delay())) {
					attempt++;
					continue;
				}
				String reason = "the Hub did not answer " + call.kind() + " (" + none.reason() + ")";
				return (none.sent() && call.isCreation()) ? new Result.Lost(reason)
						: new Result.Deferred(null, reason + " in " + attempt + " attempt(s)", false);
			}
			HubResponse response = ((HubTransport.Exchange.Answer) exchange).response();
			RateLimitHeaders limits = RateLimitHeaders.of(response, this.clock.instant());
			this.governor.observe(limits, call.ownToken());
			this.metrics.call(call.kind(), outcomeOf(response, limits));
			logAnswer(call, response);
			if (call.followsRedirects() && response.isRedirect()) {
				URI next = sameOriginTarget(uri, response.header("Location"));
				if (next != null && redirects < MAX_REDIRECTS) {
					redirects++;
					uri = next;
					continue;
				}
				return new Result.Answered(response, uri);
			}
			RetryPolicy.Decision decision = this.retries.afterAnswer(call, response, limits, attempt);
			if (response.status() == 429) {
				this.metrics.rateLimited(call.kind(), "hub");
			}
			if (decision instanceof RetryPolicy.Decision.Defer defer) {
				return new Result.Deferred(
						this.clock.instant().plus(defer.delay()), "the Hub asked to wait " + defer.delay().toSeconds()
								+ " s before " + call.kind() + " again (" + response.status() + ")",
						response.status() == 429);
			}
			if (decision instanceof RetryPolicy.Decision.Retry retry && wait(call, retry.delay())) {
				attempt++;
				continue;
			}
			return new Result.Answered(response, uri);
		}
	}

	/**
	 * A redirect target the token may follow: a relative {@code Location} (a renamed
	 * repo's), or an absolute one on the Hub's own origin.
	 */
	private URI sameOriginTarget(URI current, String location) {
		if (location == null || location.isBlank()) {
			return null;
		}
		URI target;
		try {
			target = URI.create(location.trim());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (!target.isAbsolute() && target.getRawAuthority() != null) {
			// "//elsewhere/..." is relative in syntax only
			return null;
		}
		URI resolved = current.resolve(target);
		return this.transport.isSameOrigin(resolved) ? resolved : null;
	}

	private boolean wait(HubCall call, Duration duration) {
		this.metrics.retry(call.kind());
		if (duration.isNegative()) {
			return true;
		}
		try {
			// a jittered wait may come out at zero: it is still a wait (tests count them)
			this.pause.sleep(duration);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void logAnswer(HubCall call, HubResponse response) {
		int status = response.status();
		if (status == 429 || status >= 500) {
			log.warn("Hub {} answered {} (X-Request-Id {})", call.kind(), status, response.requestId());
		}
		else if (status >= 400) {
			log.info("Hub {} answered {} (X-Request-Id {})", call.kind(), status, response.requestId());
		}
	}

	/** The outcome tag of one request: a bounded set of words. */
	static String outcomeOf(HubResponse response, RateLimitHeaders limits) {
		int status = response.status();
		if (status >= 200 && status < 300) {
			return "ok";
		}
		if (status >= 300 && status < 400) {
			return "redirect";
		}
		if (status == 404) {
			return "not_found";
		}
		if (status == 409) {
			return "conflict";
		}
		if (status == 429) {
			return limits.apiBucketEmpty() ? "rate_limited" : "limited";
		}
		if (status == 401 || status == 403) {
			return "denied";
		}
		if (status < 500) {
			return "client_error";
		}
		return "server_error";
	}

}
