package dev.podium.importing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.competition.BoardRules;
import dev.podium.competition.CompetitionDefinition;
import dev.podium.competition.CompetitionTexts;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.Hardware;
import dev.podium.competition.PrivateBoardRule;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.SubmissionKind;
import dev.podium.competition.TaskDefinition;
import dev.podium.competition.TimeRules;
import dev.podium.importing.ImportPlan.Participant;
import dev.podium.importing.ImportPlan.PastSubmission;
import dev.podium.importing.ImportPlan.Team;
import dev.podium.importing.ImportReport.Mapping;
import dev.podium.importing.ImportReport.NotMapped;
import dev.podium.importing.ImportReport.Problem;
import dev.podium.scoring.InvalidCsvException;
import dev.podium.security.Accounts;
import dev.podium.scoring.Metrics;
import dev.podium.scoring.Solution;
import dev.podium.submission.SubmissionHistory.Outcome;

/**
 * Reads a huggingface/competitions competition repo, in the format its own code writes
 * ({@code info.py}, {@code submissions.py}, {@code leaderboard.py},
 * {@code competition_repo.mdx}), into what Podium makes of it. Nothing here writes: the
 * plan and its report are checked whole before the import writes anything.
 */
final class HfCompetitionReader {

	/** The one task an imported competition has. */
	static final String TASK = "main";

	/** huggingface/competitions' dates: naive, written from the Space's clock, in UTC. */
	private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	private static final Pattern HEX_SHA = Pattern.compile("[0-9a-f]{40}");

	private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	private static final Set<String> KNOWN_KEYS = Set.of("COMPETITION_TYPE", "SUBMISSION_LIMIT", "SELECTION_LIMIT",
			"END_DATE", "EVAL_METRIC", "SCORING_METRIC", "EVAL_HIGHER_IS_BETTER", "SUBMISSION_ID_COLUMN",
			"SUBMISSION_COLUMNS", "SUBMISSION_ROWS", "TIME_LIMIT", "HARDWARE", "DATASET", "SUBMISSION_FILENAMES",
			"LOGO");

	/** Files of the repo that the import reads; any other is named as left behind. */
	private static final Set<String> READ = Set.of("conf.json", "solution.csv", "COMPETITION_DESC.md",
			"DATASET_DESC.md", "SUBMISSION_DESC.md", "RULES.md", "teams.json", "user_team.json");

	private static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final RepoFiles repo;

	private final List<Mapping> mapped = new ArrayList<>();

	private final List<NotMapped> notMapped = new ArrayList<>();

	private final List<Problem> problems = new ArrayList<>();

	private HfCompetitionReader(RepoFiles repo) {
		this.repo = repo;
	}

	/**
	 * @param slug the competition's slug; {@code null} derives one from the repo's name
	 * @param title its title; {@code null} takes the description's first heading
	 * @param now when the import runs: the start of a competition without submissions
	 */
	static ImportPlan read(RepoFiles repo, String slug, String title, Instant now) {
		return new HfCompetitionReader(repo).plan(slug, title, now);
	}

