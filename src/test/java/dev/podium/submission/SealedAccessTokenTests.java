package dev.podium.submission;

import java.time.Instant;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.security.SecretBox;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A private model's Hub token is sealed for its own submission and no other. */
@PodiumTest
class SealedAccessTokenTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	SecretBox secrets;

	@Test
	void theStoredTokenOpensOnlyForItsSubmission() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		TestSupport api = new TestSupport(this.mvc);
		api.createCompetition("sealed-tokens", TestSupport.modelTask("models"));
		String alice = api.addParticipant("sealed-tokens", "alice");
		String body = require(this.mvc.post()
			.uri("/api/competitions/sealed-tokens/tasks/models/submissions")
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"alice/private\",\"accessToken\":\"hf_aliceReadToken42\"}")
			.exchange(), 201);
		UUID id = UUID.fromString(JsonPath.read(body, "$.id"));
		byte[] sealed = this.jdbc.queryForObject("select access_token_sealed from submissions where id = ?",
				byte[].class, id);
		assertThat(this.secrets.open(sealed, id)).isEqualTo("hf_aliceReadToken42");
		assertThat(this.secrets.isSealedWithCurrentKey(sealed)).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> this.secrets.open(sealed, UUID.randomUUID()));
	}

	@Test
	void theTokenIsErasedOnceTheSubmissionIsFinal() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		TestSupport api = new TestSupport(this.mvc);
		api.createCompetition("sealed-erased", TestSupport.modelTask("models"));
		String alice = api.addParticipant("sealed-erased", "alice");
		String body = require(this.mvc.post()
			.uri("/api/competitions/sealed-erased/tasks/models/submissions")
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"model\":\"alice/private\",\"accessToken\":\"" + TestSupport.issued("hf_aliceEraseToken77")
					+ "\"}")
			.exchange(), 201);
		UUID id = UUID.fromString(JsonPath.read(body, "$.id"));
		assertThat(sealedTokenOf(id)).isNotNull();
		require(this.mvc.delete()
			.uri("/api/submissions/{id}", id)
			.header(HttpHeaders.AUTHORIZATION, bearer(alice))
			.exchange(), 200);
		assertThat(sealedTokenOf(id)).as("a cancelled submission keeps no Hub token").isNull();
	}

	private byte[] sealedTokenOf(UUID id) {
		return this.jdbc.queryForObject("select access_token_sealed from submissions where id = ?", byte[].class, id);
	}

}
