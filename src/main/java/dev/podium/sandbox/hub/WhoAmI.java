package dev.podium.sandbox.hub;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The owner of the token, as the Hub sees it.
 *
 * @param tokenRole {@code read}, {@code write} or {@code fineGrained}; {@code null} when
 * the Hub did not say
 * @param scopedPermissions for a {@code fineGrained} token, its permissions by the name
 * of the user or organization they apply to
 * ({@code auth.accessToken.fineGrained.scoped}); {@code null} when the Hub sent none
 */
public record WhoAmI(String name, List<String> orgs, String tokenRole, Map<String, List<String>> scopedPermissions) {

	/**
	 * The fine-grained permission that lets a token create, change and delete repos of a
	 * namespace. The Hub grants a scope's sub-scopes with it ({@code repo.write} covers
	 * {@code repo.content.write} and {@code repo.config.write}).
	 */
	static final String REPO_WRITE = "repo.write";

	public WhoAmI {
		orgs = List.copyOf(orgs);
		scopedPermissions = (scopedPermissions != null) ? Map.copyOf(scopedPermissions) : null;
	}

	public WhoAmI(String name, List<String> orgs, String tokenRole) {
		this(name, orgs, tokenRole, null);
	}

	/** Whether the token may act in a namespace: its own user, or one of its orgs. */
	public boolean canActIn(String namespace) {
		return namespace.equals(this.name) || this.orgs.contains(namespace);
	}

	/**
	 * Why this token cannot create and delete Spaces in the namespace; empty when it can,
	 * as far as the Hub's answer tells.
	 */
	public Optional<String> whyCannotManageSpacesIn(String namespace) {
		if (!canActIn(namespace)) {
			return Optional.of("the Hub token of '%s' cannot act in namespace '%s' (its organizations: %s)"
				.formatted(this.name, namespace, this.orgs));
		}
		if ("read".equals(this.tokenRole)) {
			return Optional
				.of(("the Hub token of '%s' is a read token: creating Spaces needs a write or " + "fine-grained token")
					.formatted(this.name));
		}
		if ("fineGrained".equals(this.tokenRole) && this.scopedPermissions != null) {
			List<String> granted = this.scopedPermissions.getOrDefault(namespace, List.of());
			if (!granted.contains(REPO_WRITE)) {
				return Optional.of(("the fine-grained Hub token of '%s' lacks '%s' in namespace '%s' (it has %s): it "
						+ "cannot create or delete Spaces there; add \"Write access to contents/settings of all repos\" "
						+ "for '%s' to the token")
					.formatted(this.name, REPO_WRITE, namespace, granted, namespace));
			}
		}
		return Optional.empty();
	}

	/**
	 * Whether the Hub's answer was too thin to tell: a fine-grained token whose scopes it
	 * did not list.
	 */
	public boolean scopesUnknown() {
		return "fineGrained".equals(this.tokenRole) && this.scopedPermissions == null;
	}

}