	private ImportPlan plan(String requestedSlug, String requestedTitle, Instant now) {
		JsonNode conf = conf();
		String type = string(conf, "COMPETITION_TYPE", "generic").toLowerCase(Locale.ROOT).strip();
		boolean script = type.equals("script");
		if (!script && !type.equals("generic")) {
			problem("conf.json COMPETITION_TYPE", "'" + type + "' is neither 'generic' nor 'script'");
		}
		else {
			this.mapped.add(new Mapping("COMPETITION_TYPE", type,
					script ? "a MODEL task: each submission is a Hub model repo whose script.py writes submission.csv, "
							+ "run in a sandbox (runner SCRIPT)"
							: "a FILE task scored inline against the hidden solution, without a sandbox"));
		}
		String metric = metric(conf);
		boolean higherIsBetter = higherIsBetter(conf);
		String idColumn = string(conf, "SUBMISSION_ID_COLUMN", "id").strip();
		this.mapped.add(new Mapping("SUBMISSION_ID_COLUMN", idColumn, "idColumn"));
		int daily = bounded(conf, "SUBMISSION_LIMIT", 5, 1, 1000, "dailySubmissionLimit (per entrant and UTC day)");
		int selection = bounded(conf, "SELECTION_LIMIT", 2, 1, 100,
				"selectionLimit (how many submissions an entrant selects for the private board)");
		Duration timeout = timeout(conf, script);
		String hardware = hardware(conf, script);
		String dataset = dataset(conf, script);
		submissionFilenames(conf, script);
		Instant endsAt = endDate(conf, now);
		CompetitionTexts texts = texts(conf);
		byte[] solutionCsv = this.repo.file("solution.csv").orElse(null);
		Integer solutionRows = solution(solutionCsv, idColumn, conf);
		leftBehind(conf);

		Map<String, Team> teams = teams();
		Map<String, String> userTeam = userTeam();
		List<PastSubmission> submissions = new ArrayList<>();
		int[] counts = submissions(metric, script, teams, userTeam, submissions);

		Set<String> users = new LinkedHashSet<>(userTeam.keySet());
		teams.values().forEach((team) -> users.addAll(team.members()));
		submissions.forEach((submission) -> users.add(submission.submittedBy()));
		List<Participant> participants = users.stream()
			.map((user) -> new Participant(user, Accounts.HUB_NAME_PREFIX + user))
			.toList();
		selections(submissions, selection);

		Instant startsAt = submissions.stream()
			.map(PastSubmission::submittedAt)
			.min(Instant::compareTo)
			.orElse(now)
			.minus(Duration.ofDays(1))
			.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
		if (!endsAt.isAfter(startsAt)) {
			problem("conf.json END_DATE",
					"the competition would end (" + endsAt + ") before its first submission's day (" + startsAt + ")");
		}
		String slug = slug(requestedSlug);
		String title = title(requestedTitle, texts);
		TaskDefinition task = new TaskDefinition(TASK, title, script ? SubmissionKind.MODEL : SubmissionKind.FILE,
				script ? EvaluationMode.SANDBOX : EvaluationMode.INLINE, (metric != null) ? metric : "accuracy_score",
				higherIsBetter, daily, selection, idColumn, DEFAULT_MAX_FILE_BYTES, hardware, script ? 25 : 1,
				ReuseScope.PARTICIPANT, timeout, null);
		// huggingface/competitions' rule, so that the imported private board ranks as it
		// did: a
		// team that selected nothing stands with its single best public submission.
		CompetitionDefinition definition = new CompetitionDefinition(slug, title, startsAt, endsAt, ZoneId.of("UTC"),
				List.of(task), new BoardRules(PrivateBoardRule.BEST_PUBLIC, TimeRules.NONE, false));
		List<String> textNames = new ArrayList<>();
		if (texts.description() != null) {
			textNames.add("description");
		}
		if (texts.datasetDescription() != null) {
			textNames.add("datasetDescription");
		}
		if (texts.submissionDescription() != null) {
			textNames.add("submissionDescription");
		}
		if (texts.rules() != null) {
			textNames.add("rules");
		}
		ImportReport.Planned planned = new ImportReport.Planned(slug, title, startsAt, endsAt, "UTC", "BEST_PUBLIC",
				List.of(new ImportReport.PlannedTask(TASK, task.submissionKind().name(), task.evaluation().name(),
						script ? "SCRIPT" : null, task.metric(), higherIsBetter, daily, selection, idColumn, hardware,
						timeout.toSeconds(), dataset, solutionRows)),
				textNames, texts.logoUrl());
		ImportReport report = new ImportReport(this.repo.source(), true, false, planned, List.copyOf(this.mapped),
				List.copyOf(this.notMapped), List.copyOf(this.problems),
				new ImportReport.People(participants.size(), participants.stream().map(Participant::hfUserId).toList()),
				teams.values()
					.stream()
					.map((team) -> new ImportReport.Team(team.id(), team.name(), team.members(), team.leader()))
					.toList(),
				new ImportReport.History(submissions.size(), counts[0], counts[1], counts[2],
						(int) submissions.stream().filter(PastSubmission::selected).count(), counts[3], counts[4],
						counts[5]));
		return new ImportPlan(this.repo.source(), definition, texts, script, dataset, solutionCsv, participants,
				List.copyOf(teams.values()), submissions, report);
	}

