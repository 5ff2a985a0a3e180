package dev.podium;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on the loopback that receives webhook deliveries as a receiver does:
 * it keeps each one and answers 204, or 503 to as many as it is told to fail.
 */
public final class WebhookReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger failuresToServe = new AtomicInteger();

	private WebhookReceiver(HttpServer server) {
		this.server = server;
	}

	public static WebhookReceiver start() throws IOException {
		WebhookReceiver receiver = new WebhookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
		receiver.server.createContext("/", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			boolean fail = receiver.failuresToServe.getAndUpdate((n) -> Math.max(0, n - 1)) > 0;
			receiver.received
				.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
			exchange.sendResponseHeaders(fail ? 503 : 204, -1);
			exchange.close();
		});
		receiver.server.start();
		return receiver;
	}

	/**
	 * @param pathAndQuery e.g. {@code /hook?token=x}
	 */
	public String url(String pathAndQuery) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + pathAndQuery;
	}

	/** What it received, in order. */
	public List<Received> received() {
		return this.received;
	}

	/** Answers the next {@code count} deliveries with 503. */
	public void failNext(int count) {
		this.failuresToServe.set(count);
	}

	/** Forgets what it received and the failures still to serve. */
	public void reset() {
		this.received.clear();
		this.failuresToServe.set(0);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	public record Received(String path, Map<String, List<String>> headers, String body) {

		public String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		/**
		 * The {@code webhook-signature} a Standard Webhooks sender puts on this delivery
		 * with the {@code whsec_} secret: what a receiver's library checks it against.
		 */
		public String expectedSignature(String secret) {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
						"HmacSHA256"));
				String signed = header("webhook-id") + "." + header("webhook-timestamp") + "." + this.body;
				return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
