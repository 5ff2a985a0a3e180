package dev.podium.sandbox.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.PodiumProperties;
import dev.podium.sandbox.CreateOutcome;
import dev.podium.sandbox.Deployment;
import dev.podium.sandbox.DestroyOutcome;
import dev.podium.sandbox.Listing;
import dev.podium.sandbox.Preflight;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxSpec;
import dev.podium.sandbox.SandboxState;

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
 */
@Component
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "huggingface")
class HuggingFaceSandboxProvider implements SandboxProvider {

	private static final Logger log = LoggerFactory.getLogger(HuggingFaceSandboxProvider.class);

	static final String APP_LOCATION = "classpath*:eval-space/**";

	private final HubClient hub;

	private final HubProperties properties;

	private final URI publicUrl;

	private final Map<String, byte[]> appFiles;

	private final Deployment deployment;

	HuggingFaceSandboxProvider(HubClient hub, HubProperties properties, PodiumProperties podium,
			Deployment deployment) {
		if (podium.publicUrl() == null) {
			throw new IllegalStateException("podium.public-url is required with podium.sandbox.provider=huggingface: "
					+ "it is where Spaces reach Podium's sandbox API");
		}
		this.hub = hub;
		this.properties = properties;
		this.deployment = deployment;
		this.publicUrl = podium.publicUrl();
		this.appFiles = loadApp();
		verifyToken();
	}

	/** Fails the start when the token is refused or cannot act in the namespace. */
	private void verifyToken() {
		try {
			WhoAmI me = this.hub.whoami();
			if (!me.canActIn(this.properties.namespace())) {
				throw new IllegalStateException("The Hub token of '%s' cannot create Spaces in namespace '%s'"
					.formatted(me.name(), this.properties.namespace()));
			}
			log.info("Hub token of '{}' (role {}) creates Spaces in '{}'", me.name(), me.tokenRole(),
					this.properties.namespace());
		}
		catch (HubRejectedException ex) {
			throw new IllegalStateException("The Hub refused podium.hub.token: " + ex.getMessage(), ex);
		}
		catch (HubUnavailableException | HubRateLimitedException ex) {
			// Queued work waits for the Hub; there is no reason not to start.
			log.warn("Could not check the Hub token at start-up: {}", ex.getMessage());
		}
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
	public Preflight preflight(String model, String revision, String accessToken, SandboxCallbacks.JobTask task) {
		ModelCheck check;
		try {
			check = this.hub.checkModel(model, revision, accessToken);
		}
		catch (HubRateLimitedException ex) {
			return new Preflight.Unavailable(ex.getMessage(), ex.retryAt());
		}
		catch (HubException ex) {
			return new Preflight.Unavailable(ex.getMessage(), null);
		}
		return switch (check.outcome()) {
			case FOUND -> new Preflight.Accepted(model, (check.sha() != null) ? check.sha() : revision);
			case NOT_FOUND -> new Preflight.Refused(true,
					"Model '%s' does not exist or cannot be read with the token given".formatted(model));
			case REVISION_NOT_FOUND ->
				new Preflight.Refused(true, "Model '%s' has no revision '%s'".formatted(model, revision));
		};
	}

	@Override
	public CreateOutcome create(SandboxSpec spec) {
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put("PODIUM_SANDBOX_TOKEN", spec.callbackToken());
		try {
			SpaceCreation creation = this.hub.createSpace(spec.name(), spec.hardware(), secrets,
					Map.of("PODIUM_SANDBOX_ID", spec.sandboxId().toString(), "PODIUM_CALLBACK_URL", callbackUrl(spec)),
					this.appFiles);
			if (!creation.created()) {
				// Made by an earlier attempt whose answer was lost: it keeps working with
				// the new token.
				this.hub.putSecret(spec.name(), "PODIUM_SANDBOX_TOKEN", spec.callbackToken());
				log.info("Adopted existing Space {}", creation.id());
			}
			return new CreateOutcome.Created(!creation.created());
		}
		catch (HubRateLimitedException ex) {
			return new CreateOutcome.CreationLimited(ex.retryAt(), ex.getMessage());
		}
		catch (HubRejectedException ex) {
			return new CreateOutcome.Refused(ex.status(), ex.getMessage());
		}
		catch (HubException ex) {
			return new CreateOutcome.Unknown(ex.getMessage());
		}
	}

	@Override
	public SandboxState state(String name) {
		SpaceRuntime runtime;
		try {
			runtime = this.hub.runtime(name);
		}
		catch (HubRejectedException ex) {
			if (ex.isNotFound()) {
				return new SandboxState.Gone();
			}
			return new SandboxState.Unobservable(ex.getMessage(), null);
		}
		catch (HubRateLimitedException ex) {
			return new SandboxState.Unobservable(ex.getMessage(), ex.retryAt());
		}
		catch (HubException ex) {
			return new SandboxState.Unobservable(ex.getMessage(), null);
		}
		return stateOf(runtime);
	}

	private static SandboxState stateOf(SpaceRuntime runtime) {
		if (runtime.isRunning()) {
			return new SandboxState.Ready(runtime.stage());
		}
		if (runtime.isFailed()) {
			return new SandboxState.Failed(runtime.stage()
					+ ((runtime.errorMessage() != null) ? ": " + abbreviate(runtime.errorMessage()) : ""));
		}
		if ("DELETING".equals(runtime.stage())) {
			return new SandboxState.Gone();
		}
		if ("PAUSED".equals(runtime.stage()) || "STOPPED".equals(runtime.stage())) {
			return new SandboxState.Failed("the Space is " + runtime.stage());
		}
		// BUILDING, APP_STARTING and any stage this client does not know yet
		return new SandboxState.Starting(runtime.stage());
	}

	@Override
	public DestroyOutcome destroy(String name) {
		try {
			this.hub.deleteSpace(name);
			return new DestroyOutcome.Destroyed();
		}
		catch (HubRateLimitedException ex) {
			return new DestroyOutcome.Unavailable(ex.getMessage(), ex.retryAt());
		}
		catch (HubException ex) {
			return new DestroyOutcome.Unavailable(ex.getMessage(), null);
		}
	}

	@Override
	public Listing list() {
		try {
			Set<String> names = new TreeSet<>();
			this.hub.listSpaces(this.deployment.names().prefix())
				.stream()
				.map(SpaceSummary::name)
				.filter((name) -> this.deployment.names().parse(name).isPresent())
				.forEach(names::add);
			return new Listing.Listed(names);
		}
		catch (HubException ex) {
			return new Listing.Unavailable(ex.getMessage());
		}
	}

	private String callbackUrl(SandboxSpec spec) {
		return this.publicUrl.toString().replaceAll("/+$", "") + "/api/sandboxes/" + spec.sandboxId();
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