	// ---------------------------------------------------------------- conf.json

	private JsonNode conf() {
		Optional<byte[]> conf = this.repo.file("conf.json");
		if (conf.isEmpty()) {
			problem("conf.json", "the repo has no conf.json: is this a huggingface/competitions competition repo?");
			return json.createObjectNode();
		}
		try {
			JsonNode node = json.readTree(conf.get());
			if (node == null || !node.isObject()) {
				problem("conf.json", "not a JSON object");
				return json.createObjectNode();
			}
			return node;
		}
		catch (JacksonException ex) {
			problem("conf.json", "not valid JSON");
			return json.createObjectNode();
		}
	}

	private String metric(JsonNode conf) {
		String evalMetric = string(conf, "EVAL_METRIC", null);
		if (evalMetric == null || evalMetric.isBlank()) {
			problem("conf.json EVAL_METRIC", "missing");
			return null;
		}
		evalMetric = evalMetric.strip();
		String scoring = string(conf, "SCORING_METRIC", null);
		if (evalMetric.equals("custom")) {
			if (scoring == null || scoring.isBlank()) {
				problem("conf.json SCORING_METRIC",
						"a custom metric needs SCORING_METRIC, the score that ranks (as huggingface/competitions requires)");
				return null;
			}
			scoring = scoring.strip();
			this.notMapped.add(new NotMapped("EVAL_METRIC", "custom",
					"Podium does not run organizer metric code (metric.py) yet: the imported scores rank as they were, "
							+ "and new submissions are scored with Podium's own '" + scoring + "'"
							+ (this.repo.file("metric.py").isPresent() ? "; metric.py is left behind" : "")));
			if (Metrics.find(scoring).isEmpty()) {
				problem("conf.json SCORING_METRIC",
						"'" + scoring
								+ "' is not a metric Podium computes, so new submissions could not be scored; known: "
								+ String.join(", ", Metrics.names()));
				return null;
			}
			this.mapped.add(new Mapping("SCORING_METRIC", scoring, "metric (the score that ranks)"));
			return scoring;
		}
		if (Metrics.find(evalMetric).isEmpty()) {
			problem("conf.json EVAL_METRIC", "'" + evalMetric + "' is not a metric Podium computes; known: "
					+ String.join(", ", Metrics.names()));
			return null;
		}
		this.mapped.add(new Mapping("EVAL_METRIC", evalMetric, "metric"));
		if (scoring != null && !scoring.isBlank() && !scoring.strip().equals(evalMetric)) {
			this.notMapped.add(new NotMapped("SCORING_METRIC", scoring,
					"huggingface/competitions uses SCORING_METRIC only with a custom metric; '" + evalMetric
							+ "' ranks"));
		}
		else if (scoring != null) {
			this.mapped.add(new Mapping("SCORING_METRIC", scoring, "metric (the same as EVAL_METRIC)"));
		}
		return evalMetric;
	}

	private boolean higherIsBetter(JsonNode conf) {
		JsonNode value = conf.get("EVAL_HIGHER_IS_BETTER");
		if (value == null || value.isNull()) {
			problem("conf.json EVAL_HIGHER_IS_BETTER", "missing (1 when higher scores are better, 0 otherwise)");
			return true;
		}
		String text = value.asString().strip().toLowerCase(Locale.ROOT);
		boolean higher;
		if (text.equals("1") || text.equals("true")) {
			higher = true;
		}
		else if (text.equals("0") || text.equals("false")) {
			higher = false;
		}
		else {
			problem("conf.json EVAL_HIGHER_IS_BETTER", "'" + value.asString() + "' is neither 1 nor 0");
			return true;
		}
		this.mapped.add(new Mapping("EVAL_HIGHER_IS_BETTER", text, "higherIsBetter=" + higher));
		return higher;
	}

