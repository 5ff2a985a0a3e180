package dev.podium.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import dev.podium.DatabaseFingerprint;
import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.problem.ProblemException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.ADMIN_TOKEN;
import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and careless requests, one table of them: each is answered with a 4xx RFC 9457
 * problem ({@code application/problem+json} with a Podium type URI) and leaves every
 * table as it was.
 * <p>
 * What counts as bad: NUL bytes are refused wherever they come (free text, CSV cells);
 * free text that looks like a spreadsheet formula is stored as written and neutralised
 * where it leaves as CSV (see {@code LeaderboardCsvTests}); a UTF-8 byte order mark and
 * CRLF line endings are valid CSV ({@link #aByteOrderMarkAndCrlfLineEndingsAreValidCsv}).
 * Adding a case is one line in {@link #cases()}.
 */
@PodiumTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTests {

	static final String VALID_COMPETITION = """
			{"slug":"%s","title":"T","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
			 "tasks":[{"slug":"t","title":"T","submissionKind":"FILE","metric":"accuracy_score"}]}""";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	String competition;

	String alice;

	String organizer;

	static int runs;

	@BeforeAll
	void aCompetitionWithAFileTaskAModelTaskAndAParticipant() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		TestSupport api = new TestSupport(this.mvc);
		this.competition = "bad-requests-" + (++runs);
		api.createCompetition(this.competition, TestSupport.fileTask("labels"), TestSupport.modelTask("models"));
		api.uploadSolution(this.competition, "labels", SOLUTION);
		this.alice = api.addParticipant(this.competition, "alice");
		this.organizer = api.createStaff(this.competition + "-organizer", "ORGANIZER");
	}

	/** A request, and the status it must be answered with. */
	record Case(String name, int status, Function<BadRequestTests, MvcTestResult> request) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Case bad(String name, int status, Function<BadRequestTests, MvcTestResult> request) {
		return new Case(name, status, request);
	}

	static List<Case> cases() {
		return List.of(
				// JSON that is not JSON, or not of the expected shape
				bad("malformed JSON", 400, (t) -> t.createCompetition("{\"slug\":")),
				bad("a JSON array for an object", 400, (t) -> t.createCompetition("[]")),
				bad("an empty body", 400, (t) -> t.createCompetition("")),
				bad("a string where a list belongs", 400,
						(t) -> t.createCompetition(
								t.competition("wrong-type").replace("\"tasks\":[", "\"tasks\":\"x\",\"y\":["))),
				bad("a word where a number belongs", 400,
						(t) -> t.createCompetition(t.task("wrong-number", "\"dailySubmissionLimit\":\"five\""))),
				bad("a number beyond int", 400,
						(t) -> t.createCompetition(t.task("int-overflow", "\"dailySubmissionLimit\":2147483648"))),
				bad("a number beyond long", 400,
						(t) -> t.createCompetition(t.task("long-overflow", "\"maxFileBytes\":99999999999999999999"))),
				bad("a huge limit", 400,
						(t) -> t.createCompetition(t.task("huge", "\"dailySubmissionLimit\":1000000000"))),
				bad("a negative size", 400, (t) -> t.createCompetition(t.task("negative", "\"maxFileBytes\":-1"))),
				bad("a fraction for an integer", 400,
						(t) -> t.createCompetition(t.task("fraction", "\"selectionLimit\":1.5"))),
				bad("an unknown submission kind", 400,
						(t) -> t.createCompetition(t.competition("kind").replace("\"FILE\"", "\"VIDEO\""))),
				bad("an unknown evaluation mode", 400,
						(t) -> t.createCompetition(t.task("mode", "\"evaluation\":\"BATCH\""))),
				bad("an unknown metric", 400,
						(t) -> t.createCompetition(t.competition("metric").replace("accuracy_score", "bogus_score"))),
				bad("a time that is not an instant", 400,
						(t) -> t
							.createCompetition(t.competition("instant").replace("2026-11-01T00:00:00Z", "yesterday"))),
				bad("an end before the start", 400,
						(t) -> t.createCompetition(
								t.competition("reversed").replace("2026-12-31T00:00:00Z", "2026-10-01T00:00:00Z"))),
				bad("an unknown time zone", 400,
						(t) -> t.createCompetition(t.competition("zone")
							.replace("\"tasks\"", "\"timezone\":\"Mars/Olympus_Mons\",\"tasks\""))),
				bad("no tasks", 400,
						(t) -> t.createCompetition(t.competition("no-tasks").replaceAll("\\[\\{.*}]", "[]"))),
				bad("a null task", 400,
						(t) -> t.createCompetition(t.competition("null-task").replaceAll("\\[\\{.*}]", "[null]"))),
				bad("two tasks of one slug", 400,
						(t) -> t.createCompetition(t.competition("twins").replaceAll("\\[(\\{.*})]", "[$1,$1]"))),
				bad("a title of 10000 characters", 400,
						(t) -> t.createCompetition(
								t.competition("long-title").replace("\"T\"", "\"" + "x".repeat(10_000) + "\""))),
				bad("a NUL byte in a title", 400,
						(t) -> t.createCompetition(
								t.competition("nul-title").replace("\"title\":\"T\"", "\"title\":\"T\\u0000\""))),
				bad("an empty title", 400,
						(t) -> t.createCompetition(
								t.competition("empty-title").replace("\"title\":\"T\"", "\"title\":\"\""))),
				// slugs and names that are paths, confusable, or formulas
				bad("a path for a slug", 400, (t) -> t.createCompetition(VALID_COMPETITION.formatted("../etc"))),
				bad("an encoded path for a slug", 400,
						(t) -> t.createCompetition(VALID_COMPETITION.formatted("%2e%2e%2fetc"))),
				bad("a Cyrillic letter in a slug", 400,
						(t) -> t.createCompetition(VALID_COMPETITION.formatted("d\u0435mo"))),
				bad("an uppercase slug", 400, (t) -> t.createCompetition(VALID_COMPETITION.formatted("Demo"))),
				bad("a slug with a trailing newline", 400,
						(t) -> t.createCompetition(VALID_COMPETITION.formatted("demo\\n"))),
				bad("a path for a participant's name", 400, (t) -> t.addParticipant("{\"name\":\"../alice\"}")),
				bad("a confusable participant's name", 400, (t) -> t.addParticipant("{\"name\":\"\u0430lice\"}")),
				bad("a fullwidth participant's name", 400, (t) -> t.addParticipant("{\"name\":\"\uff41lice\"}")),
				bad("a formula for a participant's name", 400,
						(t) -> t.addParticipant("{\"name\":\"=HYPERLINK(\\\"http://evil\\\")\"}")),
				bad("a NUL byte in a participant's name", 400, (t) -> t.addParticipant("{\"name\":\"al\\u0000ice\"}")),
				bad("no name", 400, (t) -> t.addParticipant("{}")),
				bad("a participant's name taken", 409, (t) -> t.addParticipant("{\"name\":\"alice\"}")),
				bad("an unknown role", 400,
						(t) -> t.json(HttpMethod.POST, "/api/users", ADMIN_TOKEN,
								"{\"name\":\"rooted\",\"role\":\"ROOT\"}")),
				bad("a participant made without a competition", 400,
						(t) -> t.json(HttpMethod.POST, "/api/users", ADMIN_TOKEN,
								"{\"name\":\"loose\",\"role\":\"PARTICIPANT\"}")),
				// numbers of the budget
				bad("a negative budget", 400,
						(t) -> t.json(HttpMethod.PUT, "/api/budget", ADMIN_TOKEN, "{\"limit\":-1,\"reason\":\"r\"}")),
				bad("a budget beyond int", 400,
						(t) -> t.json(HttpMethod.PUT, "/api/budget", ADMIN_TOKEN,
								"{\"limit\":2147483648,\"reason\":\"r\"}")),
				bad("a budget without a reason", 400,
						(t) -> t.json(HttpMethod.PUT, "/api/budget", ADMIN_TOKEN, "{\"limit\":10}")),
				bad("a NUL byte in a budget's reason", 400,
						(t) -> t.json(HttpMethod.PUT, "/api/budget", ADMIN_TOKEN,
								"{\"limit\":10,\"reason\":\"\\u0000\"}")),
				bad("a raise that ends in the past", 400,
						(t) -> t.json(HttpMethod.POST, "/api/budget/requests", t.organizer,
								"{\"limit\":5000,\"reason\":\"r\",\"until\":\"2020-01-01T00:00:00Z\"}")),
				bad("a raise to zero", 400,
						(t) -> t.json(HttpMethod.POST, "/api/budget/requests", t.organizer,
								"{\"limit\":0,\"reason\":\"r\"}")),
				bad("an unknown request status", 400, (t) -> t.get("/api/budget/requests?status=MAYBE", ADMIN_TOKEN)),
				// ids and query parameters
				bad("a request id that is no UUID", 400, (t) -> t.get("/api/budget/requests/not-a-uuid", ADMIN_TOKEN)),
				bad("a submission id that is no UUID", 400, (t) -> t.get("/api/submissions/12345", t.alice)),
				bad("cancelling a submission id that is no UUID", 400,
						(t) -> t.json(HttpMethod.DELETE, "/api/submissions/..%2F..%2Fetc", t.alice, null)),
				bad("a negative page", 400, (t) -> t.get("/api/me/submissions?page=-1", t.alice)),
				bad("a page beyond int", 400, (t) -> t.get("/api/me/submissions?page=99999999999", t.alice)),
				bad("a page too large", 400, (t) -> t.get("/api/me/submissions?size=100000", t.alice)),
				bad("a date that does not exist", 400,
						(t) -> t.get("/api/competitions/" + t.competition + "/usage?from=2026-13-45", ADMIN_TOKEN)),
				bad("held work named by a word", 400,
						(t) -> t.json(HttpMethod.POST, "/api/operations/held/release", ADMIN_TOKEN,
								"{\"submissions\":[\"nope\"]}")),
				bad("held work both listed and all", 400,
						(t) -> t.json(HttpMethod.POST, "/api/operations/held/release", ADMIN_TOKEN,
								"{\"submissions\":[],\"all\":true}")),
				bad("a selection that is not a boolean", 400,
						(t) -> t.json(HttpMethod.PUT, "/api/submissions/" + java.util.UUID.randomUUID() + "/selection",
								t.alice, "{\"selected\":\"yes\"}")),
				// solutions
				bad("an empty solution", 400, (t) -> t.solution("")),
				bad("a solution without its id column", 422, (t) -> t.solution("key,label,split\n0,1,public\n")),
				bad("a solution with one id twice", 422,
						(t) -> t.solution("id,label,split\n0,1,public\n0,0,private\n")),
				bad("a solution with a NUL byte", 422,
						(t) -> t.solution("id,label,split\n0,1,public\n1,0\u0000,private\n")),
				bad("a solution with an unknown split", 422,
						(t) -> t.solution("id,label,split\n0,1,public\n1,0,maybe\n")),
				bad("a solution with a missing id", 422, (t) -> t.solution("id,label,split\n0,1,public\n,0,private\n")),
				// predictions files
				bad("no file part", 400, (t) -> t.multipart(description("no file"))),
				bad("two file parts", 400, (t) -> t.multipart(file(PREDICTIONS), file(PREDICTIONS))),
				bad("an empty file", 422, (t) -> t.multipart(file(""))),
				bad("a file over the task's limit", 413, (t) -> t.multipart(file(PREDICTIONS + "10,1\n".repeat(500)))),
				bad("predictions with one id twice", 422, (t) -> t.multipart(file(PREDICTIONS + "0,1\n"))),
				bad("predictions without some ids", 422, (t) -> t.multipart(file("id,label\n0,1\n1,0\n"))),
				bad("predictions with a NUL byte", 422,
						(t) -> t.multipart(file(PREDICTIONS.replace("3,0", "3,0\u0000")))),
				bad("predictions whose id is a formula", 422,
						(t) -> t.multipart(file(PREDICTIONS.replace("9,0", "=HYPERLINK(\"http://evil\"),0")))),
				bad("predictions with an unknown id", 422,
						(t) -> t.multipart(file(PREDICTIONS.replace("9,0", "../9,0")))),
				bad("a description of 1001 characters", 400,
						(t) -> t.multipart(file(PREDICTIONS), description("x".repeat(1001)))),
				bad("a NUL byte in a description", 400,
						(t) -> t.multipart(file(PREDICTIONS), description("first\u0000try"))),
				bad("two description parts", 400,
						(t) -> t.multipart(file(PREDICTIONS), description("one"), description("two"))),
				bad("predictions sent as plain text", 415,
						(t) -> t.send(HttpMethod.POST,
								"/api/competitions/" + t.competition + "/tasks/labels/submissions", t.alice,
								MediaType.TEXT_PLAIN, PREDICTIONS)),
				bad("a model for a file task", 415,
						(t) -> t.json(HttpMethod.POST,
								"/api/competitions/" + t.competition + "/tasks/labels/submissions", t.alice,
								"{\"model\":\"alice/model\"}")),
				bad("a model that is a path", 400,
						(t) -> t.json(HttpMethod.POST,
								"/api/competitions/" + t.competition + "/tasks/models/submissions", t.alice,
								"{\"model\":\"../../etc/passwd\"}")),
				bad("an access token that is no Hub token", 400,
						(t) -> t.json(HttpMethod.POST,
								"/api/competitions/" + t.competition + "/tasks/models/submissions", t.alice,
								"{\"model\":\"alice/model\",\"accessToken\":\"not a token\"}")),
				bad("an unknown task", 404, (t) -> t.multipart("nope", file(PREDICTIONS))));
	}

	@Test
	void thereAreAtLeastFortyCases() {
		assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
		assertThat(cases().stream().map(Case::name).distinct()).hasSameSizeAs(cases());
	}

	@TestFactory
	Stream<DynamicTest> eachIsAProblemAndWritesNothing() {
		return cases().stream().map((bad) -> DynamicTest.dynamicTest(bad.name(), () -> {
			DatabaseFingerprint before = DatabaseFingerprint.of(this.jdbc);
			MvcTestResult result = bad.request().apply(this);
			List<String> wrong = new ArrayList<>();
			int status = result.getResponse().getStatus();
			String body = bodyOf(result);
			if (status != bad.status()) {
				wrong.add("expected " + bad.status() + " but got " + status + ": " + body);
			}
			String type = result.getResponse().getContentType();
			if (type == null || !MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(MediaType.parseMediaType(type))) {
				wrong.add("expected application/problem+json but got " + type + ": " + body);
			}
			else if (!JsonPath.<String>read(body, "$.type").startsWith(ProblemException.TYPE_BASE)) {
				wrong.add("expected a Podium problem type but got " + body);
			}
			List<String> changed = DatabaseFingerprint.of(this.jdbc).changedSince(before);
			if (!changed.isEmpty()) {
				wrong.add("changed " + changed);
			}
			assertThat(wrong).as(bad.name()).isEmpty();
		}));
	}

	@Test
	void aByteOrderMarkAndCrlfLineEndingsAreValidCsv() {
		String bom = "\uFEFF";
		TestSupport api = new TestSupport(this.mvc);
		String slug = this.competition + "-bom";
		api.createCompetition(slug, TestSupport.fileTask("labels"));
		String solution = require(this.mvc.put()
			.uri("/api/competitions/{c}/tasks/labels/solution", slug)
			.header(HttpHeaders.AUTHORIZATION, bearer(ADMIN_TOKEN))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content((bom + SOLUTION.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8))
			.exchange(), 200);
		assertThat(JsonPath.<Integer>read(solution, "$.rows")).isEqualTo(10);
		assertThat(JsonPath.<Integer>read(solution, "$.publicRows")).isEqualTo(5);
		assertThat(JsonPath.<List<String>>read(solution, "$.targetColumns")).containsExactly("label");
		String bob = api.addParticipant(slug, "bob");
		MvcTestResult submitted = api.submitFile(bob, slug, "labels", bom + PREDICTIONS.replace("\n", "\r\n"));
		assertThat(submitted).hasStatus(201);
	}

	private String competition(String slug) {
		return VALID_COMPETITION.formatted(this.competition + "-" + slug);
	}

	/** A valid competition whose one task carries the given extra member. */
	private String task(String slug, String member) {
		return competition(slug).replace("\"metric\":\"accuracy_score\"", "\"metric\":\"accuracy_score\"," + member);
	}

	private MvcTestResult createCompetition(String body) {
		return json(HttpMethod.POST, "/api/competitions", ADMIN_TOKEN, body);
	}

	private MvcTestResult addParticipant(String body) {
		return json(HttpMethod.POST, "/api/competitions/" + this.competition + "/participants", ADMIN_TOKEN, body);
	}

	private MvcTestResult solution(String csv) {
		return send(HttpMethod.PUT, "/api/competitions/" + this.competition + "/tasks/labels/solution", ADMIN_TOKEN,
				MediaType.parseMediaType("text/csv"), csv);
	}

	private MvcTestResult get(String uri, String token) {
		return this.mvc.get().uri(uri).header(HttpHeaders.AUTHORIZATION, bearer(token)).exchange();
	}

	private MvcTestResult json(HttpMethod method, String uri, String token, String body) {
		return send(method, uri, token, MediaType.APPLICATION_JSON, body);
	}

	private MvcTestResult send(HttpMethod method, String uri, String token, MediaType type, String body) {
		var request = this.mvc.method(method).uri(uri).header(HttpHeaders.AUTHORIZATION, bearer(token));
		if (body != null) {
			request = request.contentType(type).content(body.getBytes(StandardCharsets.UTF_8));
		}
		return request.exchange();
	}

	private MvcTestResult multipart(MockMultipartFile... parts) {
		return multipart("labels", parts);
	}

	private MvcTestResult multipart(String task, MockMultipartFile... parts) {
		var request = this.mvc.post()
			.uri("/api/competitions/{c}/tasks/{t}/submissions", this.competition, task)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))
			.multipart();
		for (MockMultipartFile part : parts) {
			request = request.file(part);
		}
		return request.exchange();
	}

	private static MockMultipartFile file(String csv) {
		return new MockMultipartFile("file", "predictions.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
	}

	private static MockMultipartFile description(String text) {
		return new MockMultipartFile("description", null, "text/plain", text.getBytes(StandardCharsets.UTF_8));
	}

}
