package dev.podium.sandbox;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The names this deployment gives its sandboxes, {@code <prefix>-<deploymentId>-<uuid>},
 * and the only test of whether a name is one of them. The Hub's {@code search} is a
 * case-insensitive substring match on the whole id, so whatever a listing returns, only a
 * name that parses here may be touched: never {@code notes-on-podium-eval-runs}, never
 * {@code Podium-Eval-archive}, never a name of another deployment that shares the
 * namespace.
 */
public final class SandboxNames {

	/**
	 * Lowercase letters and digits in hyphen-separated groups: no leading, trailing or
	 * double hyphen, so that a full name stays a valid Hub repo name.
	 */
	private static final Pattern PREFIX = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private static final Pattern DEPLOYMENT_ID = Pattern.compile("[a-z0-9]{4,16}");

	private static final Pattern CANONICAL_UUID = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	/** The Hub allows 96 characters in a repo name. */
	private static final int MAX_PREFIX_LENGTH = 40;

	private final String prefix;

	private final String deploymentId;

	private final String stem;

	/**
	 * @param prefix {@code podium.sandbox.name-prefix}, e.g. {@code podium-eval}
	 * @param deploymentId this deployment's id, generated once and kept in its database
	 */
	public SandboxNames(String prefix, String deploymentId) {
		if (prefix == null || prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches()) {
			throw new IllegalArgumentException("A sandbox name prefix is 1-" + MAX_PREFIX_LENGTH
					+ " lowercase letters or digits in hyphen-separated groups, not '" + prefix + "'");
		}
		if (deploymentId == null || !DEPLOYMENT_ID.matcher(deploymentId).matches()) {
			throw new IllegalArgumentException(
					"A deployment id is 4-16 lowercase letters or digits, not '" + deploymentId + "'");
		}
		this.prefix = prefix;
		this.deploymentId = deploymentId;
		this.stem = prefix + "-" + deploymentId + "-";
	}

	public String prefix() {
		return this.prefix;
	}

	public String deploymentId() {
		return this.deploymentId;
	}

	/**
	 * What every name of this deployment starts with; a listing's {@code search} term
	 * that narrows what the Hub returns (it still returns more, so filter with
	 * {@link #parse}).
	 */
	public String stem() {
		return this.stem;
	}

	/** The deterministic name of a sandbox: a repeated create finds the one it made. */
	public String nameOf(UUID sandboxId) {
		return this.stem + Objects.requireNonNull(sandboxId, "sandboxId");
	}

	/**
	 * The sandbox id of a name this deployment made, exactly as {@link #nameOf} writes
	 * it; empty for anything else (another case, another deployment, extra characters).
	 */
	public Optional<UUID> parse(String name) {
		if (name == null || !name.startsWith(this.stem)) {
			return Optional.empty();
		}
		String id = name.substring(this.stem.length());
		if (!CANONICAL_UUID.matcher(id).matches()) {
			return Optional.empty();
		}
		return Optional.of(UUID.fromString(id));
	}

	public boolean owns(String name) {
		return parse(name).isPresent();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof SandboxNames names && this.stem.equals(names.stem);
	}

	@Override
	public int hashCode() {
		return this.stem.hashCode();
	}

	@Override
	public String toString() {
		return "SandboxNames[" + this.stem + "<uuid>]";
	}

}
