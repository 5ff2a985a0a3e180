package dev.podium.sandbox.hub;

import java.time.Clock;
import java.util.Map;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.sandbox.SandboxNames;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Podium's client of the Hugging Face Hub: the calls Podium makes, each answering with a
 * sealed outcome that names what the Hub meant, so that no caller catches exceptions for
 * Hub answers.
 * <p>
 * Every call passes the same guards. A rate governor keeps under the API quota (holding
 * calls until the window resets when the Hub's {@code RateLimit} header says the bucket
 * is empty, and under Podium's own limit). A retry policy repeats what failed on the
 * Hub's side, with exponential backoff and full jitter, never sooner than the Hub asked,
 * and never a creation the Hub may have carried out. A circuit breaker stops calling a
 * Hub that keeps failing. A wait longer than {@code maxInlineWait} is never slept inside
 * a call: it becomes an outcome with the time to come back.
 * <p>
 * The token goes into the {@code Authorization} header and nowhere else: not into logs,
 * outcomes or {@code toString()}, and never to another origin.
 */
@Component
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "huggingface")
public class HubClient {

	private final HubProperties properties;

	private final HubTransport transport;

	private final RateGovernor governor;

	private final SpacesApi spaces;

	private final ModelsApi models;

	private final IdentityApi identity;

	private final DatasetsApi datasets;

	@Autowired
	HubClient(HubProperties properties, Clock clock, ObjectProvider<MeterRegistry> meterRegistry) {
		this(properties, clock, meterRegistry.getIfAvailable(SimpleMeterRegistry::new), Pause.SLEEP);
	}

	/**
	 * @param pause how the client waits between tries; tests record instead of sleeping
	 */
	HubClient(HubProperties properties, Clock clock, MeterRegistry meterRegistry, Pause pause) {
		this.properties = properties;
		JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		HubMetrics metrics = new HubMetrics(meterRegistry);
		this.transport = new HubTransport(properties.url(), properties.connectTimeout(), properties.readTimeout(),
				clock);
		this.governor = new RateGovernor(clock, pause, properties.requestsPerWindow(), properties.window(),
				properties.maxInlineWait());
		RetryPolicy retries = new RetryPolicy(properties.maxAttempts(),
				new Backoff(properties.baseDelay(), properties.maxDelay()), properties.maxInlineWait());
		HubCalls calls = new HubCalls(this.transport, this.governor, retries, metrics, clock, pause);
		this.spaces = new SpacesApi(calls, properties, json, clock);
		this.models = new ModelsApi(calls, properties, json);
		this.identity = new IdentityApi(calls, properties, json, clock);
		this.datasets = new DatasetsApi(calls, properties, json);
		metrics.gauges(this::circuitState, this::quota);
	}

	/** The configured namespace, which owns Podium's Spaces. */
	public String namespace() {
		return this.properties.namespace();
	}

	/** {@code namespace/name} of one of Podium's Spaces. */
	public String spaceId(String name) {
		return this.spaces.idOf(name);
	}

	/**
	 * The owner of Podium's token; cached for an hour, as whoami-v2 is strictly limited.
	 */
	public IdentityOutcome whoami() {
		return this.identity.whoami();
	}

	/**
	 * Creates a private Docker Space with its files in the same call (no separate
	 * commit). A 5xx or a lost answer is {@link CreateOutcome.Unknown}, never retried
	 * here: check by name before creating again.
	 * @param name a valid repo name (a programming error otherwise)
	 * @param hardware a flavor such as {@code cpu-basic}
	 */
	public CreateOutcome createSpace(String name, String hardware, Map<String, String> secrets,
			Map<String, String> variables, Map<String, byte[]> files) {
		return this.spaces.create(name, hardware, secrets, variables, files);
	}

	/**
	 * Deletes a Space; one that is already gone (404 {@code RepoNotFound}) is deleted.
	 */
	public DeleteOutcome deleteSpace(String name) {
		return this.spaces.delete(name);
	}

	/** Where one Space stands; for a Space the latest listing does not show yet. */
	public RuntimeOutcome runtime(String name) {
		return this.spaces.runtime(name);
	}

	/** Adds or replaces a secret; the Space restarts to see it. */
	public SecretOutcome putSecret(String name, String key, String value) {
		return this.spaces.putSecret(name, key, value);
	}

	/**
	 * Every Space of this deployment in the namespace, with its runtime and creation
	 * time, in one paged listing: the status of all live sandboxes in a few calls. Only
	 * names that {@code names} parses are returned, whatever the Hub's substring search
	 * matched.
	 */
	public ListOutcome listSpaces(SandboxNames names) {
		return this.spaces.list(names.stem(), names::owns);
	}

	/**
	 * The namespace's Spaces whose names {@code owns} accepts.
	 * @param search narrows the Hub's answer (a case-insensitive substring of the whole
	 * id); {@code null} for none
	 */
	public ListOutcome listSpaces(String search, Predicate<String> owns) {
		return this.spaces.list(search, owns);
	}

	/**
	 * What a model's revision is now: its id after any rename and the commit to pin.
	 * @param revision a branch, tag or commit; {@code null} for the default branch
	 * @param token the token to read with (a participant's, for a private model);
	 * {@code null} for Podium's own
	 */
	public ModelOutcome resolveModel(String model, String revision, String token) {
		return this.models.resolve(model, revision, token);
	}

	/**
	 * Whether the sandbox will be able to download the model's files
	 * ({@code auth-check}): a gated model answers model info normally, but downloads only
	 * for tokens that were granted access.
	 * @param sandboxToken the token the sandbox will download with; {@code null} asks
	 * anonymously, as the sandbox will without one
	 */
	public AccessOutcome checkAccess(String model, String sandboxToken) {
		return this.models.checkAccess(model, sandboxToken);
	}

	/**
	 * Who owns a token that someone presented, by their stable user id
	 * ({@code whoami-v2}'s {@code id}); not cached. The token is used for this call only:
	 * never kept, never logged.
	 */
	public HubUserOutcome identify(String token) {
		return this.identity.identify(token);
	}

	/**
	 * Every file of a dataset repo that Podium's token may read, at its main branch's
	 * current commit.
	 * @param maxBytes the most bytes to read in all; a larger repo is
	 * {@link DatasetOutcome.TooLarge}
	 */
	public DatasetOutcome readDataset(String repoId, long maxBytes) {
		return this.datasets.read(repoId, maxBytes);
	}

	/** What the client knows of the Hub's API bucket for Podium's token. */
	public QuotaSnapshot quota() {
		return this.governor.snapshot();
	}

	public CircuitState circuitState() {
		return this.transport.state();
	}

	@Override
	public String toString() {
		return "HubClient[" + this.properties.url() + ", namespace=" + this.properties.namespace() + "]";
	}

}
