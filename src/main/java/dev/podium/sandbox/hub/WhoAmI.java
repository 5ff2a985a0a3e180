package dev.podium.sandbox.hub;

import java.util.List;

/**
 * The owner of the token, as the Hub sees it.
 *
 * @param tokenRole {@code read}, {@code write} or {@code fineGrained}; {@code null} when
 * the Hub did not say
 */
public record WhoAmI(String name, List<String> orgs, String tokenRole) {

	public WhoAmI {
		orgs = List.copyOf(orgs);
	}

	/** Whether the token may act in a namespace: its own user, or one of its orgs. */
	public boolean canActIn(String namespace) {
		return namespace.equals(this.name) || this.orgs.contains(namespace);
	}

}
