package dev.podium.sandbox.hub;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.sandbox.hub.HubBodies.CreateSpace;
import dev.podium.sandbox.hub.HubBodies.KeyValue;
import dev.podium.sandbox.hub.HubBodies.RepoFile;
import dev.podium.sandbox.hub.HubBodies.RepoRef;
import dev.podium.sandbox.hub.HubBodies.RuntimeBody;
import dev.podium.sandbox.hub.HubBodies.SpaceBody;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Spaces endpoints Podium uses: create (with the files in the same call), delete,
 * runtime, secrets, and the namespace's listing with runtimes. Each answer becomes an
 * outcome.
 */
final class SpacesApi {

	private static final String JSON = "application/json";

	/** What the JavaScript client asks for; the Hub pages beyond it. */
	static final int PAGE_SIZE = 500;

	/** A namespace of this many pages of Spaces means something else is wrong. */
	private static final int MAX_PAGES = 200;

	private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>[^,]*;\\s*rel=\"?next\"?");

	private final HubCalls calls;

	private final HubProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	SpacesApi(HubCalls calls, HubProperties properties, JsonMapper json, Clock clock) {
		this.calls = calls;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
	}

	String idOf(String name) {
		return this.properties.namespace() + "/" + name;
	}

	CreateOutcome create(String name, String hardware, Map<String, String> secrets, Map<String, String> variables,
			Map<String, byte[]> files) {
		checkName(name);
		List<RepoFile> repoFiles = new ArrayList<>();
		files.forEach((path, content) -> repoFiles
			.add(new RepoFile(path, Base64.getEncoder().encodeToString(content), "base64")));
		CreateSpace body = new CreateSpace("space", name, this.properties.namespace(), "docker", "private", hardware,
				keyValues(secrets), keyValues(variables), repoFiles);
		HubCall call = new HubCall("repos.create", "POST", api("/api/repos/create"), this.json.writeValueAsBytes(body),
				JSON, this.properties.token(), true, true, false);
		HubCalls.Result result = this.calls.run(call);
		if (result instanceof HubCalls.Result.Deferred deferred) {
			return deferred.rateLimited() ? new CreateOutcome.Throttled(deferred.retryAt(), deferred.reason())
					: new Unavailable(deferred.retryAt(), deferred.reason());
		}
		if (result instanceof HubCalls.Result.Lost lost) {
			return new CreateOutcome.Unknown(lost.reason() + "; the Space may exist");
		}
		HubResponse response = ((HubCalls.Result.Answered) result).response();
		if (response.isSuccess()) {
			return new CreateOutcome.Created(idOf(name));
		}
		// the Hub has no reason to echo a secret, but should it, the message keeps none
		HubError error = error(response, secrets.values().toArray(String[]::new));
		int status = response.status();
		if (status == 409) {
			if (RetryPolicy.isConflictingOperation(response)) {
				// every attempt met another operation of the namespace: nothing was made
				return new CreateOutcome.Throttled(this.clock.instant().plus(this.properties.maxDelay()),
						error.describe(call.kind()));
			}
			return confirmExisting(name, error);
		}
		if (status == 429) {
			RateLimitHeaders limits = RateLimitHeaders.of(response, this.clock.instant());
			if (isApiBucket(response, limits)) {
				Duration wait = RetryPolicy.requiredWait(429, limits);
				return new CreateOutcome.Throttled(
						this.clock.instant().plus(wait.isZero() ? this.properties.maxDelay() : wait),
						error.describe(call.kind()));
			}
			Instant retryAt = (limits.retryAfter() != null) ? this.clock.instant().plus(limits.retryAfter()) : null;
			return new CreateOutcome.CreationLimited(retryAt, (error.message() != null) ? error.message()
					: "the Hub answered 429 to repos.create without saying why");
		}
		if (status == 408) {
			// the Hub did not receive the whole request: it made nothing
			return new Unavailable(null, error.describe(call.kind()));
		}
		if (status >= 500) {
			return new CreateOutcome.Unknown(error.describe(call.kind()) + "; the Space may exist");
		}
		return error.refused();
	}

	DeleteOutcome delete(String name) {
		checkName(name);
		byte[] body = this.json.writeValueAsBytes(new RepoRef("space", name, this.properties.namespace()));
		HubCall call = new HubCall("repos.delete", "DELETE", api("/api/repos/delete"), body, JSON,
				this.properties.token(), true, false, false);
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (response.isSuccess()) {
			return new DeleteOutcome.Deleted(true);
		}
		HubError error = error(response);
		if (error.isRepoNotFound()) {
			return new DeleteOutcome.Deleted(false);
		}
		return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
	}

	RuntimeOutcome runtime(String name) {
		checkName(name);
		HubCall call = HubCall.get("spaces.runtime", space(name, "runtime"), this.properties.token(), true);
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (response.isSuccess()) {
			RuntimeBody body = read(response, RuntimeBody.class);
			return (body != null && body.stage() != null) ? new RuntimeOutcome.Known(runtimeOf(body))
					: new Unavailable(null, "the Hub's runtime answer was unreadable");
		}
		HubError error = error(response);
		if (error.isRepoNotFound()) {
			return new RuntimeOutcome.Missing();
		}
		return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
	}

	SecretOutcome putSecret(String name, String key, String value) {
		checkName(name);
		byte[] body = this.json.writeValueAsBytes(new KeyValue(key, value));
		HubCall call = new HubCall("spaces.secrets", "POST", space(name, "secrets"), body, JSON,
				this.properties.token(), true, false, false);
		HubCalls.Result result = this.calls.run(call);
		if (!(result instanceof HubCalls.Result.Answered answered)) {
			return HubCalls.unavailable(result);
		}
		HubResponse response = answered.response();
		if (response.isSuccess()) {
			return new SecretOutcome.Stored();
		}
		HubError error = error(response, value);
		if (error.isRepoNotFound()) {
			return new SecretOutcome.Missing();
		}
		return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
	}

	/**
	 * The namespace's Spaces whose names {@code owns} accepts, with runtime and creation
	 * time, every page followed on the Hub's origin.
	 * @param search narrows what the Hub returns; its match is a case-insensitive
	 * substring of the whole id, so {@code owns} decides
	 */
	ListOutcome list(String search, Predicate<String> owns) {
		UriComponentsBuilder first = UriComponentsBuilder.fromUri(this.properties.url())
			.path("/api/spaces")
			.queryParam("author", this.properties.namespace());
		if (search != null && !search.isEmpty()) {
			first.queryParam("search", search);
		}
		URI next = first.queryParam("limit", PAGE_SIZE)
			// with expand, only _id, id and the expanded fields come back: ask for what
			// is read
			.queryParam("expand", "runtime", "createdAt")
			.encode()
			.build()
			.toUri();
		List<SpaceSummary> spaces = new ArrayList<>();
		for (int page = 0; next != null; page++) {
			if (page == MAX_PAGES) {
				return new Unavailable(null, "the Hub listed more than " + MAX_PAGES + " pages of Spaces");
			}
			HubCall call = HubCall.get("spaces.list", next, this.properties.token(), true);
			HubCalls.Result result = this.calls.run(call);
			if (!(result instanceof HubCalls.Result.Answered answered)) {
				return HubCalls.unavailable(result);
			}
			HubResponse response = answered.response();
			if (!response.isSuccess()) {
				HubError error = error(response);
				return error.isTransient() ? new Unavailable(null, error.describe(call.kind())) : error.refused();
			}
			SpaceBody[] bodies = read(response, SpaceBody[].class);
			if (bodies == null) {
				return new Unavailable(null, "the Hub's list of Spaces was unreadable");
			}
			for (SpaceBody space : bodies) {
				String id = space.id();
				String prefix = this.properties.namespace() + "/";
				if (id == null || !id.startsWith(prefix)) {
					continue;
				}
				String name = id.substring(prefix.length());
				if (owns.test(name)) {
					spaces.add(new SpaceSummary(id, name, space.createdAt(),
							(space.runtime() != null && space.runtime().stage() != null) ? runtimeOf(space.runtime())
									: null));
				}
			}
			next = nextPage(next, response.header("Link"));
			// the next page only on the Hub's own origin: the token must not travel
			// elsewhere
			if (next != null && !HubTransport.isSameOrigin(this.properties.url(), next)) {
				return new Unavailable(null, "the Hub linked its next page of Spaces to another origin");
			}
		}
		return new ListOutcome.Listed(spaces);
	}

	/**
	 * A 409 that is not the conflicting operation is "You already created this space
	 * repo": adopt it only once the Hub confirms the Space exists.
	 */
	private CreateOutcome confirmExisting(String name, HubError conflict) {
		RuntimeOutcome runtime = runtime(name);
		if (runtime instanceof RuntimeOutcome.Known known) {
			return new CreateOutcome.AlreadyExists(idOf(name), known.runtime());
		}
		if (runtime instanceof RuntimeOutcome.Missing) {
			return new CreateOutcome.Unknown(
					conflict.describe("repos.create") + ", but the Space does not exist (yet, or any more)");
		}
		return new CreateOutcome.Unknown(
				conflict.describe("repos.create") + ", and whether the Space exists could not be confirmed");
	}

	/**
	 * Whether a 429 on creation is the api bucket: its {@code RateLimit} shows
	 * {@code r=0}, or, without the header, the body speaks of api requests. Any other 429
	 * there is a per-action limit.
	 */
	private static boolean isApiBucket(HubResponse response, RateLimitHeaders limits) {
		if (limits.describesApiBucket()) {
			return limits.apiBucketEmpty();
		}
		return response.text().toLowerCase(Locale.ROOT).contains("api requests");
	}

	private HubError error(HubResponse response, String... alsoSecret) {
		String[] secrets = new String[alsoSecret.length + 1];
		secrets[0] = this.properties.token();
		System.arraycopy(alsoSecret, 0, secrets, 1, alsoSecret.length);
		return HubError.of(response, this.json, secrets);
	}

	private <T> T read(HubResponse response, Class<T> type) {
		try {
			return this.json.readValue(response.body(), type);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static SpaceRuntime runtimeOf(RuntimeBody body) {
		return new SpaceRuntime(body.stage(), body.errorMessage(),
				(body.hardware() != null) ? body.hardware().requested() : null,
				(body.hardware() != null) ? body.hardware().current() : null);
	}

	private URI api(String path) {
		return UriComponentsBuilder.fromUri(this.properties.url()).path(path).build().toUri();
	}

	private URI space(String name, String action) {
		return UriComponentsBuilder.fromUri(this.properties.url())
			.path("/api/spaces/{namespace}/{name}/{action}")
			.buildAndExpand(this.properties.namespace(), name, action)
			.encode()
			.toUri();
	}

	private static URI nextPage(URI current, String link) {
		if (link == null) {
			return null;
		}
		Matcher matcher = NEXT_LINK.matcher(link);
		if (!matcher.find()) {
			return null;
		}
		try {
			return current.resolve(matcher.group(1));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static List<KeyValue> keyValues(Map<String, String> entries) {
		List<KeyValue> list = new ArrayList<>();
		if (entries != null) {
			entries.forEach((key, value) -> list.add(new KeyValue(key, value)));
		}
		return list;
	}

	private static void checkName(String name) {
		if (!RepoNames.isValidName(name)) {
			throw new IllegalArgumentException("Not a valid Space name: " + name);
		}
	}

}
