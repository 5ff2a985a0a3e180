package dev.podium.sandbox.hub;

import java.net.URI;

/**
 * One logical call to the Hub, as the guards see it.
 *
 * @param kind what it is, for meters and logs ({@code spaces.runtime}): a template, never
 * a path, so that Space names do not turn into series
 * @param token the bearer token to send; {@code null} sends none (anonymous)
 * @param ownToken whether {@code token} is Podium's own, whose api bucket the Hub's
 * headers then describe
 * @param creation whether the Hub may carry it out although no answer came, so that it is
 * never sent twice
 * @param followsRedirects whether same-origin relative redirects are followed (model
 * calls: a renamed repo answers 307)
 */
record HubCall(String kind, String method, URI uri, byte[] body, String contentType, String token, boolean ownToken,
		boolean creation, boolean followsRedirects) {

	static HubCall get(String kind, URI uri, String token, boolean ownToken) {
		return new HubCall(kind, "GET", uri, null, null, token, ownToken, false, false);
	}

	HubCall followingRedirects() {
		return new HubCall(this.kind, this.method, this.uri, this.body, this.contentType, this.token, this.ownToken,
				this.creation, true);
	}

	boolean isCreation() {
		return this.creation;
	}

	@Override
	public String toString() {
		return "HubCall[" + this.kind + " " + this.method + " " + this.uri.getRawPath() + "]";
	}

}
