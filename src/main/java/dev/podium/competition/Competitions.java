package dev.podium.competition;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.EntityManager;
import java.util.concurrent.ConcurrentHashMap;

import dev.podium.problem.FieldProblem;
import dev.podium.problem.InvalidRequestException;
import dev.podium.problem.ProblemException;
import dev.podium.scoring.InvalidCsvException;
import dev.podium.scoring.Metrics;
import dev.podium.scoring.Solution;
import dev.podium.security.PodiumUser;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The catalogue of competitions, their tasks and their hidden solutions. */
@Service
public class Competitions {

	private final CompetitionRepository competitions;

	private final StoredSolutionRepository solutions;

	private final CompetitionAccess access;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	/** Parsed solutions by task, valid while the upload time matches. */
	private final Map<UUID, ParsedSolution> parsed = new ConcurrentHashMap<>();

	private final EntityManager entities;

	Competitions(CompetitionRepository competitions, StoredSolutionRepository solutions, CompetitionAccess access,
			ApplicationEventPublisher events, EntityManager entities, Clock clock) {
		this.competitions = competitions;
		this.entities = entities;
		this.solutions = solutions;
		this.access = access;
		this.events = events;
		this.clock = clock;
	}

	/** A competition that only operators manage until one grants it to an organizer. */
	@Transactional
	public Competition create(CompetitionDefinition definition) {
		return create(definition, null);
	}

	/**
	 * @param creator who creates it: an organizer then manages it (operators manage every
	 * competition anyway)
	 */
	@Transactional
	public Competition create(CompetitionDefinition definition, PodiumUser creator) {
		List<FieldProblem> problems = problems(definition);
		if (!problems.isEmpty()) {
			throw new InvalidRequestException(problems);
		}
		if (this.competitions.existsBySlug(definition.slug())) {
			throw ProblemException.conflict("competition-exists",
					"A competition with slug '" + definition.slug() + "' already exists");
		}
		Competition competition = new Competition(definition.slug(), definition.title(), definition.startsAt(),
				definition.endsAt(), definition.zone(), this.clock.instant());
		competition.changeBoardRules(definition.boardRules());
		definition.tasks().forEach((task) -> competition.addTask(new Task(task)));
		Competition saved = this.competitions.saveAndFlush(competition);
		this.access.recordCreator(saved.id(), creator);
		return saved;
	}

	/**
	 * A competition moved over from elsewhere, with its page's texts; the named MODEL
	 * tasks run the participant's own {@code script.py}. Runs in the caller's transaction
	 * (an import writes the competition and its history at once, or nothing).
	 * @param source where it came from (a dataset repo id, or an archive's digest): the
	 * same source is never imported twice
	 * @param scriptTasks slugs of the tasks whose repos run their {@code script.py}
	 * @param dataset the dataset repo with the test inputs those scripts read
	 */
	@Transactional
	public Competition createImported(CompetitionDefinition definition, PodiumUser creator, CompetitionTexts texts,
			String source, Set<String> scriptTasks, String dataset) {
		Optional<Competition> earlier = this.competitions.findByImportedFrom(source);
		if (earlier.isPresent()) {
			throw ProblemException
				.conflict("already-imported",
						"'" + source + "' was imported already, as competition '" + earlier.get().slug() + "'")
				.with("competition", earlier.get().slug());
		}
		Competition competition = create(definition, creator);
		competition.describe(texts);
		competition.markImportedFrom(source);
		for (String slug : scriptTasks) {
			competition.task(slug).orElseThrow().runScripts(dataset);
		}
		return this.competitions.saveAndFlush(competition);
	}

	/** The competition imported from {@code source}, if any. */
	@Transactional(readOnly = true)
	public Optional<Competition> findImported(String source) {
		return this.competitions.findByImportedFrom(source);
	}

