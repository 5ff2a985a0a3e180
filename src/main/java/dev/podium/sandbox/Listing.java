package dev.podium.sandbox;

import java.util.Set;

/** The sandboxes a provider holds for this deployment, or why it could not say. */
public sealed interface Listing {

	record Listed(Set<String> names) implements Listing {
	}

	record Unavailable(String reason) implements Listing {
	}

}
