package dev.podium.sandbox.hub;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.sandbox.hub.HubBodies.ModelBody;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The model endpoints a pre-flight needs: what a revision resolves to (its commit, to pin
 * it) and whether a token may download the files. Both follow the same-origin relative
 * redirects of a renamed repo ({@code gpt2} answers 307 to
 * {@code /api/models/openai-community/gpt2}).
 */
final class ModelsApi {

	private final HubCalls calls;

	private final HubProperties properties;

	private final JsonMapper json;

	ModelsApi(HubCalls calls, HubProperties properties, JsonMapper json) {
		this.calls = calls;
		this.properties = properties;
		this.json = json;
	}

	/**
	 * @param revision a branch, tag or commit; {@code null} for the default branch
	 * @param token the reading token; {@code null} for Podium's own
	 */
	ModelOutcome resolve(String model, String revision, String token) {
		if (!RepoNames.isValidId(model)) {
			return new ModelOutcome.NotFound("'" + model + "' is not a valid model id");
		}
		boolean atRevision = revision != null && !revision.isBlank();
		List<String> segments = new ArrayList<>(List.of("api", "models"));
		segments.addAll(List.of(model.split("/")));
		if (atRevision) {
			segments.add("revision");
			segments.add(revision);
		}
		String reader = reader(token);
		HubCall call = new HubCall("models.info", "GET", uri(segments), null, null, reader,
				reader.equals(this.properties.token()), false, true);
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (response.isSuccess()) {
			ModelBody body = read(response);
			if (body == null || body.sha() == null) {
				return new Unavailable(null, "the Hub's model answer was unreadable");
			}
			String resolved = (body.id() != null) ? body.id() : idFromPath(answered.uri(), model);
			return new ModelOutcome.Resolved(model, resolved, body.sha(), isGated(body.gated()),
					Boolean.TRUE.equals(body.isPrivate()));
		}
		HubError error = HubError.of(response, this.json, this.properties.token(), token);
		if (error.isRevisionNotFound()) {
			return new ModelOutcome.RevisionNotFound(revision);
		}
		if (error.isRepoNotFound() || error.isDisabled()) {
			return new ModelOutcome.NotFound(error.describe(call.kind()));
		}
		if (response.isRedirect()) {
			return new ModelOutcome.NotFound("the Hub redirected '" + model + "' off its own API");
		}
		return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
	}

	/**
	 * @param token the token the sandbox will download with; {@code null} checks as the
	 * sandbox would without one (anonymously)
	 */
	AccessOutcome checkAccess(String model, String token) {
		if (!RepoNames.isValidId(model)) {
			return new AccessOutcome.NotFound("'" + model + "' is not a valid model id");
		}
		List<String> segments = new ArrayList<>(List.of("api", "models"));
		segments.addAll(List.of(model.split("/")));
		segments.add("auth-check");
		String reader = (token != null && !token.isBlank()) ? token : null;
		HubCall call = new HubCall("models.auth-check", "GET", uri(segments), null, null, reader,
				this.properties.token().equals(reader), false, true);
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (response.isSuccess()) {
			return new AccessOutcome.Granted();
		}
		HubError error = HubError.of(response, this.json, this.properties.token(), token);
		if (error.isGated()) {
			return new AccessOutcome.Gated((error.message() != null) ? error.message()
					: "access to the gated model '" + model + "' was not granted to this token");
		}
		if (error.isRepoNotFound() || error.isDisabled()) {
			return new AccessOutcome.NotFound(error.describe(call.kind()));
		}
		return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
	}

	private String reader(String token) {
		return (token != null && !token.isBlank()) ? token : this.properties.token();
	}

	/** Each segment encoded on its own: a revision's {@code /} becomes {@code %2F}. */
	private URI uri(List<String> segments) {
		return UriComponentsBuilder.fromUri(this.properties.url())
			.pathSegment(segments.toArray(String[]::new))
			.build()
			.encode()
			.toUri();
	}

	/** {@code /api/models/<ns>/<name>[/...]} after redirects, when the body has no id. */
	private static String idFromPath(URI uri, String fallback) {
		String path = uri.getPath();
		String prefix = "/api/models/";
		int at = path.indexOf(prefix);
		if (at < 0) {
			return fallback;
		}
		String[] parts = path.substring(at + prefix.length()).split("/");
		if (parts.length >= 2 && !"revision".equals(parts[1])) {
			return parts[0] + "/" + parts[1];
		}
		return parts[0];
	}

	private static boolean isGated(JsonNode gated) {
		if (gated == null || gated.isNull() || gated.isMissingNode()) {
			return false;
		}
		if (gated.isBoolean()) {
			return gated.asBoolean();
		}
		return !gated.asString().isBlank() && !"false".equals(gated.asString());
	}

	private ModelBody read(HubResponse response) {
		try {
			return this.json.readValue(response.body(), ModelBody.class);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
