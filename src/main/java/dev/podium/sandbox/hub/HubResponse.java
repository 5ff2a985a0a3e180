package dev.podium.sandbox.hub;

import org.springframework.http.HttpHeaders;

/** One answer of the Hub, read whole (they are small). */
record HubResponse(int status, HttpHeaders headers, byte[] body) {

	boolean isSuccess() {
		return this.status >= 200 && this.status < 300;
	}

	String errorCode() {
		return this.headers.getFirst("X-Error-Code");
	}

	String requestId() {
		return this.headers.getFirst("X-Request-Id");
	}

}
