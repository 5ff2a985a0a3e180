package dev.podium.sandbox.hub;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** One answer of the Hub, read whole (they are small). */
record HubResponse(int status, HttpHeaders headers, byte[] body) {

	boolean isSuccess() {
		return this.status >= 200 && this.status < 300;
	}

	boolean isRedirect() {
		return this.status == 301 || this.status == 302 || this.status == 303 || this.status == 307
				|| this.status == 308;
	}

	/** The first value of a header, case-insensitively; {@code null} when absent. */
	String header(String name) {
		return this.headers.firstValue(name).orElse(null);
	}

	String errorCode() {
		return header("X-Error-Code");
	}

	String requestId() {
		return header("X-Request-Id");
	}

	String text() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

}
