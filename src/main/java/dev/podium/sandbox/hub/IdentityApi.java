package dev.podium.sandbox.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.sandbox.hub.HubBodies.AccessToken;
import dev.podium.sandbox.hub.HubBodies.Named;
import dev.podium.sandbox.hub.HubBodies.Scoped;
import dev.podium.sandbox.hub.HubBodies.WhoAmIBody;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * Who owns Podium's token ({@code whoami-v2}), cached: it has a strict limit of its own.
 */
final class IdentityApi {

	/** Its answer hardly ever changes. */
	static final Duration TTL = Duration.ofHours(1);

	private final HubCalls calls;

	private final HubProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	private WhoAmI cached;

	private Instant expiresAt;

	IdentityApi(HubCalls calls, HubProperties properties, JsonMapper json, Clock clock) {
		this.calls = calls;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
	}

	synchronized IdentityOutcome whoami() {
		Instant now = this.clock.instant();
		if (this.cached != null && now.isBefore(this.expiresAt)) {
			return new IdentityOutcome.Identified(this.cached);
		}
		HubCall call = HubCall.get("whoami",
				UriComponentsBuilder.fromUri(this.properties.url()).path("/api/whoami-v2").build().toUri(),
				this.properties.token(), true);
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (!response.isSuccess()) {
			HubError error = HubError.of(response, this.json, this.properties.token());
			return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
		}
		WhoAmIBody body;
		try {
			body = this.json.readValue(response.body(), WhoAmIBody.class);
		}
		catch (JacksonException ex) {
			return new Unavailable(null, "the Hub's whoami answer was unreadable");
		}
		this.cached = whoamiOf(body);
		this.expiresAt = now.plus(TTL);
		return new IdentityOutcome.Identified(this.cached);
	}

	/**
	 * Who owns a token someone else presented (a participant signing in): not cached, not
	 * Podium's own bucket, and the token goes nowhere but this one call.
	 */
	HubUserOutcome identify(String token) {
		HubCall call = HubCall.get("whoami.user",
				UriComponentsBuilder.fromUri(this.properties.url()).path("/api/whoami-v2").build().toUri(), token,
				false);
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (response.status() == 401) {
			return new HubUserOutcome.InvalidToken("the Hub does not know this token");
		}
		if (!response.isSuccess()) {
			HubError error = HubError.of(response, this.json, this.properties.token(), token);
			return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
		}
		WhoAmIBody body;
		try {
			body = this.json.readValue(response.body(), WhoAmIBody.class);
		}
		catch (JacksonException ex) {
			return new Unavailable(null, "the Hub's whoami answer was unreadable");
		}
		if (body.id() == null || body.id().isBlank()) {
			return new Unavailable(null, "the Hub's whoami answer named no user id");
		}
		if (body.type() != null && !"user".equals(body.type())) {
			return new HubUserOutcome.InvalidToken("the token belongs to an " + body.type() + ", not to a user");
		}
		return new HubUserOutcome.Identified(new HubUser(body.id(), body.name()));
	}

	private static WhoAmI whoamiOf(WhoAmIBody body) {
		List<String> orgs = (body.orgs() != null) ? body.orgs().stream().map(Named::name).toList() : List.of();
		AccessToken token = (body.auth() != null) ? body.auth().accessToken() : null;
		String role = (token != null) ? token.role() : null;
		Map<String, List<String>> scoped = null;
		if (token != null && token.fineGrained() != null && token.fineGrained().scoped() != null) {
			scoped = new LinkedHashMap<>();
			for (Scoped scope : token.fineGrained().scoped()) {
				if (scope.entity() != null && scope.entity().name() != null) {
					scoped.merge(scope.entity().name(),
							(scope.permissions() != null) ? List.copyOf(scope.permissions()) : List.of(),
							(a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
				}
			}
		}
		return new WhoAmI(body.name(), orgs, role, scoped);
	}

}
