package dev.podium.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import dev.podium.evaluation.ServingSandboxes;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static dev.podium.TestSupport.bodyOf;
import static dev.podium.TestSupport.require;
import static dev.podium.security.AuthorizationMatrixTests.Caller.ANONYMOUS;
import static dev.podium.security.AuthorizationMatrixTests.Caller.OPERATOR;
import static dev.podium.security.AuthorizationMatrixTests.Caller.OTHER_ORGANIZER;
import static dev.podium.security.AuthorizationMatrixTests.Caller.OTHER_PARTICIPANT;
import static dev.podium.security.AuthorizationMatrixTests.Caller.OTHER_SANDBOX;
import static dev.podium.security.AuthorizationMatrixTests.Caller.OWNER;
import static dev.podium.security.AuthorizationMatrixTests.Caller.PARTICIPANT;
import static dev.podium.security.AuthorizationMatrixTests.Caller.SANDBOX;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what: every operation of the OpenAPI document Podium serves, called by
 * every kind of caller, against the expected answer of each cell.
 * <p>
 * The callers ({@link Caller}): nobody, the operator, the organizer who owns the fixture
 * competition, an organizer who owns another one, a participant of the fixture
 * competition, a participant of the other one, the sandbox whose path is called, and
 * another live sandbox. A cell is
 * <ul>
 * <li>{@link Outcome#ALLOWED}: anything but 401, 403 or a 5xx (the bodies sent are
 * minimal, so 400, 404, 409, 415 or 422 are fine);</li>
 * <li>{@link Outcome#UNAUTHORIZED} / {@link Outcome#FORBIDDEN}: exactly 401 / 403;</li>
 * <li>{@link Outcome#HIDDEN}: exactly 404, for resources whose existence is not told to
 * those who may not see them;</li>
 * </ul>
 * and every refused call (401, 403 or hidden) must leave every table as it was.
 * <p>
 * <b>Adding an endpoint</b>: add one line to {@link #ROWS}, e.g. {@code row("POST
 * /api/competitions/{slug}/teams", MANAGER)}, with the rule that says who may call it
 * ({@link #SIGNED_IN}, {@link #OPERATOR_ONLY}, {@link #STAFF}, {@link #MANAGER},
 * {@link #PARTICIPANT_ROLE}, {@link #PARTICIPANT_OF_COMPETITION},
 * {@link #SEES_COMPETITION}, {@link #SANDBOX_SELF}, or a new one built with
 * {@link Rule#allow}); a cell that differs from its rule is an exception on the row:
 * {@code .except(OTHER_PARTICIPANT, HIDDEN)}. The test fails naming any operation without
 * a row ("add a row for ...") and any row without an operation. A new path variable needs
 * a fixture value in {@link #variable(String, String)}; a body other than the minimal one
 * for its content type is given with {@code .body(type, content)}, query parameters with
 * {@code .query("wait=0")}.
 */
@PodiumTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTests {

	/** Whoever calls. */
	enum Caller {

		ANONYMOUS, OPERATOR, OWNER, OTHER_ORGANIZER, PARTICIPANT, OTHER_PARTICIPANT, SANDBOX, OTHER_SANDBOX

	}

	/** What a cell expects. */
	enum Outcome {

		ALLOWED(0), UNAUTHORIZED(401), FORBIDDEN(403), HIDDEN(404);

		final int status;

		Outcome(int status) {
			this.status = status;
		}

	}

	/**
	 * Who may call: the callers listed are allowed; other accounts are forbidden (403);
	 * nobody and sandbox tokens, which are not accounts, are unauthorized (401).
	 */
	record Rule(Map<Caller, Outcome> cells) {

		static Rule allow(Caller... allowed) {
			Map<Caller, Outcome> cells = new EnumMap<>(Caller.class);
			for (Caller caller : Caller.values()) {
				cells.put(caller, switch (caller) {
					case ANONYMOUS, SANDBOX, OTHER_SANDBOX -> Outcome.UNAUTHORIZED;
					default -> Outcome.FORBIDDEN;
				});
			}
			for (Caller caller : allowed) {
				cells.put(caller, Outcome.ALLOWED);
			}
			return new Rule(cells);
		}

		/** These callers are told there is nothing there (404) rather than refused. */
		Rule hiding(Caller... hidden) {
			Map<Caller, Outcome> cells = new EnumMap<>(this.cells);
			for (Caller caller : hidden) {
				cells.put(caller, Outcome.HIDDEN);
			}
			return new Rule(cells);
		}

	}

	/** Any account: the caller sees what is theirs. */
	static final Rule SIGNED_IN = Rule.allow(OPERATOR, OWNER, OTHER_ORGANIZER, PARTICIPANT, OTHER_PARTICIPANT);

	static final Rule OPERATOR_ONLY = Rule.allow(OPERATOR);

	/** Operators and every organizer. */
	static final Rule STAFF = Rule.allow(OPERATOR, OWNER, OTHER_ORGANIZER);

	/** Operators and the organizers who manage the competition in the path. */
	static final Rule MANAGER = Rule.allow(OPERATOR, OWNER);

	/** Any participant, acting on what is their own. */
	static final Rule PARTICIPANT_ROLE = Rule.allow(PARTICIPANT, OTHER_PARTICIPANT);

	/**
	 * The participants of the competition in the path (or owning the submission); to
	 * another competition's the resource does not exist.
	 */
	static final Rule PARTICIPANT_OF_COMPETITION = Rule.allow(PARTICIPANT).hiding(OTHER_PARTICIPANT);

	/**
	 * Its managers and its participants (or a submission's participant and managers); to
	 * other accounts it does not exist.
	 */
	static final Rule SEES_COMPETITION = Rule.allow(OPERATOR, OWNER, PARTICIPANT)
		.hiding(OTHER_ORGANIZER, OTHER_PARTICIPANT);

	/**
	 * The sandbox API: only the sandbox named in the path, with its own token; the API
	 * knows no accounts, so every other caller is unauthorized.
	 */
	static final Rule SANDBOX_SELF = new Rule(new EnumMap<>(
			Map.of(ANONYMOUS, Outcome.UNAUTHORIZED, OPERATOR, Outcome.UNAUTHORIZED, OWNER, Outcome.UNAUTHORIZED,
					OTHER_ORGANIZER, Outcome.UNAUTHORIZED, PARTICIPANT, Outcome.UNAUTHORIZED, OTHER_PARTICIPANT,
					Outcome.UNAUTHORIZED, SANDBOX, Outcome.ALLOWED, OTHER_SANDBOX, Outcome.UNAUTHORIZED)));

	/** One row per operation of the OpenAPI document. */
	static final List<Row> ROWS = List.of(
			// who am I, what is mine
			row("GET /api/me", SIGNED_IN), row("GET /api/me/quota", SIGNED_IN),
			row("GET /api/me/submissions", PARTICIPANT_ROLE),
			// accounts
			row("POST /api/users", OPERATOR_ONLY),
			// competitions
			row("GET /api/competitions", SIGNED_IN), row("POST /api/competitions", STAFF),
			row("GET /api/competitions/{slug}", SEES_COMPETITION),
			row("GET /api/competitions/{slug}/participants", MANAGER),
			row("POST /api/competitions/{slug}/participants", MANAGER),
			row("PUT /api/competitions/{slug}/tasks/{task}/solution", MANAGER),
			row("GET /api/competitions/{slug}/organizers", MANAGER),
			row("GET /api/competitions/{slug}/organizers/changes", OPERATOR_ONLY),
			row("PUT /api/competitions/{slug}/organizers/{organizer}", OPERATOR_ONLY),
			row("DELETE /api/competitions/{slug}/organizers/{organizer}", OPERATOR_ONLY),
			row("GET /api/competitions/{competition}/usage", MANAGER),
			// teams (issue 16); the fixture competitions leave teams to their organizers,
			// so participants are refused founding and joining them
			row("GET /api/competitions/{slug}/teams", MANAGER), row("POST /api/competitions/{slug}/teams", MANAGER),
			row("GET /api/competitions/{slug}/teams/{team}", MANAGER),
			row("POST /api/competitions/{slug}/teams/{team}/members", MANAGER),
			row("POST /api/competitions/{slug}/teams/{team}/merge", MANAGER),
			row("GET /api/competitions/{slug}/teams/changes", MANAGER),
			row("GET /api/competitions/{slug}/team-settings", MANAGER),
			row("PUT /api/competitions/{slug}/team-settings", MANAGER),
			row("GET /api/competitions/{slug}/tasks/{task}/queue-limits", MANAGER),
			row("PUT /api/competitions/{slug}/tasks/{task}/queue-limits", MANAGER),
			row("GET /api/me/team", PARTICIPANT_ROLE),
			row("POST /api/me/team", PARTICIPANT_ROLE).except(PARTICIPANT, Outcome.FORBIDDEN)
				.except(OTHER_PARTICIPANT, Outcome.FORBIDDEN),
			row("POST /api/me/team/join", PARTICIPANT_ROLE).except(PARTICIPANT, Outcome.FORBIDDEN)
				.except(OTHER_PARTICIPANT, Outcome.FORBIDDEN),
			row("POST /api/me/team/join-code", PARTICIPANT_ROLE), row("GET /api/me/notifications", PARTICIPANT_ROLE),
			row("PUT /api/me/notifications/webhook", PARTICIPANT_ROLE),
			row("DELETE /api/me/notifications/webhook", PARTICIPANT_ROLE),
			row("PUT /api/me/notifications/email", PARTICIPANT_ROLE),
			row("DELETE /api/me/notifications/email", PARTICIPANT_ROLE),
			row("PUT /api/competitions/{slug}/board-rules", MANAGER),
			row("PUT /api/competitions/{slug}/tasks/{task}/rules", MANAGER),
			row("GET /api/competitions/{slug}/board-audit", MANAGER),
			row("POST /api/competitions/{slug}/tasks/{task}/rescore", MANAGER),
			row("GET /api/competitions/{slug}/tasks/{task}/rescore", MANAGER),
			row("POST /api/competitions/{slug}/tasks/{task}/reruns", MANAGER),
			row("POST /api/competitions/{slug}/tasks/{task}/baselines", MANAGER),
			row("PUT /api/competitions/{slug}/submissions/{id}/exclusion", MANAGER),
			row("DELETE /api/competitions/{slug}/submissions/{id}/exclusion", MANAGER),
			row("PUT /api/competitions/{slug}/participants/{participantId}/exclusion", MANAGER),
			row("DELETE /api/competitions/{slug}/participants/{participantId}/exclusion", MANAGER),
			row("GET /api/competitions/{slug}/exclusions", MANAGER),
			// moving from huggingface/competitions: organizers import (this Podium has no
			// Hub
			// token: 409 for them); anyone may trade a Hub token for their participant
			// token
			row("POST /api/competitions/import", STAFF).body("application/json",
					"{\"repo\":\"org/none\",\"dryRun\":true}"),
			row("POST /api/competitions/{slug}/sign-in/huggingface",
					Rule.allow(ANONYMOUS, OPERATOR, OWNER, OTHER_ORGANIZER, PARTICIPANT, OTHER_PARTICIPANT))
				.body("application/json", "{\"hubToken\":\"hf_not_a_real_token\"}"),
			// leaderboards
			row("GET /api/competitions/{competition}/tasks/{task}/leaderboard", SEES_COMPETITION),
			row("GET /api/competitions/{competition}/tasks/{task}/leaderboard.csv", MANAGER),
			// submissions
			row("POST /api/competitions/{competition}/tasks/{task}/submissions", PARTICIPANT_OF_COMPETITION),
			row("GET /api/submissions/{id}", SEES_COMPETITION), row("DELETE /api/submissions/{id}", SEES_COMPETITION),
			// a well-formed body: whether a submission is someone else's is decided after
			// its body is read (a malformed one is 400 for anyone, which tells nothing)
			row("PUT /api/submissions/{id}/selection", PARTICIPANT_OF_COMPETITION).body("application/json",
					"{\"selected\":false}"),
			// the budget
			row("GET /api/budget", STAFF), row("PUT /api/budget", OPERATOR_ONLY),
			row("POST /api/budget/unblock", OPERATOR_ONLY), row("GET /api/budget/history", STAFF),
			row("GET /api/budget/requests", STAFF), row("POST /api/budget/requests", STAFF),
			// the owner asked: another organizer is told there is no such request
			row("GET /api/budget/requests/{id}", STAFF).except(OTHER_ORGANIZER, Outcome.HIDDEN),
			row("POST /api/budget/requests/{id}/approve", OPERATOR_ONLY),
			row("POST /api/budget/requests/{id}/refuse", OPERATOR_ONLY),
			// operations
			row("GET /api/operations/held", OPERATOR_ONLY), row("POST /api/operations/held/release", OPERATOR_ONLY),
			row("GET /api/operations/creation-blocks", OPERATOR_ONLY),
			row("DELETE /api/competitions/{competition}/tasks/{task}/creation-block", OPERATOR_ONLY),
			// the sandbox API
			row("POST /api/sandboxes/{sandbox}/jobs/next", SANDBOX_SELF).query("wait=0"),
			row("GET /api/sandboxes/{sandbox}/jobs/{job}/file", SANDBOX_SELF),
			row("POST /api/sandboxes/{sandbox}/jobs/{job}/started", SANDBOX_SELF),
			row("POST /api/sandboxes/{sandbox}/jobs/{job}/failure", SANDBOX_SELF),
			row("PUT /api/sandboxes/{sandbox}/jobs/{job}/predictions", SANDBOX_SELF).body("text/csv", "id,label\n"));

	private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	ApplicationContext context;

	final Map<Caller, String> tokens = new EnumMap<>(Caller.class);

	String competition;

	String grantee;

	String submission;

	String budgetRequest;

	String team;

	UUID sandbox;

	String job;

	static int runs;

	/**
	 * Two competitions, each with its own organizer (who created it), participants and a
	 * live sandbox with a job; an open budget request of the owner; a queued submission
	 * of the participant; a third organizer for grants.
	 */
	@BeforeAll
	void twoCompetitionsWithTheirPeopleAndSandboxes() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.jdbc.update("delete from submissions");
		this.jdbc.update("delete from sandboxes");
		this.jdbc.update("delete from creation_charges");
		this.jdbc
			.update("update creation_budgets set creation_limit = 1000, blocked_until = null, version = version + 1");
		String run = "matrix" + (++runs);
		TestSupport api = new TestSupport(this.mvc);
		this.tokens.put(OPERATOR, TestSupport.ADMIN_TOKEN);
		this.tokens.put(OWNER, api.createStaff(run + "-owner", "ORGANIZER"));
		this.tokens.put(OTHER_ORGANIZER, api.createStaff(run + "-other", "ORGANIZER"));
		this.grantee = run + "-grantee";
		api.createStaff(this.grantee, "ORGANIZER");

		this.competition = run;
		String elsewhere = run + "-elsewhere";
		createCompetition(this.tokens.get(OWNER), this.competition);
		createCompetition(this.tokens.get(OTHER_ORGANIZER), elsewhere);
		this.tokens.put(PARTICIPANT, addParticipant(this.tokens.get(OWNER), this.competition, "alice"));
		String bob = addParticipant(this.tokens.get(OWNER), this.competition, "bob");
		this.tokens.put(OTHER_PARTICIPANT, addParticipant(this.tokens.get(OTHER_ORGANIZER), elsewhere, "mallory"));

		// a sandbox of each competition, serving bob's and mallory's submissions
		api.submitFileId(bob, this.competition, "labels", PREDICTIONS);
		api.submitFileId(this.tokens.get(OTHER_PARTICIPANT), elsewhere, "labels", PREDICTIONS);
		this.tokens.put(SANDBOX, TestSupport.issued(Tokens.generate("sbx_")));
		this.tokens.put(OTHER_SANDBOX, TestSupport.issued(Tokens.generate("sbx_")));
		this.sandbox = ServingSandboxes.running(this.context, taskId(this.competition), participantId(bob),
				this.tokens.get(SANDBOX));
		ServingSandboxes.running(this.context, taskId(elsewhere), participantId(this.tokens.get(OTHER_PARTICIPANT)),
				this.tokens.get(OTHER_SANDBOX));
		this.job = JsonPath.read(require(this.mvc.post()
			.uri("/api/sandboxes/{s}/jobs/next?wait=0", this.sandbox)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.tokens.get(SANDBOX)))
			.exchange(), 200), "$.jobId");

		this.submission = api.submitFileId(this.tokens.get(PARTICIPANT), this.competition, "labels", PREDICTIONS);
		this.team = JsonPath.read(require(this.mvc.post()
			.uri("/api/competitions/{c}/teams", this.competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(TestSupport.ADMIN_TOKEN))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"matrix team\"}")
			.exchange(), 201), "$.id");
		this.budgetRequest = JsonPath.read(require(this.mvc.post()
			.uri("/api/budget/requests")
			.header(HttpHeaders.AUTHORIZATION, bearer(this.tokens.get(OWNER)))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"limit\":5000,\"reason\":\"the authorization matrix\"}")
			.exchange(), 201), "$.id");
	}

	@Test
	void everyOperationHasARowAndEveryRowAnOperation() {
		assertThat(coverageProblems(documentedOperations(), ROWS)).as("the authorization matrix and the API").isEmpty();
	}

	@Test
	void anOperationWithoutARowOrARowWithoutAnOperationIsNamed() {
		List<Row> rows = List.of(row("GET /api/me", SIGNED_IN), row("GET /api/gone", SIGNED_IN),
				row("GET /api/me", STAFF));
		assertThat(coverageProblems(Set.of("GET /api/me", "POST /api/teams"), rows)).containsExactly(
				"add a row for POST /api/teams to AuthorizationMatrixTests.ROWS",
				"the row for GET /api/gone names no operation of the OpenAPI document: remove or fix it",
				"GET /api/me has 2 rows: keep one");
	}

	static List<String> coverageProblems(Set<String> documented, List<Row> rows) {
		Map<String, Integer> tabled = new java.util.TreeMap<>();
		rows.forEach((row) -> tabled.merge(row.operation(), 1, Integer::sum));
		List<String> problems = new ArrayList<>();
		new TreeSet<>(documented).stream()
			.filter((operation) -> !tabled.containsKey(operation))
			.forEach((operation) -> problems.add("add a row for " + operation + " to AuthorizationMatrixTests.ROWS"));
		tabled.keySet()
			.stream()
			.filter((operation) -> !documented.contains(operation))
			.forEach((operation) -> problems
				.add("the row for " + operation + " names no operation of the OpenAPI document: remove or fix it"));
		tabled.forEach((operation, count) -> {
			if (count > 1) {
				problems.add(operation + " has " + count + " rows: keep one");
			}
		});
		return problems;
	}

	@TestFactory
	Stream<DynamicTest> everyCallerGetsTheAnswerOfItsCell() {
		Map<String, String> bodies = requestBodyTypes();
		return ROWS.stream()
			.filter((row) -> bodies.containsKey(row.operation()))
			.map((row) -> DynamicTest.dynamicTest(row.operation(), () -> check(row, bodies.get(row.operation()))));
	}

	private void check(Row row, String documentedBodyType) {
		List<String> wrong = new ArrayList<>();
		// refusals first, while the fixtures are as set up; then the allowed calls
		for (Caller caller : Caller.values()) {
			Outcome expected = row.outcome(caller);
			if (expected == Outcome.ALLOWED) {
				continue;
			}
			DatabaseFingerprint before = DatabaseFingerprint.of(this.jdbc);
			MvcTestResult result = call(row, documentedBodyType, caller);
			int status = result.getResponse().getStatus();
			if (status != expected.status) {
				wrong.add("%s as %s: expected %d (%s) but got %d %s".formatted(row.operation(), caller, expected.status,
						expected, status, excerpt(result)));
			}
			List<String> changed = DatabaseFingerprint.of(this.jdbc).changedSince(before);
			if (!changed.isEmpty()) {
				wrong.add("%s as %s was refused but changed %s".formatted(row.operation(), caller, changed));
			}
		}
		for (Caller caller : Caller.values()) {
			if (row.outcome(caller) != Outcome.ALLOWED) {
				continue;
			}
			MvcTestResult result = call(row, documentedBodyType, caller);
			int status = result.getResponse().getStatus();
			if (status == 401 || status == 403 || status >= 500) {
				wrong.add("%s as %s: expected to be allowed but got %d %s".formatted(row.operation(), caller, status,
						excerpt(result)));
			}
		}
		assertThat(wrong).as(row.operation()).isEmpty();
	}

	private MvcTestResult call(Row row, String documentedBodyType, Caller caller) {
		String[] parts = row.operation().split(" ", 2);
		String uri = expand(parts[1]) + ((row.query() != null) ? "?" + row.query() : "");
		var request = this.mvc.method(HttpMethod.valueOf(parts[0])).uri(uri).with((servlet) -> {
			// an address of each row's own for each caller: anonymous calls go to the
			// bucket
			// of their address, and the rows outnumber what one address may call a minute
			servlet.setRemoteAddr(
					"10.13." + (1 + Math.floorMod(row.operation().hashCode(), 250)) + "." + (caller.ordinal() + 1));
			return servlet;
		});
		String token = this.tokens.get(caller);
		if (token != null) {
			request = request.header(HttpHeaders.AUTHORIZATION, bearer(token));
		}
		String type = (row.bodyType() != null) ? row.bodyType() : documentedBodyType;
		if (!type.isEmpty()) {
			String content = (row.body() != null) ? row.body() : minimalBody(type);
			request = request.contentType(MediaType.parseMediaType(type))
				.content(content.getBytes(StandardCharsets.UTF_8));
		}
		return request.exchange();
	}

	private static String minimalBody(String type) {
		return switch (type) {
			case MediaType.APPLICATION_JSON_VALUE -> "{}";
			case "text/csv", MediaType.TEXT_PLAIN_VALUE -> "id\n";
			default -> "";
		};
	}

	private String expand(String path) {
		Matcher matcher = VARIABLE.matcher(path);
		StringBuilder expanded = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(expanded, Matcher.quoteReplacement(variable(path, matcher.group(1))));
		}
		matcher.appendTail(expanded);
		return expanded.toString();
	}

	/** The fixture that fills a path variable; a new variable needs a line here. */
	private String variable(String path, String name) {
		return switch (name) {
			case "slug", "competition" -> this.competition;
			case "task" -> "labels";
			case "organizer" -> this.grantee;
			case "team" -> this.team;
			case "sandbox" -> this.sandbox.toString();
			case "job" -> this.job;
			case "participantId" -> participantId(this.tokens.get(PARTICIPANT)).toString();
			case "id" -> {
				if (path.startsWith("/api/submissions/") || path.contains("/submissions/{id}")) {
					yield this.submission;
				}
				if (path.startsWith("/api/budget/requests/")) {
					yield this.budgetRequest;
				}
				throw new AssertionError("No fixture for {id} in " + path + ": add one in variable()");
			}
			default -> throw new AssertionError(
					"No fixture for path variable {" + name + "} of " + path + ": add one in variable()");
		};
	}

	/** Every operation of the served document, as "METHOD /path". */
	private Set<String> documentedOperations() {
		return new TreeSet<>(requestBodyTypes().keySet());
	}

	/**
	 * Every operation of the served document, with the content type its body is sent as
	 * here (JSON where it takes JSON), or "" when it takes none.
	 */
	private Map<String, String> requestBodyTypes() {
		String document = require(this.mvc.get().uri("/v3/api-docs").exchange(), 200);
		Map<String, Map<String, Object>> paths = JsonPath.read(document, "$.paths");
		Map<String, String> operations = new LinkedHashMap<>();
		paths.forEach((path, item) -> item.forEach((method, operation) -> {
			if (!Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace").contains(method)) {
				return;
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) operation).get("requestBody");
			String type = "";
			if (body != null) {
				@SuppressWarnings("unchecked")
				Set<String> types = ((Map<String, Object>) body.get("content")).keySet();
				type = types.contains(MediaType.APPLICATION_JSON_VALUE) ? MediaType.APPLICATION_JSON_VALUE
						: types.iterator().next();
			}
			operations.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path, type);
		}));
		return operations;
	}

	private void createCompetition(String organizer, String slug) {
		require(this.mvc.post()
			.uri("/api/competitions")
			.header(HttpHeaders.AUTHORIZATION, bearer(organizer))
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"slug":"%s","title":"Matrix","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-12-31T00:00:00Z",
					 "tasks":[%s]}
					""".formatted(slug, TestSupport.fileTask("labels")))
			.exchange(), 201);
		require(this.mvc.put()
			.uri("/api/competitions/{c}/tasks/labels/solution", slug)
			.header(HttpHeaders.AUTHORIZATION, bearer(organizer))
			.contentType(MediaType.parseMediaType("text/csv"))
			.content(SOLUTION)
			.exchange(), 200);
	}

	private String addParticipant(String organizer, String competition, String name) {
		return TestSupport.issued(JsonPath.read(require(this.mvc.post()
			.uri("/api/competitions/{c}/participants", competition)
			.header(HttpHeaders.AUTHORIZATION, bearer(organizer))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"" + name + "\"}")
			.exchange(), 201), "$.token"));
	}

	private UUID taskId(String competition) {
		return this.jdbc.queryForObject(
				"select t.id from tasks t join competitions c on c.id = t.competition_id where c.slug = ?", UUID.class,
				competition);
	}

	private UUID participantId(String token) {
		return this.jdbc.queryForObject("select id from accounts where token_hash = ?", UUID.class, Tokens.hash(token));
	}

	private static String excerpt(MvcTestResult result) {
		String body = bodyOf(result);
		return (body.length() > 300) ? body.substring(0, 300) + "..." : body;
	}

	static Row row(String operation, Rule rule) {
		return new Row(operation, rule, Map.of(), null, null, null);
	}

	/**
	 * One operation, its rule, the cells where it differs from the rule, and what to send
	 * beyond the fixtures.
	 */
	record Row(String operation, Rule rule, Map<Caller, Outcome> exceptions, String query, String bodyType,
			String body) {

		Outcome outcome(Caller caller) {
			return this.exceptions.getOrDefault(caller, this.rule.cells().get(caller));
		}

		Row except(Caller caller, Outcome outcome) {
			Map<Caller, Outcome> exceptions = new EnumMap<>(Caller.class);
			exceptions.putAll(this.exceptions);
			exceptions.put(caller, outcome);
			return new Row(this.operation, this.rule, exceptions, this.query, this.bodyType, this.body);
		}

		Row query(String query) {
			return new Row(this.operation, this.rule, this.exceptions, query, this.bodyType, this.body);
		}

		Row body(String type, String content) {
			return new Row(this.operation, this.rule, this.exceptions, this.query, type, content);
		}

	}

}