	private int bounded(JsonNode conf, String key, int fallback, int min, int max, String rule) {
		JsonNode value = conf.get(key);
		if (value == null || value.isNull()) {
			this.notMapped.add(new NotMapped(key, null, "missing: Podium's default " + fallback + " applies"));
			return fallback;
		}
		Integer number = integer(value);
		if (number == null || number < min || number > max) {
			problem("conf.json " + key, "'" + value.asString() + "' is not a whole number from " + min + " to " + max);
			return fallback;
		}
		this.mapped.add(new Mapping(key, number.toString(), rule));
		return number;
	}

	private Duration timeout(JsonNode conf, boolean script) {
		JsonNode value = conf.get("TIME_LIMIT");
		if (!script) {
			if (value != null) {
				this.notMapped.add(new NotMapped("TIME_LIMIT", value.asString(),
						"a generic competition runs no participant code: there is nothing to time"));
			}
			return Duration.ofSeconds(1800);
		}
		Integer seconds = (value != null) ? integer(value) : null;
		if (seconds == null || seconds < 10 || seconds > 86_400) {
			problem("conf.json TIME_LIMIT", "a script competition needs a time limit of 10 to 86400 seconds, not '"
					+ ((value != null) ? value.asString() : null) + "'");
			return Duration.ofSeconds(1800);
		}
		this.mapped.add(new Mapping("TIME_LIMIT", seconds.toString(),
				"timeoutSeconds (counted from the moment the repo and data are downloaded)"));
		return Duration.ofSeconds(seconds);
	}

	private String hardware(JsonNode conf, boolean script) {
		String flavor = string(conf, "HARDWARE", "cpu-basic").strip();
		if (!script) {
			this.notMapped.add(new NotMapped("HARDWARE", flavor,
					"a generic competition is scored inline by Podium, on no hardware of the Hub's"));
			return "cpu-basic";
		}
		if (Hardware.ofFlavor(flavor).isEmpty()) {
			problem("conf.json HARDWARE",
					"'" + flavor + "' is not a flavor of the Hub's; known: " + String.join(", ", Hardware.flavors()));
			return "cpu-basic";
		}
		this.mapped.add(new Mapping("HARDWARE", flavor, "hardware of the evaluation Spaces"));
		return flavor;
	}

	private String dataset(JsonNode conf, boolean script) {
		String dataset = string(conf, "DATASET", "").strip();
		if (dataset.isEmpty()) {
			return null;
		}
		if (!script) {
			this.notMapped.add(new NotMapped("DATASET", dataset,
					"huggingface/competitions downloads DATASET only for script competitions; Podium neither"));
			return null;
		}
		if (!dataset.matches("[\\w\\-.]{1,96}/[\\w\\-.]{1,96}")) {
			problem("conf.json DATASET", "'" + dataset + "' is not a dataset id 'namespace/name'");
			return null;
		}
		this.mapped.add(new Mapping("DATASET", dataset,
				"dataset: downloaded into /tmp/data before each script runs, with the Space's PODIUM_DATASET_TOKEN"));
		return dataset;
	}

	private void submissionFilenames(JsonNode conf, boolean script) {
		JsonNode value = conf.get("SUBMISSION_FILENAMES");
		if (value == null || value.isNull()) {
			return;
		}
		List<String> names = new ArrayList<>();
		if (value.isArray()) {
			value.values().forEach((name) -> names.add(name.asString()));
		}
		else {
			names.add(value.asString());
		}
		if (names.equals(List.of("submission.csv"))) {
			this.mapped.add(new Mapping("SUBMISSION_FILENAMES", "submission.csv",
					script ? "the script writes submission.csv, which Podium scores" : "the uploaded CSV"));
		}
		else {
			this.notMapped.add(new NotMapped("SUBMISSION_FILENAMES", String.join(",", names),
					"Podium takes one predictions file, submission.csv (other files serve custom metrics, which "
							+ "Podium does not run)"));
		}
	}

