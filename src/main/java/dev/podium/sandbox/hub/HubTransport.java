package dev.podium.sandbox.hub;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * Sends one request to the Hub and brings back its answer, or why none came. The token
 * goes into the {@code Authorization} header and nowhere else, and only to the Hub's own
 * origin: redirects are never followed here (the caller follows the same-origin relative
 * ones it wants), and a URI of another origin is refused before anything is sent.
 * <p>
 * A circuit breaker stops calling a Hub that keeps failing: two logical calls that spent
 * every attempt on 5xx open it, a few slow answers among many good ones do not. Refusals
 * (4xx) are the Hub working as it should and count as successes; a 429 counts as neither.
 */
final class HubTransport {

	private static final int CIRCUIT_WINDOW = 20;

	private static final int CIRCUIT_MINIMUM_CALLS = 10;

	private static final float CIRCUIT_FAILURE_RATE = 50;

	static final Duration CIRCUIT_OPEN_FOR = Duration.ofSeconds(30);

	private static final int CIRCUIT_TRIAL_CALLS = 3;

	private final URI origin;

	private final Duration readTimeout;

	private final HttpClient http;

	private final CircuitBreaker circuit;

	private final Clock clock;

	HubTransport(URI url, Duration connectTimeout, Duration readTimeout, Clock clock) {
		this.origin = Objects.requireNonNull(url, "url");
		this.readTimeout = readTimeout;
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			// Plain HTTP (a fake Hub, a proxy) has no HTTP/2 to negotiate: no h2c
			// upgrade.
			.version("http".equalsIgnoreCase(url.getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
			// A redirect would carry the token to wherever it points.
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.circuit = CircuitBreaker.of("hub", CircuitBreakerConfig.custom()
			.slidingWindow(CIRCUIT_WINDOW, CIRCUIT_MINIMUM_CALLS, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(CIRCUIT_FAILURE_RATE)
			.waitDurationInOpenState(CIRCUIT_OPEN_FOR)
			.permittedNumberOfCallsInHalfOpenState(CIRCUIT_TRIAL_CALLS)
			.clock(clock)
			.build());
	}

	/** What one exchange brought. */
	sealed interface Exchange {

		record Answer(HubResponse response) implements Exchange {
		}

		/**
		 * @param sent whether the request may have reached the Hub: {@code false} only
		 * when no connection was made
		 */
		record NoAnswer(String reason, boolean sent) implements Exchange {
		}

		/** Not sent: the circuit is open after repeated failures. */
		record CircuitOpen(Instant retryAt) implements Exchange {
		}

	}

	Exchange send(String method, URI uri, byte[] body, String contentType, String token) {
		if (!isSameOrigin(uri)) {
			throw new IllegalArgumentException("Refusing to send a Hub token to another origin: " + uri.getHost());
		}
		if (!this.circuit.tryAcquirePermission()) {
			return new Exchange.CircuitOpen(this.clock.instant().plus(CIRCUIT_OPEN_FOR));
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(this.readTimeout)
			.header("User-Agent", "podium")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody());
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		long start = this.circuit.getCurrentTimestamp();
		try {
			HttpResponse<byte[]> answer = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			HubResponse response = new HubResponse(answer.statusCode(), answer.headers(),
					(answer.body() != null) ? answer.body() : new byte[0]);
			record(response.status(), start);
			return new Exchange.Answer(response);
		}
		catch (HttpConnectTimeoutException | ConnectException ex) {
			this.circuit.onError(elapsedSince(start), this.circuit.getTimestampUnit(), ex);
			return new Exchange.NoAnswer(describe(ex), false);
		}
		catch (IOException ex) {
			this.circuit.onError(elapsedSince(start), this.circuit.getTimestampUnit(), ex);
			return new Exchange.NoAnswer(describe(ex), true);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.circuit.releasePermission();
			return new Exchange.NoAnswer("interrupted", true);
		}
	}

	CircuitState state() {
		switch (this.circuit.getState()) {
			case OPEN:
			case FORCED_OPEN:
				return CircuitState.OPEN;
			case HALF_OPEN:
				return CircuitState.HALF_OPEN;
			default:
				return CircuitState.CLOSED;
		}
	}

	/** Whether a URI is on the Hub's origin: same scheme, host and port. */
	boolean isSameOrigin(URI uri) {
		return isSameOrigin(this.origin, uri);
	}

	static boolean isSameOrigin(URI origin, URI uri) {
		return uri.isAbsolute() && origin.getScheme().equalsIgnoreCase(uri.getScheme()) && origin.getHost() != null
				&& origin.getHost().equalsIgnoreCase(uri.getHost()) && port(origin) == port(uri);
	}

	private void record(int status, long start) {
		if (status == 429) {
			this.circuit.releasePermission();
		}
		else if (status == 408 || status >= 500) {
			this.circuit.onError(elapsedSince(start), this.circuit.getTimestampUnit(), new FailedAnswer(status));
		}
		else {
			this.circuit.onSuccess(elapsedSince(start), this.circuit.getTimestampUnit());
		}
	}

	private long elapsedSince(long start) {
		return Math.max(0, this.circuit.getCurrentTimestamp() - start);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
	}

	private static String describe(Exception ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	/** A 5xx or 408, as the circuit breaker records it. */
	private static final class FailedAnswer extends RuntimeException {

		FailedAnswer(int status) {
			super("HTTP " + status, null, false, false);
		}

	}

}
