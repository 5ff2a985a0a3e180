package dev.podium.sandbox.hub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.sandbox.hub.HubBodies.DatasetBody;
import dev.podium.sandbox.hub.HubBodies.Sibling;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads every file of a private dataset repo with Podium's token, pinned to one commit so
 * that the files belong together: the dataset's info ({@code GET /api/datasets/<id>}, its
 * {@code sha} and {@code siblings}) and then each file from
 * {@code /datasets/<id>/resolve/<sha>/<path>}. A large file may be redirected to a
 * storage host with a signed URL: that one request is made without the token, which never
 * leaves the Hub's origin.
 */
final class DatasetsApi {

	private final HubCalls calls;

	private final HubProperties properties;

	private final JsonMapper json;

	private final HttpClient storage;

	DatasetsApi(HubCalls calls, HubProperties properties, JsonMapper json) {
		this.calls = calls;
		this.properties = properties;
		this.json = json;
		this.storage = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	DatasetOutcome read(String repoId, long maxBytes) {
		if (!RepoNames.isValidId(repoId) || !repoId.contains("/")) {
			return new DatasetOutcome.NotFound("'" + repoId + "' is not a dataset id 'namespace/name'");
		}
		List<String> segments = new ArrayList<>(List.of("api", "datasets"));
		segments.addAll(List.of(repoId.split("/")));
		HubCall info = HubCall.get("datasets.info", uri(segments), this.properties.token(), true).followingRedirects();
		HubCalls.Result result = this.calls.run(info);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (!response.isSuccess()) {
			HubError error = HubError.of(response, this.json, this.properties.token());
			if (error.isRepoNotFound() || error.isDisabled()) {
				return new DatasetOutcome.NotFound(error.describe(info.kind()));
			}
			return error.isTransient() ? new Unavailable(null, error.describe(info.kind())) : error.refused();
		}
		DatasetBody body;
		try {
			body = this.json.readValue(response.body(), DatasetBody.class);
		}
		catch (JacksonException ex) {
			return new Unavailable(null, "the Hub's dataset answer was unreadable");
		}
		if (body.sha() == null || body.siblings() == null) {
			return new Unavailable(null, "the Hub's dataset answer named no commit or files");
		}
		long declared = body.siblings().stream().mapToLong((file) -> (file.size() != null) ? file.size() : 0).sum();
		if (declared > maxBytes) {
			return new DatasetOutcome.TooLarge(maxBytes);
		}
		Map<String, byte[]> files = new LinkedHashMap<>();
		long total = 0;
		for (Sibling sibling : body.siblings()) {
			String path = sibling.rfilename();
			if (path == null || path.isBlank()) {
				continue;
			}
			Object file = download(repoId, body.sha(), path);
			if (file instanceof DatasetOutcome outcome) {
				return outcome;
			}
			byte[] bytes = (byte[]) file;
			total += bytes.length;
			if (total > maxBytes) {
				return new DatasetOutcome.TooLarge(maxBytes);
			}
			files.put(path, bytes);
		}
		return new DatasetOutcome.Read(repoId, body.sha(), files);
	}

	/** The file's bytes, or the outcome that ends the read. */
	private Object download(String repoId, String sha, String path) {
		List<String> segments = new ArrayList<>(List.of("datasets"));
		segments.addAll(List.of(repoId.split("/")));
		segments.addAll(List.of("resolve", sha));
		segments.addAll(List.of(path.split("/")));
		HubCall call = HubCall.get("datasets.resolve", uri(segments), this.properties.token(), true)
			.followingRedirects();
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (response.isSuccess()) {
			return response.body();
		}
		if (response.isRedirect() && response.header("Location") != null) {
			return fromStorage(answered.uri(), response.header("Location"), path);
		}
		HubError error = HubError.of(response, this.json, this.properties.token());
		if (error.isRepoNotFound() || response.status() == 404) {
			return new DatasetOutcome.NotFound("'" + path + "' could not be read: " + error.describe(call.kind()));
		}
		return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
	}

	/**
	 * A redirect off the Hub's origin: a signed URL that needs no token, and gets none.
	 */
	private Object fromStorage(URI from, String location, String path) {
		URI target;
		try {
			target = from.resolve(URI.create(location.trim()));
		}
		catch (IllegalArgumentException ex) {
			return new Unavailable(null, "the Hub redirected '" + path + "' to an unreadable address");
		}
		if (!"https".equalsIgnoreCase(target.getScheme()) && !"http".equalsIgnoreCase(target.getScheme())) {
			return new Unavailable(null, "the Hub redirected '" + path + "' off HTTP");
		}
		try {
			HttpResponse<byte[]> answer = this.storage.send(HttpRequest.newBuilder(target)
				.timeout(this.properties.readTimeout().plus(Duration.ofSeconds(30)))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofByteArray());
			if (answer.statusCode() / 100 == 2) {
				return answer.body();
			}
			return new Unavailable(null, "the storage host answered " + answer.statusCode() + " for '" + path + "'");
		}
		catch (IOException ex) {
			return new Unavailable(null, "the storage host did not answer for '" + path + "'");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Unavailable(null, "interrupted while reading '" + path + "'");
		}
	}

	private URI uri(List<String> segments) {
		return UriComponentsBuilder.fromUri(this.properties.url())
			.pathSegment(segments.toArray(String[]::new))
			.build()
			.encode()
			.toUri();
	}

}