	private Instant endDate(JsonNode conf, Instant now) {
		String text = string(conf, "END_DATE", null);
		if (text == null) {
			problem("conf.json END_DATE", "missing");
			return now.plus(Duration.ofDays(30));
		}
		try {
			// huggingface/competitions closes at midnight starting END_DATE
			// (datetime.now() >
			// end_date), on the Space's clock, in UTC.
			Instant end = LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
			this.mapped.add(new Mapping("END_DATE", text, "endsAt " + end + " (the start of that day, UTC, as there)"));
			return end;
		}
		catch (DateTimeParseException ex) {
			problem("conf.json END_DATE", "'" + text + "' is not a date YYYY-MM-DD");
			return now.plus(Duration.ofDays(30));
		}
	}

	private CompetitionTexts texts(JsonNode conf) {
		String logo = string(conf, "LOGO", "").strip();
		String logoUrl = null;
		if (!logo.isEmpty()) {
			if (logo.startsWith("https://") && logo.length() <= 2000 && logo.chars().noneMatch(Character::isWhitespace)
					&& !logo.contains("\"") && !logo.contains("<")) {
				logoUrl = logo;
				this.mapped.add(new Mapping("LOGO", logo, "the logo on the competition's page"));
			}
			else {
				this.notMapped.add(new NotMapped("LOGO", logo, "Podium shows only https image URLs"));
			}
		}
		String description = this.repo.text("COMPETITION_DESC.md").orElse(null);
		String datasetDescription = this.repo.text("DATASET_DESC.md").orElse(null);
		if (description == null) {
			this.notMapped.add(new NotMapped("COMPETITION_DESC.md", null, "missing: the page has no description"));
		}
		if (datasetDescription == null) {
			this.notMapped.add(new NotMapped("DATASET_DESC.md", null, "missing: the page has no dataset description"));
		}
		return new CompetitionTexts(description, datasetDescription, this.repo.text("SUBMISSION_DESC.md").orElse(null),
				this.repo.text("RULES.md").orElse(null), logoUrl);
	}

	private Integer solution(byte[] csv, String idColumn, JsonNode conf) {
		if (csv == null) {
			problem("solution.csv", "missing: the hidden solution is needed to score new submissions");
			return null;
		}
		Solution solution;
		try {
			solution = Solution.parse(csv, idColumn);
		}
		catch (InvalidCsvException ex) {
			ex.problems().forEach((message) -> problem("solution.csv", message));
			return null;
		}
		this.mapped.add(new Mapping("solution.csv", solution.rowCount() + " rows (" + solution.publicRowCount()
				+ " public, " + solution.privateRowCount() + " private)", "the task's hidden solution"));
		String columns = string(conf, "SUBMISSION_COLUMNS", null);
		if (columns != null) {
			List<String> expected = new ArrayList<>();
			expected.add(idColumn);
			expected.addAll(solution.targetColumns());
			List<String> declared = List.of(columns.split(",")).stream().map(String::strip).toList();
			if (new HashSet<>(declared).equals(new HashSet<>(expected))) {
				this.mapped.add(new Mapping("SUBMISSION_COLUMNS", columns,
						"checked on every submission against the solution's columns"));
			}
			else {
				this.notMapped.add(new NotMapped("SUBMISSION_COLUMNS", columns,
						"Podium asks submissions for the solution's columns " + expected + " instead"));
			}
		}
		JsonNode rows = conf.get("SUBMISSION_ROWS");
		if (rows != null && !rows.isNull()) {
			Integer declared = integer(rows);
			if (declared != null && declared == solution.rowCount()) {
				this.mapped.add(new Mapping("SUBMISSION_ROWS", declared.toString(),
						"checked on every submission: one row per solution id"));
			}
			else {
				this.notMapped.add(new NotMapped("SUBMISSION_ROWS", rows.asString(),
						"Podium asks for one row per solution id, " + solution.rowCount() + " rows"));
			}
		}
		return solution.rowCount();
	}