	/**
	 * Rules that span fields; single-field rules are checked by bean validation first.
	 */
	static List<FieldProblem> problems(CompetitionDefinition definition) {
		List<FieldProblem> problems = new ArrayList<>();
		if (!definition.endsAt().isAfter(definition.startsAt())) {
			problems.add(new FieldProblem("endsAt", "must be after startsAt"));
		}
		problems.addAll(timeProblems("", definition.boardRules().timeRules(), definition.startsAt()));
		Set<String> slugs = new HashSet<>();
		for (int i = 0; i < definition.tasks().size(); i++) {
			TaskDefinition task = definition.tasks().get(i);
			String path = "tasks[" + i + "].";
			if (!slugs.add(task.slug())) {
				problems.add(new FieldProblem(path + "slug", "duplicate task slug '" + task.slug() + "'"));
			}
			problems.addAll(metricProblems(path, task.metric(), task.secondaryMetrics()));
			problems.addAll(timeProblems(path, task.timeRules(), definition.startsAt()));
			if (Hardware.ofFlavor(task.hardware()).isEmpty()) {
				problems.add(new FieldProblem(path + "hardware", "unknown hardware flavor '" + task.hardware()
						+ "'; the Hub's flavors: " + String.join(", ", Hardware.flavors())));
			}
			if (task.evaluation() == EvaluationMode.INLINE && task.submissionKind() != SubmissionKind.FILE) {
				problems.add(new FieldProblem(path + "evaluation", "INLINE evaluation scores FILE submissions only"));
			}
			if (task.evaluationsPerSandbox() > 1 && task.evaluation() == EvaluationMode.INLINE) {
				problems.add(new FieldProblem(path + "evaluationsPerSandbox", "INLINE tasks use no sandbox"));
			}
		}
		return problems;
	}

	static List<FieldProblem> metricProblems(String path, String metric, List<String> secondaryMetrics) {
		List<FieldProblem> problems = new ArrayList<>();
		Metrics.problem(metric).ifPresent((problem) -> problems.add(new FieldProblem(path + "metric", problem)));
		Set<String> seen = new HashSet<>(Set.of(metric));
		for (int i = 0; i < secondaryMetrics.size(); i++) {
			String secondary = secondaryMetrics.get(i);
			Optional<String> problem = Metrics.problem(secondary);
			if (problem.isPresent()) {
				problems.add(new FieldProblem(path + "secondaryMetrics[" + i + "]", problem.get()));
			}
			else if (!seen.add(secondary)) {
				problems.add(new FieldProblem(path + "secondaryMetrics[" + i + "]",
						"'" + secondary + "' is already the primary or an earlier secondary metric"));
			}
		}
		return problems;
	}

	static List<FieldProblem> timeProblems(String path, TimeRules rules, Instant startsAt) {
		List<FieldProblem> problems = new ArrayList<>();
		if (rules.leaderboardFreezesAt() != null && !rules.leaderboardFreezesAt().isAfter(startsAt)) {
			problems.add(new FieldProblem(path + "leaderboardFreezesAt", "must be after startsAt"));
		}
		if (rules.privateRevealAt() != null && !rules.privateRevealAt().isAfter(startsAt)) {
			problems.add(new FieldProblem(path + "privateRevealAt", "must be after startsAt"));
		}
		if (rules.selectionDeadline() != null && !rules.selectionDeadline().isAfter(startsAt)) {
			problems.add(new FieldProblem(path + "selectionDeadline", "must be after startsAt"));
		}
		return problems;
	}

	/**
	 * Replaces a competition's board rules; its boards are rebuilt in the same
	 * transaction.
	 */
	@Transactional
	public Competition changeBoardRules(String slug, BoardRules rules, String actor) {
		Competition competition = get(slug);
		List<FieldProblem> problems = timeProblems("", rules.timeRules(), competition.startsAt());
		if (!problems.isEmpty()) {
			throw new InvalidRequestException(problems);
		}
		competition.changeBoardRules(rules);
		Competition saved = this.competitions.saveAndFlush(competition);
		this.events.publishEvent(new BoardRulesChanged(saved.id(), saved.tasks().stream().map(Task::id).toList(), actor,
				"board rules: " + rules));
		return saved;
	}

