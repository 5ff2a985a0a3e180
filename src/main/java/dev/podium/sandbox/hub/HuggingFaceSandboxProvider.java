package dev.podium.sandbox.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.PodiumProperties;
import dev.podium.sandbox.CreateResult;
import dev.podium.sandbox.Deployment;
import dev.podium.sandbox.DestroyResult;
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
 * {@code docker/eval-space}) and one secret: a token valid for it alone, with which it
 * calls back for its jobs. A participant's read token comes with that participant's job;
 * the organizer's token never enters a Space.
 * <p>
 * The Hub client's outcomes meet the port's here, one sealed type onto another: nothing
 * is thrown for an answer of the Hub.
 */
@Component
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "huggingface")
class HuggingFaceSandboxProvider implements SandboxProvider {

	private static final Logger log = LoggerFactory.getLogger(HuggingFaceSandboxProvider.class);

	static final String APP_LOCATION = "classpath*:eval-space/**";

	private static final String TOKEN_SECRET = "PODIUM_SANDBOX_TOKEN";

	private final HubClient hub;

	private final URI publicUrl;

	private final Map<String, byte[]> appFiles;

	/** Whose names are ours: whatever else the Hub's substring search returns is not. */
	private final Deployment deployment;

	HuggingFaceSandboxProvider(HubClient hub, Deployment deployment, PodiumProperties podium) {
		if (podium.publicUrl() == null) {
			throw new IllegalStateException("podium.public-url is required with podium.sandbox.provider=huggingface: "
					+ "it is where Spaces reach Podium's sandbox API");
		}
		this.hub = hub;
		this.publicUrl = podium.publicUrl();
		this.appFiles = loadApp();
		this.deployment = deployment;
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

	/**
	 * Resolves the model (its id after renames, the commit of its revision) with the
	 * token the sandbox will download it with, and for a gated model asks the Hub whether
	 * that token was granted access.
	 */
	@Override
	public Preflight preflight(String model, String revision, String accessToken, SandboxCallbacks.JobTask task) {
		ModelOutcome outcome = this.hub.resolveModel(model, revision, accessToken);
		if (outcome instanceof ModelOutcome.NotFound) {
			return new Preflight.Refused(true,
					"Model '%s' does not exist or cannot be read with the token given".formatted(model));
		}
		if (outcome instanceof ModelOutcome.RevisionNotFound) {
			return new Preflight.Refused(true, "Model '%s' has no revision '%s'".formatted(model, revision));
		}
		if (outcome instanceof Refused refused) {
			if (accessToken != null) {
				return new Preflight.Refused(true, "The Hub refused the access token given for model '%s': %s"
					.formatted(model, refused.describe()));
			}
			return new Preflight.Unavailable("model check of '" + model + "': " + refused.describe(), null);
		}
		if (outcome instanceof Unavailable unavailable) {
			return new Preflight.Unavailable(unavailable.reason(), unavailable.retryAt());
		}
		ModelOutcome.Resolved resolved = (ModelOutcome.Resolved) outcome;
		String pinned = (resolved.sha() != null) ? resolved.sha() : revision;
		if (!resolved.gated()) {
			return new Preflight.Accepted(resolved.resolvedId(), pinned);
		}
		// The Space downloads with the participant's token, or with none.
		AccessOutcome access = this.hub.checkAccess(resolved.resolvedId(), accessToken);
		if (access instanceof AccessOutcome.Gated gated) {
			return new Preflight.Refused(true, ((accessToken != null)
					? "Model '%s' is gated and the access token given was not granted access: request it on the Hub first (%s)"
					: "Model '%s' is gated: give an access token of an account that was granted access (%s)")
				.formatted(model, gated.message()));
		}
		if (access instanceof AccessOutcome.NotFound) {
			return new Preflight.Refused(true,
					"Model '%s' does not exist or cannot be read with the token given".formatted(model));
		}
		if (access instanceof Refused refused) {
			return new Preflight.Refused(true,
					"Model '%s' cannot be downloaded with the token given: %s".formatted(model, refused.describe()));
		}
		if (access instanceof Unavailable unavailable) {
			return new Preflight.Unavailable(unavailable.reason(), unavailable.retryAt());
		}
		return new Preflight.Accepted(resolved.resolvedId(), pinned);
	}

	@Override
	public CreateResult create(SandboxSpec spec) {
		Map<String, String> secrets = new LinkedHashMap<>();
		secrets.put(TOKEN_SECRET, spec.callbackToken());
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("PODIUM_CALLBACK_URL", callbackUrl(spec));
		variables.put("PODIUM_SANDBOX_ID", spec.sandboxId().toString());
		CreateOutcome outcome = this.hub.createSpace(spec.name(), spec.hardware(), secrets, variables, this.appFiles);
		if (outcome instanceof CreateOutcome.Created) {
			return new CreateResult.Created(false);
		}
		if (outcome instanceof CreateOutcome.AlreadyExists existing) {
			return adopt(spec, existing.id());
		}
		if (outcome instanceof CreateOutcome.Unknown unknown) {
			// The Space may exist: the engine looks by name before creating again.
			return new CreateResult.Unknown(unknown.reason());
		}
		if (outcome instanceof CreateOutcome.CreationLimited limited) {
			return new CreateResult.CreationLimited(limited.retryAt(), limited.message());
		}
		if (outcome instanceof CreateOutcome.Throttled throttled) {
			return new CreateResult.Throttled(throttled.retryAt(), throttled.reason());
		}
		if (outcome instanceof Unavailable unavailable) {
			// nothing was sent, or nothing was made: try again later
			return new CreateResult.Throttled(unavailable.retryAt(), unavailable.reason());
		}
		Refused refused = (Refused) outcome;
		return new CreateResult.Refused(refused.status(), refused.describe());
	}

	/**
	 * Made by an earlier attempt whose answer was lost: it keeps working with the new
	 * token (the old one is unknown, only its hash was kept).
	 */
	private CreateResult adopt(SandboxSpec spec, String id) {
		SecretOutcome secret = this.hub.putSecret(spec.name(), TOKEN_SECRET, spec.callbackToken());
		if (secret instanceof SecretOutcome.Stored) {
			log.info("Adopted existing Space {}", id);
			return new CreateResult.Created(true);
		}
		if (secret instanceof Unavailable unavailable) {
			return new CreateResult.Unknown(
					"the existing Space " + id + " could not take its new token yet: " + unavailable.reason());
		}
		if (secret instanceof SecretOutcome.Missing) {
			return new CreateResult.Unknown("Space " + id + " vanished while being adopted");
		}
		return new CreateResult.Refused(((Refused) secret).status(),
				"adopting " + id + ": " + ((Refused) secret).describe());
	}

	@Override
	public SandboxState state(String name) {
		RuntimeOutcome outcome = this.hub.runtime(name);
		if (outcome instanceof RuntimeOutcome.Missing) {
			return new SandboxState.Gone();
		}
		if (outcome instanceof Unavailable unavailable) {
			return new SandboxState.Unobservable(unavailable.reason(), unavailable.retryAt());
		}
		if (outcome instanceof Refused refused) {
			return new SandboxState.Unobservable("runtime of " + name + ": " + refused.describe(), null);
		}
		return stateOf(((RuntimeOutcome.Known) outcome).runtime());
	}

	/**
	 * One paged list of the namespace's Spaces with their runtime answers for every live
	 * sandbox at once; only a Space the list does not show (yet) is asked about alone.
	 */
	@Override
	public Map<String, SandboxState> states(Collection<String> names) {
		Map<String, SandboxState> states = new LinkedHashMap<>();
		if (names.isEmpty()) {
			return states;
		}
		ListOutcome outcome = this.hub.listSpaces(this.deployment.names());
		Map<String, SpaceSummary> listed = (outcome instanceof ListOutcome.Listed found) ? found.byName() : Map.of();
		for (String name : names) {
			SpaceSummary space = listed.get(name);
			states.put(name, (space != null && space.runtime() != null) ? stateOf(space.runtime()) : state(name));
		}
		return states;
	}

	private static SandboxState stateOf(SpaceRuntime runtime) {
		switch (runtime.phase()) {
			case RUNNING:
				return new SandboxState.Ready(runtime.stage());
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
	public DestroyResult destroy(String name) {
		DeleteOutcome outcome = this.hub.deleteSpace(name);
		if (outcome instanceof Unavailable unavailable) {
			return new DestroyResult.Unavailable(unavailable.reason(), unavailable.retryAt());
		}
		if (outcome instanceof Refused refused) {
			return new DestroyResult.Unavailable("deleting " + name + ": " + refused.describe(), null);
		}
		return new DestroyResult.Destroyed();
	}

	@Override
	public Listing list() {
		ListOutcome outcome = this.hub.listSpaces(this.deployment.names());
		if (outcome instanceof Unavailable unavailable) {
			return new Listing.Unavailable(unavailable.reason());
		}
		if (outcome instanceof Refused refused) {
			return new Listing.Unavailable("listing Spaces: " + refused.describe());
		}
		Set<String> names = new TreeSet<>();
		((ListOutcome.Listed) outcome).spaces()
			.stream()
			.map(SpaceSummary::name)
			.filter(this.deployment.names()::owns)
			.forEach(names::add);
		return new Listing.Listed(names);
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