	private void leftBehind(JsonNode conf) {
		for (String key : conf.propertyNames()) {
			if (!KNOWN_KEYS.contains(key)) {
				this.notMapped.add(new NotMapped(key, conf.get(key).asString(), "a setting Podium does not know"));
			}
		}
		for (String path : this.repo.files().keySet()) {
			if (!READ.contains(path) && !path.startsWith("submission_info/") && !path.startsWith("submissions/")
					&& !path.equals("metric.py") && !path.equals(".gitattributes") && !path.equals("README.md")) {
				this.notMapped.add(new NotMapped(path, null,
						path.equals("requirements.txt")
								? "Podium installs nothing per run: put these packages into the evaluation image's "
										+ "requirements.txt (docker/eval-space)"
								: "a file Podium does not read"));
			}
		}
	}

	// ---------------------------------------------------------------- teams

	private Map<String, Team> teams() {
		Map<String, Team> teams = new LinkedHashMap<>();
		JsonNode node = jsonFile("teams.json");
		if (node == null) {
			return teams;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			JsonNode team = entry.getValue();
			String id = string(team, "id", entry.getKey());
			List<String> members = new ArrayList<>();
			JsonNode list = team.get("members");
			if (list != null && list.isArray()) {
				list.values().forEach((member) -> members.add(member.asString()));
			}
			String leader = string(team, "leader", members.isEmpty() ? null : members.get(0));
			if (!validId(id) || members.stream().anyMatch((member) -> !validId(member))) {
				problem("teams.json " + entry.getKey(), "a team or member id is not a Hugging Face id");
				continue;
			}
			teams.put(id, new Team(id, string(team, "name", id), List.copyOf(members), leader));
		}
		return teams;
	}

	private Map<String, String> userTeam() {
		Map<String, String> userTeam = new LinkedHashMap<>();
		JsonNode node = jsonFile("user_team.json");
		if (node == null) {
			return userTeam;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			if (!validId(entry.getKey()) || !validId(entry.getValue().asString())) {
				problem("user_team.json " + entry.getKey(), "not a Hugging Face user id and a team id");
				continue;
			}
			userTeam.put(entry.getKey(), entry.getValue().asString());
		}
		return userTeam;
	}

	// ---------------------------------------------------------------- submissions