	/**
	 * Changes how a task is scored and ranked, and its own time rules. Scores recorded
	 * under another metric stay as they are until the task is re-scored.
	 */
	@Transactional
	public Task changeTaskRules(String slug, String taskSlug, String metric, Boolean higherIsBetter,
			List<String> secondaryMetrics, TimeRules timeRules, String actor) {
		Competition competition = get(slug);
		Task task = competition.task(taskSlug).orElseThrow(() -> ProblemException.notFound("Task '" + taskSlug + "'"));
		String newMetric = (metric != null) ? metric : task.metric();
		List<String> newSecondary = (secondaryMetrics != null) ? secondaryMetrics : task.secondaryMetrics();
		List<FieldProblem> problems = new ArrayList<>(metricProblems("", newMetric, newSecondary));
		problems.addAll(timeProblems("", timeRules, competition.startsAt()));
		if (!problems.isEmpty()) {
			throw new InvalidRequestException(problems);
		}
		boolean higher = (higherIsBetter != null) ? higherIsBetter : newMetric.equals(task.metric())
				? task.higherIsBetter() : Metrics.find(newMetric).orElseThrow().greaterIsBetter();
		task.changeScoring(newMetric, higher, newSecondary);
		task.changeTimeRules(timeRules);
		this.competitions.saveAndFlush(competition);
		this.events.publishEvent(new BoardRulesChanged(competition.id(), List.of(task.id()), actor,
				"task %s: metric=%s higherIsBetter=%s secondaryMetrics=%s %s".formatted(task.slug(), newMetric, higher,
						newSecondary, timeRules)));
		return task;
	}

	@Transactional(readOnly = true)
	public Optional<Competition> find(String slug) {
		return this.competitions.findBySlug(slug);
	}

	@Transactional(readOnly = true)
	public Optional<Competition> find(UUID id) {
		return this.competitions.findById(id);
	}

	/** The competition, or a 404 problem. */
	@Transactional(readOnly = true)
	public Competition get(String slug) {
		return find(slug).orElseThrow(() -> ProblemException.notFound("Competition '" + slug + "'"));
	}

	/**
	 * By the persistence context first: a request that shows many submissions of a task
	 * reads it once, with its competition, in one statement.
	 */
	@Transactional(readOnly = true)
	public Optional<Task> findTask(UUID taskId) {
		return Optional.ofNullable(this.entities.find(Task.class, taskId));
	}

	@Transactional(readOnly = true)
	public List<Competition> all() {
		return this.competitions.findAllNewestFirst();
	}

	/** Stores a task's hidden solution after checking that it can score submissions. */
	@Transactional
	public Solution uploadSolution(Task task, byte[] csv) {
		Solution solution;
		try {
			solution = Solution.parse(csv, task.idColumn());
		}
		catch (InvalidCsvException ex) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-solution", "Invalid solution",
					"The solution CSV cannot score submissions")
				.with("problems", ex.problems());
		}
		Instant now = this.clock.instant();
		StoredSolution stored = this.solutions.findById(task.id())
			.orElseGet(() -> new StoredSolution(task.id(), csv, solution.rowCount(), now));
		stored.replace(csv, solution.rowCount(), now);
		this.solutions.saveAndFlush(stored);
		this.parsed.put(task.id(), new ParsedSolution(now, solution));
		return solution;
	}

	/** The task's parsed solution, if the organizer uploaded one. */
	@Transactional(readOnly = true)
	public Optional<Solution> solution(Task task) {
		Optional<Instant> uploadedAt = this.solutions.findUploadedAt(task.id());
		if (uploadedAt.isEmpty()) {
			return Optional.empty();
		}
		ParsedSolution cached = this.parsed.get(task.id());
		if (cached != null && cached.uploadedAt().equals(uploadedAt.get())) {
			return Optional.of(cached.solution());
		}
		StoredSolution stored = this.solutions.findById(task.id()).orElseThrow();
		Solution solution = Solution.parse(stored.content(), task.idColumn());
		this.parsed.put(task.id(), new ParsedSolution(stored.uploadedAt(), solution));
		return Optional.of(solution);
	}

	private record ParsedSolution(Instant uploadedAt, Solution solution) {
	}

}
