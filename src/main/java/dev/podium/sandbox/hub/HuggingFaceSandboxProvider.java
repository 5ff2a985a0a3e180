package dev.podium.sandbox.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.PodiumProperties;
import dev.podium.sandbox.CreationRefusedException;
import dev.podium.sandbox.SandboxException;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxSpec;
import dev.podium.sandbox.SandboxState;
import dev.podium.sandbox.SandboxUnavailableException;
import dev.podium.sandbox.SandboxWork;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Sandboxes as private Docker Spaces in the configured namespace. A Space is created with
 * its evaluation app in the same call (the app is bundled into Podium's jar from
 * {@code docker/eval-space}), with the secrets it needs to call back: its callback URL, a
 * token valid for it alone, and for a private model the participant's read token. The
 * organizer's token never enters a Space.
 * <p>
 * The Hub client's outcomes meet the port here: a creation limit is a
 * {@link CreationRefusedException}; a pause, an outage or an unsettled creation a
 * {@link SandboxUnavailableException} (nothing fails, the work waits); a definitive
 * refusal a plain {@link SandboxException}.
 */
@Component
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "huggingface")
class HuggingFaceSandboxProvider implements SandboxProvider {

	private static final Logger log = LoggerFactory.getLogger(HuggingFaceSandboxProvider.class);

	static final String APP_LOCATION = "classpath*:eval-space/**";

	private static final String TOKEN_SECRET = "PODIUM_SANDBOX_TOKEN";

	private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	private final HubClient hub;

	private final URI publicUrl;

	private final Map<String, byte[]> appFiles;

	/**
	 * Exactly the names {@link SandboxProperties#nameOf} writes: whatever else the Hub's
	 * substring search returns is someone else's.
	 */
	private final Pattern ownNames;

	private final String namePrefix;

	HuggingFaceSandboxProvider(HubClient hub, SandboxProperties sandbox, PodiumProperties podium) {
		if (podium.publicUrl() == null) {
			throw new IllegalStateException("podium.public-url is required with podium.sandbox.provider=huggingface: "
					+ "it is where Spaces reach Podium's sandbox API");
		}
		this.hub = hub;
		this.publicUrl = podium.publicUrl();
		this.appFiles = loadApp();
		this.namePrefix = sandbox.namePrefix();
		this.ownNames = Pattern.compile(Pattern.quote(sandbox.namePrefix() + "-") + UUID);
		verifyToken();
	}

	/**
	 * Fails the start when the token is refused, cannot act in the namespace, or, for a
	 * fine-grained token, lacks the scope to create and delete repos there.
	 */
	private void verifyToken() {
		IdentityOutcome identity = this.hub.whoami();
		if (identity instanceof Refused refused) {
			throw new IllegalStateException("The Hub refused podium.hub.token: " + refused.describe());
		}
		if (identity instanceof Unavailable unavailable) {
			// Queued work waits for the Hub; there is no reason not to start.
			log.warn("Could not check the Hub token at start-up: {}", unavailable.reason());
			return;
		}
		WhoAmI me = ((IdentityOutcome.Identified) identity).whoami();
		Optional<String> problem = me.whyCannotManageSpacesIn(this.hub.namespace());
		if (problem.isPresent()) {
			throw new IllegalStateException("podium.hub.token: " + problem.get());
		}
		if (me.scopesUnknown()) {
			log.warn("The Hub did not list the scopes of the fine-grained token of '{}': whether it may create and "
					+ "delete Spaces in '{}' shows with the first creation", me.name(), this.hub.namespace());
		}
		log.info("Hub token of '{}' (role {}) creates Spaces in '{}'", me.name(), me.tokenRole(), this.hub.namespace());
	}

	@Override
	public String name() {
		return "huggingface";
	}

	@Override
	public boolean acceptsWork() {
		return this.hub.circuitState() != CircuitState.OPEN;
	}