	/**
	 * @return scored, failed, waiting, files, files missing, skipped
	 */
	private int[] submissions(String metric, boolean script, Map<String, Team> teams, Map<String, String> userTeam,
			List<PastSubmission> into) {
		int[] counts = new int[6];
		Set<String> seen = new HashSet<>();
		Map<String, byte[]> infos = this.repo.under("submission_info/");
		Map<String, byte[]> files = this.repo.under("submissions/");
		for (Map.Entry<String, byte[]> info : infos.entrySet()) {
			String where = "submission_info/" + info.getKey();
			if (!info.getKey().endsWith(".json")) {
				continue;
			}
			JsonNode node;
			try {
				node = json.readTree(info.getValue());
			}
			catch (JacksonException ex) {
				problem(where, "not valid JSON");
				continue;
			}
			String teamId = string(node, "id", info.getKey().substring(0, info.getKey().length() - 5));
			if (!validId(teamId)) {
				problem(where, "'" + teamId + "' is not a team id");
				continue;
			}
			Team team = teams.get(teamId);
			JsonNode list = node.get("submissions");
			if (list == null || !list.isArray()) {
				problem(where, "has no 'submissions' list");
				continue;
			}
			int index = 0;
			for (JsonNode sub : list.values()) {
				String at = where + " submissions[" + (index++) + "]";
				String externalId = string(sub, "submission_id", null);
				if (externalId == null || externalId.isBlank() || externalId.length() > 200) {
					problem(at, "has no submission_id");
					continue;
				}
				if (!seen.add(externalId)) {
					this.notMapped.add(new NotMapped(at, externalId, "a second submission with this id: skipped"));
					counts[5]++;
					continue;
				}
				Instant submittedAt = submittedAt(sub);
				if (submittedAt == null) {
					problem(at, "has no datetime 'YYYY-MM-DD HH:MM:SS'");
					continue;
				}
				String submittedBy = string(sub, "submitted_by", null);
				if (submittedBy == null || submittedBy.isBlank()) {
					// Files written before teams existed were named after their user.
					submittedBy = (team != null && team.leader() != null) ? team.leader() : teamId;
				}
				if (!validId(submittedBy)) {
					problem(at, "submitted_by '" + submittedBy + "' is not a Hugging Face user id");
					continue;
				}
				Outcome outcome = outcome(sub.get("status"));
				if (outcome == null) {
					problem(at, "status '" + sub.get("status") + "' is not one huggingface/competitions writes");
					continue;
				}
				Double publicScore = score(sub.get("public_score"), metric);
				Double privateScore = score(sub.get("private_score"), metric);
				byte[] file = null;
				String fileName = null;
				String prefix = teamId + "-" + externalId + ".";
				for (Map.Entry<String, byte[]> candidate : files.entrySet()) {
					if (candidate.getKey().startsWith(prefix)) {
						fileName = candidate.getKey();
						file = candidate.getValue();
						break;
					}
				}
				String model = null;
				String revision = null;
				if (script) {
					model = string(sub, "submission_repo", null);
					// There, a script submission's id is the model's commit + "__" + a
					// uuid.
					String sha = externalId.contains("__") ? externalId.substring(0, externalId.indexOf("__")) : "";
					revision = HEX_SHA.matcher(sha).matches() ? sha : "main";
					if (model != null && (model.isBlank() || model.length() > 200)) {
						model = null;
					}
					file = null;
					fileName = null;
				}
				else if (file != null) {
					counts[3]++;
				}
				else {
					counts[4]++;
				}
				String failure = null;
				if (outcome == Outcome.WAITING && (script ? model == null : file == null)) {
					outcome = Outcome.FAILED;
					failure = "not evaluated on huggingface/competitions before the import, and its "
							+ (script ? "model repo" : "file") + " is missing";
				}
				else if (outcome == Outcome.FAILED) {
					failure = "failed on huggingface/competitions";
				}
				if (outcome == Outcome.SCORED && publicScore == null) {
					this.notMapped.add(new NotMapped(at, externalId,
							"scored there, but without a '" + metric + "' public score: it cannot rank"));
				}
				counts[(outcome == Outcome.SCORED) ? 0 : (outcome == Outcome.FAILED) ? 1 : 2]++;
				boolean selected = outcome == Outcome.SCORED && bool(sub.get("selected"));
				into.add(new PastSubmission(teamId, submittedBy, externalId, submittedAt, outcome, publicScore,
						privateScore, selected, string(sub, "submission_comment", null), fileName, file, model,
						revision, failure));
			}
		}
		into.sort((a, b) -> a.submittedAt().compareTo(b.submittedAt()));
		return counts;
	}

	/** huggingface/competitions skips a team that selected more than allowed. */
	private void selections(List<PastSubmission> submissions, int limit) {
		Map<String, Integer> selected = new LinkedHashMap<>();
		submissions.stream()
			.filter(PastSubmission::selected)
			.forEach((submission) -> selected.merge(submission.teamId(), 1, Integer::sum));
		selected.forEach((team, count) -> {
			if (count > limit) {
				this.notMapped.add(new NotMapped("submission_info/" + team + ".json", count + " selected",
						"more than SELECTION_LIMIT (" + limit + "): huggingface/competitions left this team off its "
								+ "private board; Podium ranks its best selected one"));
			}
		});
	}

