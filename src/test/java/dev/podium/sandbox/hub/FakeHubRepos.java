package dev.podium.sandbox.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.json.JsonMapper;

/**
 * The part of the fake Hub that serves dataset repos (a huggingface/competitions
 * competition repo) and users other than Podium's bot, kept apart from the Space
 * simulation: {@code GET /api/datasets/<id>} (its {@code sha} and {@code siblings}),
 * {@code GET /datasets/<id>/resolve/<revision>/<path>} (a file's bytes), and
 * {@code GET /api/whoami-v2} for the tokens of registered users (their 24-hex {@code id}
 * and name). {@link FakeHub} asks it first and answers everything else itself.
 */
public final class FakeHubRepos {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, Dataset> datasets = new ConcurrentHashMap<>();

	private final Map<String, User> users = new ConcurrentHashMap<>();

	private final AtomicInteger userWhoamiCalls = new AtomicInteger();

	/** A reply, or {@code null} from {@link #reply} to let the fake Hub answer. */
	record Reply(int status, byte[] body, String contentType, Map<String, String> headers) {

		static Reply json(int status, Object body) {
			return new Reply(status, json.writeValueAsBytes(body), "application/json; charset=utf-8", Map.of());
		}

		static Reply error(int status, String message, String code) {
			return new Reply(status, json.writeValueAsBytes(Map.of("error", message)),
					"application/json; charset=utf-8", Map.of("X-Error-Code", code, "X-Error-Message", message));
		}

	}

	private record Dataset(String id, String sha, Map<String, byte[]> files, Set<String> readers) {
	}

	private record User(String id, String name) {
	}

	/**
	 * A private dataset repo that only the given tokens may read.
	 */
	public FakeHubRepos addDataset(String id, Map<String, byte[]> files, Set<String> readers) {
		this.datasets.put(id, new Dataset(id, sha(id, files), new LinkedHashMap<>(files), Set.copyOf(readers)));
		return this;
	}

	/** A Hugging Face user whose token {@code whoami-v2} knows. */
	public FakeHubRepos addUser(String token, String id, String name) {
		this.users.put(token, new User(id, name));
		return this;
	}

	/** How often a registered user's token was checked with {@code whoami-v2}. */
	public int userWhoamiCalls() {
		return this.userWhoamiCalls.get();
	}

	Reply reply(String method, String path, String bearer) {
		if (!method.equals("GET")) {
			return null;
		}
		if (path.equals("/api/whoami-v2")) {
			User user = (bearer != null) ? this.users.get(bearer) : null;
			if (user == null) {
				return null;
			}
			this.userWhoamiCalls.incrementAndGet();
			return Reply.json(200, Map.of("type", "user", "id", user.id(), "name", user.name(), "fullname", user.name(),
					"orgs", List.of(), "auth",
					Map.of("type", "access_token", "accessToken", Map.of("displayName", "mine", "role", "read"))));
		}
		List<String> segments = List.of(path.substring(1).split("/"));
		if (path.startsWith("/api/datasets/") && segments.size() == 4) {
			Dataset dataset = readable(segments.get(2) + "/" + segments.get(3), bearer);
			if (dataset == null) {
				return Reply.error(404, "Repository not found", "RepoNotFound");
			}
			List<Map<String, Object>> siblings = new ArrayList<>();
			dataset.files().forEach((name, bytes) -> siblings.add(Map.of("rfilename", name, "size", bytes.length)));
			return Reply.json(200, Map.of("_id", "65fake", "id", dataset.id(), "sha", dataset.sha(), "private", true,
					"siblings", siblings));
		}
		if (path.startsWith("/datasets/") && segments.size() >= 6 && segments.get(3).equals("resolve")) {
			Dataset dataset = readable(segments.get(1) + "/" + segments.get(2), bearer);
			if (dataset == null) {
				return Reply.error(404, "Repository not found", "RepoNotFound");
			}
			String revision = segments.get(4);
			if (!revision.equals("main") && !revision.equals(dataset.sha())) {
				return Reply.error(404, "Invalid rev id: " + revision, "RevisionNotFound");
			}
			String file = java.net.URLDecoder.decode(String.join("/", segments.subList(5, segments.size())),
					StandardCharsets.UTF_8);
			byte[] bytes = dataset.files().get(file);
			if (bytes == null) {
				return Reply.error(404, "Entry not found", "EntryNotFound");
			}
			return new Reply(200, bytes, "application/octet-stream", Map.of("X-Repo-Commit", dataset.sha()));
		}
		return null;
	}

	private Dataset readable(String id, String bearer) {
		Dataset dataset = this.datasets.get(id);
		return (dataset != null && bearer != null && dataset.readers().contains(bearer)) ? dataset : null;
	}

	private static String sha(String id, Map<String, byte[]> files) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-1");
			digest.update(id.getBytes(StandardCharsets.UTF_8));
			files.forEach((name, bytes) -> {
				digest.update(name.getBytes(StandardCharsets.UTF_8));
				digest.update(bytes);
			});
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