	@Override
	public Optional<Refusal> preflight(SandboxWork.Item item, SandboxWork.TaskInfo task, String accessToken) {
		if (!"MODEL".equals(item.kind())) {
			return Optional.empty();
		}
		ModelOutcome model = this.hub.resolveModel(item.model(), item.revision(), accessToken);
		if (model instanceof ModelOutcome.NotFound) {
			return Optional.of(new Refusal(true,
					"Model '%s' does not exist or cannot be read with the token given".formatted(item.model())));
		}
		if (model instanceof ModelOutcome.RevisionNotFound) {
			return Optional
				.of(new Refusal(true, "Model '%s' has no revision '%s'".formatted(item.model(), item.revision())));
		}
		if (model instanceof Refused refused) {
			if (accessToken != null) {
				return Optional.of(new Refusal(true, "The Hub refused the access token given for model '%s': %s"
					.formatted(item.model(), refused.describe())));
			}
			throw new SandboxException("Model check of '" + item.model() + "': " + refused.describe());
		}
		if (model instanceof Unavailable unavailable) {
			throw unavailable(unavailable);
		}
		ModelOutcome.Resolved resolved = (ModelOutcome.Resolved) model;
		if (!resolved.gated()) {
			return Optional.empty();
		}
		// The Space downloads with the participant's token, or with none.
		AccessOutcome access = this.hub.checkAccess(resolved.resolvedId(), accessToken);
		if (access instanceof AccessOutcome.Gated gated) {
			return Optional.of(new Refusal(true, ((accessToken != null)
					? "Model '%s' is gated and the access token given was not granted access: request it on the Hub first (%s)"
					: "Model '%s' is gated: give an access token of an account that was granted access (%s)")
				.formatted(item.model(), gated.message())));
		}
		if (access instanceof AccessOutcome.NotFound) {
			return Optional.of(new Refusal(true,
					"Model '%s' does not exist or cannot be read with the token given".formatted(item.model())));
		}
		if (access instanceof Refused refused) {
			return Optional.of(new Refusal(true, "Model '%s' cannot be downloaded with the token given: %s"
				.formatted(item.model(), refused.describe())));
		}
		if (access instanceof Unavailable unavailable) {
			throw unavailable(unavailable);
		}
		return Optional.empty();
	}

	@Override
	public void create(SandboxSpec spec) {
		Map<String, String> secrets = new LinkedHashMap<>(spec.secrets());
		secrets.put("PODIUM_CALLBACK_URL", callbackUrl(spec));
		secrets.put(TOKEN_SECRET, spec.callbackToken());
		CreateOutcome outcome = this.hub.createSpace(spec.name(), spec.hardware(), secrets,
				Map.of("PODIUM_SANDBOX_ID", spec.sandboxId().toString()), this.appFiles);
		if (outcome instanceof CreateOutcome.Created) {
			return;
		}
		if (outcome instanceof CreateOutcome.AlreadyExists existing) {
			adopt(spec, existing.id());
			return;
		}
		if (outcome instanceof CreateOutcome.Unknown unknown) {
			// The Space may exist: look before creating again, which spends a creation.
			RuntimeOutcome runtime = this.hub.runtime(spec.name());
			if (runtime instanceof RuntimeOutcome.Known) {
				adopt(spec, this.hub.spaceId(spec.name()));
				return;
			}
			throw new SandboxUnavailableException(
					"The creation of " + spec.name() + " is unsettled (" + unknown.reason() + "); it is tried again",
					null, null);
		}
		if (outcome instanceof CreateOutcome.CreationLimited limited) {
			throw new CreationRefusedException("The Hub's creation limit: " + limited.message(), limited.retryAt());
		}
		if (outcome instanceof CreateOutcome.Throttled throttled) {
			throw new SandboxUnavailableException(throttled.reason(), throttled.retryAt(), null);
		}
		if (outcome instanceof Unavailable unavailable) {
			throw unavailable(unavailable);
		}
		throw new SandboxException("Creating " + spec.name() + ": " + ((Refused) outcome).describe());
	}