	private static Instant submittedAt(JsonNode sub) {
		String datetime = string(sub, "datetime", null);
		if (datetime == null && sub.get("date") != null) {
			// the first format: separate date and time
			datetime = string(sub, "date", "") + " " + string(sub, "time", "00:00:00");
		}
		if (datetime == null) {
			return null;
		}
		try {
			return LocalDateTime.parse(datetime.strip(), DATETIME).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * Its status there: {@code SubmissionStatus} values 0-4 (PENDING, QUEUED, PROCESSING,
	 * SUCCESS, FAILED), or the words of older files ("pending", "done", ...).
	 */
	private static Outcome outcome(JsonNode status) {
		if (status == null || status.isNull()) {
			return null;
		}
		String text = status.asString().strip().toLowerCase(Locale.ROOT);
		return switch (text) {
			case "0", "1", "2", "pending", "queued", "processing" -> Outcome.WAITING;
			case "3", "success", "done" -> Outcome.SCORED;
			case "4", "failed", "error" -> Outcome.FAILED;
			default -> null;
		};
	}

	/**
	 * A score map's value of the ranking metric (or its only value), or a bare number.
	 */
	private static Double score(JsonNode score, String metric) {
		if (score == null || score.isNull()) {
			return null;
		}
		JsonNode value = score;
		if (score.isObject()) {
			value = (metric != null) ? score.get(metric) : null;
			if (value == null && score.size() == 1) {
				value = score.values().iterator().next();
			}
		}
		if (value == null || value.isNull() || !(value.isNumber() || value.isString())) {
			return null;
		}
		try {
			double number = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asString());
			return (Double.isFinite(number) && !(score.isNumber() && number == -1)) ? number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	// ---------------------------------------------------------------- naming

	private String slug(String requested) {
		if (requested != null && !requested.isBlank()) {
			if (!SLUG.matcher(requested).matches()) {
				problem("slug", "must be 1-63 lowercase letters, digits or hyphens, starting with a letter or digit");
			}
			return requested;
		}
		String base = this.repo.name().contains("/") ? this.repo.name().substring(this.repo.name().indexOf('/') + 1)
				: this.repo.name();
		String slug = base.toLowerCase(Locale.ROOT)
			.replaceAll("\\.zip$", "")
			.replaceAll("[^a-z0-9]+", "-")
			.replaceAll("^-+|-+$", "");
		if (slug.length() > 63) {
			slug = slug.substring(0, 63).replaceAll("-+$", "");
		}
		return slug.isEmpty() ? "imported" : slug;
	}

	private String title(String requested, CompetitionTexts texts) {
		if (requested != null && !requested.isBlank()) {
			return requested.strip().substring(0, Math.min(200, requested.strip().length()));
		}
		if (texts.description() != null) {
			for (String line : texts.description().split("\n")) {
				String stripped = line.strip();
				if (stripped.startsWith("#")) {
					String heading = stripped.replaceFirst("^#+", "").strip();
					if (!heading.isEmpty()) {
						return heading.substring(0, Math.min(200, heading.length()));
					}
				}
			}
		}
		return this.repo.name().substring(0, Math.min(200, this.repo.name().length()));
	}

	// ---------------------------------------------------------------- plumbing

	private JsonNode jsonFile(String path) {
		Optional<byte[]> bytes = this.repo.file(path);
		if (bytes.isEmpty()) {
			return null;
		}
		try {
			JsonNode node = json.readTree(new String(bytes.get(), StandardCharsets.UTF_8));
			if (node == null || !node.isObject()) {
				problem(path, "not a JSON object");
				return null;
			}
			return node;
		}
		catch (JacksonException ex) {
			problem(path, "not valid JSON");
			return null;
		}
	}

	private static String string(JsonNode node, String key, String fallback) {
		JsonNode value = node.get(key);
		return (value == null || value.isNull()) ? fallback : value.asString();
	}

	private static Integer integer(JsonNode value) {
		try {
			double number = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asString().strip());
			return (number == Math.rint(number) && Math.abs(number) < 1e9) ? (int) number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static boolean bool(JsonNode value) {
		return value != null && !value.isNull()
				&& (value.isBoolean() ? value.asBoolean() : "true".equalsIgnoreCase(value.asString().strip()));
	}

	private static boolean validId(String id) {
		return id != null && HUB_ID.matcher(id).matches();
	}

	private void problem(String where, String message) {
		this.problems.add(new Problem(where, message));
	}

}
