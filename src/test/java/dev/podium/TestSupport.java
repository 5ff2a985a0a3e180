package dev.podium;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.jayway.jsonpath.JsonPath;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Drives Podium's API the way its users do, for tests. */
public class TestSupport {

	public static final String ADMIN_TOKEN = "pod_test-admin-token-0123456789";

	/** base64 of 32 bytes, for sealing participants' Hub tokens in tests. */
	public static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";

	/** Labels for ids 0..9, even ids public. */
	public static final String SOLUTION = """
			id,label,split
			0,1,public
			1,0,private
			2,1,public
			3,1,private
			4,0,public
			5,0,private
			6,1,public
			7,1,private
			8,0,public
			9,0,private
			""";

	/** 8 of 10 right: public 4/5, private 4/5. */
	public static final String PREDICTIONS = """
			id,label
			0,1
			1,0
			2,1
			3,0
			4,0
			5,0
			6,0
			7,1
			8,0
			9,0
			""";

	private final MockMvcTester mvc;

	public TestSupport(MockMvcTester mvc) {
		this.mvc = mvc;
	}

	/**
	 * Remembers a secret a test was issued or sends (a token, a Hub token), so that the
	 * log scan fails the run if it is ever logged; returns it.
	 */
	public static String issued(String secret) {
		KnownSecrets.register(secret);
		return secret;
	}

	public static String bearer(String token) {
		return "Bearer " + token;
	}

	/**
	 * A competition running from 2026-11-01 to 2026-12-31 with the given tasks (JSON
	 * objects).
	 */
	public void createCompetition(String slug, String... tasks) {
		createCompetition(slug, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-31T00:00:00Z"), "UTC",
				tasks);
	}

	public void createCompetition(String slug, Instant startsAt, Instant endsAt, String timezone, String... tasks) {
		String body = """
				{"slug":"%s","title":"Test %s","startsAt":"%s","endsAt":"%s","timezone":"%s","tasks":[%s]}
				""".formatted(slug, slug, startsAt, endsAt, timezone, String.join(",", tasks));
		MvcTestResult result = this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
		require(result, 201);
	}

	/** A FILE task scored by accuracy, 5 submissions a day. */
	public static String fileTask(String slug) {
		return """
				{"slug":"%s","title":"Task %s","submissionKind":"FILE","evaluation":"SANDBOX","metric":"accuracy_score",
				 "dailySubmissionLimit":5,"selectionLimit":2,"idColumn":"id","maxFileBytes":2048}
				""".formatted(slug, slug);
	}

	/**
	 * A MODEL task whose local command runs (and writes no predictions): intake accepts
	 * models for it with the local provider.
	 */
	public static String modelTask(String slug) {
		return """
				{"slug":"%s","title":"Task %s","submissionKind":"MODEL","evaluation":"SANDBOX","metric":"accuracy_score",
				 "dailySubmissionLimit":5,"localCommand":"true"}
				"""
			.formatted(slug, slug);
	}

	public void uploadSolution(String competition, String task, String csv) {
		require(this.mvc.put()
			.uri("/api/competitions/{c}/tasks/{t}/solution", competition, task)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(csv)
			.exchange(), 200);
	}

	/** Adds a participant and returns their token. */
	public String addParticipant(String competition, String name) {
		MvcTestResult result = this.mvc.post()
			.uri("/api/competitions/{c}/participants", competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + name + "\"}")
			.exchange();
		return issued(JsonPath.read(require(result, 201), "$.token"));
	}

	/** Creates an operator or organizer and returns their token. */
	public String createStaff(String name, String role) {
		MvcTestResult result = this.mvc.post()
			.uri("/api/users")
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")
			.exchange();
		return issued(JsonPath.read(require(result, 201), "$.token"));
	}

	public MvcTestResult submitFile(String token, String competition, String task, String csv) {
		return submitFile(token, competition, task, csv, null);
	}

	public MvcTestResult submitFile(String token, String competition, String task, String csv, String idempotencyKey) {
		var request = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/{t}/submissions", competition, task)
			.header(HttpHeaders.AUTHORIZATION, bearer(token))
			.multipart()
			.file(new MockMultipartFile("file", "predictions.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8)));
		if (idempotencyKey != null) {
			request = request.header("Idempotency-Key", idempotencyKey);
		}
		return request.exchange();
	}

	/** Submits and returns the new submission's id. */
	public String submitFileId(String token, String competition, String task, String csv) {
		return JsonPath.read(require(submitFile(token, competition, task, csv), 201), "$.id");
	}

	public MvcTestResult get(String token, String uri, Object... variables) {
		return this.mvc.get().uri(uri, variables).header(HttpHeaders.AUTHORIZATION, bearer(token)).exchange();
	}

	public static String require(MvcTestResult result, int status) {
		int actual = result.getResponse().getStatus();
		String body = bodyOf(result);
		if (actual != status) {
			throw new AssertionError("Expected status " + status + " but got " + actual + ": " + body);
		}
		return body;
	}

	public static String bodyOf(MvcTestResult result) {
		try {
			return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
		}
		catch (java.io.UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
