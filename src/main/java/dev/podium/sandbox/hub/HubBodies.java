package dev.podium.sandbox.hub;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/** The JSON the Hub takes and gives, as far as Podium reads or writes it. */
final class HubBodies {

	private HubBodies() {
	}

	record WhoAmIBody(String name, List<Named> orgs, Auth auth, String id, String type) {
	}

	/** A dataset's info: the commit of its main branch and every file's path. */
	record DatasetBody(String id, String sha, List<Sibling> siblings) {
	}

	record Sibling(String rfilename, Long size) {
	}

	record Named(String name) {
	}

	record Auth(AccessToken accessToken) {
	}

	record AccessToken(String role, FineGrained fineGrained) {
	}

	record FineGrained(List<Scoped> scoped) {
	}

	record Scoped(Named entity, List<String> permissions) {
	}

	record RuntimeBody(String stage, String errorMessage, Hardware hardware) {
	}

	record Hardware(String current, String requested) {
	}

	record SpaceBody(String id, Instant createdAt, RuntimeBody runtime) {
	}

	/** {@code gated} is {@code false}, {@code "auto"} or {@code "manual"}. */
	record ModelBody(String id, String sha, @JsonProperty("private") Boolean isPrivate, JsonNode gated) {
	}

	record KeyValue(String key, String value) {
	}

	record RepoFile(String path, String content, String encoding) {
	}

	/**
	 * Sends {@code visibility} alone, as current clients do (the official one refuses
	 * {@code private} together with it).
	 */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record CreateSpace(String type, String name, String organization, String sdk, String visibility, String hardware,
			List<KeyValue> secrets, List<KeyValue> variables, List<RepoFile> files) {
	}

	record RepoRef(String type, String name, String organization) {
	}

}