	/**
	 * Made by an earlier attempt whose answer was lost: it keeps working with the new
	 * token (the old one is unknown, only its hash was kept).
	 */
	private void adopt(SandboxSpec spec, String id) {
		SecretOutcome secret = this.hub.putSecret(spec.name(), TOKEN_SECRET, spec.callbackToken());
		if (secret instanceof SecretOutcome.Stored) {
			log.info("Adopted existing Space {}", id);
			return;
		}
		if (secret instanceof Unavailable unavailable) {
			throw unavailable(unavailable);
		}
		if (secret instanceof SecretOutcome.Missing) {
			throw new SandboxUnavailableException("Space " + id + " vanished while being adopted", null, null);
		}
		throw new SandboxException("Adopting " + id + ": " + ((Refused) secret).describe());
	}

	@Override
	public SandboxState state(String name) {
		RuntimeOutcome outcome = this.hub.runtime(name);
		if (outcome instanceof RuntimeOutcome.Missing) {
			return new SandboxState.Gone();
		}
		if (outcome instanceof Unavailable unavailable) {
			throw unavailable(unavailable);
		}
		if (outcome instanceof Refused refused) {
			throw new SandboxException("Runtime of " + name + ": " + refused.describe());
		}
		SpaceRuntime runtime = ((RuntimeOutcome.Known) outcome).runtime();
		switch (runtime.phase()) {
			case RUNNING:
				return new SandboxState.Ready();
			case FAILED:
				return new SandboxState.Failed(runtime.stage()
						+ ((runtime.errorMessage() != null) ? ": " + abbreviate(runtime.errorMessage()) : ""));
			case DELETING:
				return new SandboxState.Gone();
			case HALTED:
				// PAUSED right after creation: the namespace is out of hardware quota
				return new SandboxState.Failed("the Space is " + runtime.stage());
			default:
				// BUILDING, APP_STARTING and any stage this client does not know yet
				return new SandboxState.Starting(runtime.stage());
		}
	}

	@Override
	public void destroy(String name) {
		DeleteOutcome outcome = this.hub.deleteSpace(name);
		if (outcome instanceof Unavailable unavailable) {
			throw unavailable(unavailable);
		}
		if (outcome instanceof Refused refused) {
			throw new SandboxException("Deleting " + name + ": " + refused.describe());
		}
	}

	@Override
	public Set<String> list() {
		ListOutcome outcome = this.hub.listSpaces(this.namePrefix + "-",
				(name) -> this.ownNames.matcher(name).matches());
		if (outcome instanceof Unavailable unavailable) {
			throw unavailable(unavailable);
		}
		if (outcome instanceof Refused refused) {
			throw new SandboxException("Listing Spaces: " + refused.describe());
		}
		Set<String> names = new TreeSet<>();
		((ListOutcome.Listed) outcome).spaces().forEach((space) -> names.add(space.name()));
		return names;
	}

	private String callbackUrl(SandboxSpec spec) {
		return this.publicUrl.toString().replaceAll("/+$", "") + "/api/sandboxes/" + spec.sandboxId();
	}

	private static SandboxUnavailableException unavailable(Unavailable unavailable) {
		return new SandboxUnavailableException(unavailable.reason(), unavailable.retryAt(), null);
	}

	private static String abbreviate(String message) {
		return (message.length() > 300) ? message.substring(0, 300) + "..." : message;
	}

	/** The evaluation app's files, relative to {@code eval-space/}. */
	static Map<String, byte[]> loadApp() {
		try {
			Map<String, byte[]> files = new TreeMap<>();
			for (Resource resource : new PathMatchingResourcePatternResolver().getResources(APP_LOCATION)) {
				if (!resource.isReadable()) {
					continue;
				}
				String url = resource.getURL().toString();
				String path = url.substring(url.lastIndexOf("eval-space/") + "eval-space/".length());
				if (path.isEmpty() || path.endsWith("/") || path.contains("__pycache__")) {
					continue;
				}
				files.put(path, resource.getContentAsByteArray());
			}
			if (!files.containsKey("Dockerfile")) {
				throw new IllegalStateException("The evaluation app (eval-space/Dockerfile) is missing from the jar");
			}
			return files;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
