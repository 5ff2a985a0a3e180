package dev.podium.sandbox.hub;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON the Hub takes and gives, as far as Podium reads or writes it. */
final class HubBodies {

	private HubBodies() {
	}

	record WhoAmIBody(String name, List<Named> orgs, Auth auth) {
	}

	record Named(String name) {
	}

	record Auth(AccessToken accessToken) {
	}

	record AccessToken(String role) {
	}

	record RuntimeBody(String stage, String errorMessage) {
	}

	record SpaceBody(String id, Instant createdAt, RuntimeBody runtime) {
	}

	record ModelBody(String id, String sha) {
	}

	record ErrorBody(String error, @JsonProperty("error_description") String errorDescription) {
	}

	record KeyValue(String key, String value) {
	}

	record Key(String key) {
	}

	record RepoFile(String path, String content, String encoding) {
	}

	/**
	 * Sends both {@code private} and {@code visibility}: older and newer Hubs each read
	 * one.
	 */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record CreateSpace(String type, String name, String organization, String sdk,
			@JsonProperty("private") boolean privateRepo, String visibility, String hardware, List<KeyValue> secrets,
			List<KeyValue> variables, List<RepoFile> files) {
	}

	record RepoRef(String type, String name, String organization) {
	}

	record CommitLine(String key, Object value) {
	}

	record CommitHeader(String summary, String description) {
	}

}
