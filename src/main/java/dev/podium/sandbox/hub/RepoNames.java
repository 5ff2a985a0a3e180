package dev.podium.sandbox.hub;

import java.util.regex.Pattern;

/**
 * Repo names and ids as the Hub accepts them (the official client's
 * {@code utils/_validators.py}): {@code name} or {@code namespace/name}; each part of
 * letters, digits, {@code -}, {@code _} and {@code .}, starting and ending with a letter,
 * digit or {@code _}; a name of at most 96 characters; no {@code --} or {@code ..}; no
 * {@code .git} at the end. Checked before a name goes into a URL, so that nothing else
 * ever does ({@code ../../api/whoami-v2} is no model id).
 */
final class RepoNames {

	private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_]([\\w\\-.]*[A-Za-z0-9_])?");

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]([\\w\\-.]{0,94}[A-Za-z0-9_])?");

	private RepoNames() {
	}

	static boolean isValidName(String name) {
		return name != null && NAME.matcher(name).matches() && !name.contains("--") && !name.contains("..")
				&& !name.endsWith(".git");
	}

	/** {@code name} or {@code namespace/name}. */
	static boolean isValidId(String id) {
		if (id == null || id.contains("--") || id.contains("..") || id.endsWith(".git")) {
			return false;
		}
		int slash = id.indexOf('/');
		if (slash < 0) {
			return isValidName(id);
		}
		return id.indexOf('/', slash + 1) < 0 && NAMESPACE.matcher(id.substring(0, slash)).matches()
				&& isValidName(id.substring(slash + 1));
	}

}
