package dev.podium.sandbox.hub;

import java.nio.charset.StandardCharsets;

/**
 * One request the {@link FakeHub} answered, for assertions.
 *
 * @param path the raw (still percent-encoded) path
 * @param query the raw query, or {@code null}
 * @param authorization the {@code Authorization} header as sent, or {@code null}
 * @param status what the fake answered
 */
public record RecordedRequest(String method, String path, String query, String authorization, String contentType,
		byte[] body, int status) {

	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	public boolean is(String method, String pathPrefix) {
		return this.method.equals(method) && this.path.startsWith(pathPrefix);
	}

	@Override
	public String toString() {
		return this.method + " " + this.path + ((this.query != null) ? "?" + this.query : "") + " -> " + this.status;
	}

}
