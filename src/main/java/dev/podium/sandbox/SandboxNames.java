package dev.podium.sandbox;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names this deployment gives its sandboxes, {@code <prefix>-<deployment>-<uuid>},
 * and the strict test of whether a name is one of them. The deployment id is generated
 * once and stored in the database, so two deployments sharing a Hub namespace never take
 * each other's sandboxes for their own, and a name that merely contains the prefix (the
 * Hub's search matches substrings, case-insensitively) is never one of ours.
 */
public final class SandboxNames {

	private static final Pattern UUID_TEXT = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private final String prefix;

	private final Pattern own;

	public SandboxNames(String prefix, String deploymentId) {
		this.prefix = prefix + "-" + deploymentId + "-";
		this.own = Pattern.compile(Pattern.quote(this.prefix) + "(" + UUID_TEXT.pattern() + ")");
	}

	/** The deterministic name of a sandbox: a repeated create finds the one it made. */
	public String nameOf(UUID sandboxId) {
		return this.prefix + sandboxId;
	}

	/** The sandbox id in a name this deployment made; empty for any other name. */
	public Optional<UUID> parse(String name) {
		if (name == null) {
			return Optional.empty();
		}
		Matcher matcher = this.own.matcher(name);
		return matcher.matches() ? Optional.of(UUID.fromString(matcher.group(1))) : Optional.empty();
	}

	/** What every name of this deployment starts with (a search hint, never a test). */
	public String prefix() {
		return this.prefix;
	}

}
