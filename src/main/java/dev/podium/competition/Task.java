package dev.podium.competition;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One thing to predict within a competition, with the rules its submissions follow. */
@Entity
@Table(name = "tasks")
public class Task {

	@Id
	private UUID id;

	@ManyToOne
	@JoinColumn(name = "competition_id")
	private Competition competition;

	private int position;

	private String slug;

	private String title;

	@Enumerated(EnumType.STRING)
	private SubmissionKind submissionKind;

	@Enumerated(EnumType.STRING)
	private EvaluationMode evaluation;

	private String metric;

	private boolean higherIsBetter;

	private int dailySubmissionLimit;

	private int selectionLimit;

	private String idColumn;

	private long maxFileBytes;

	private String hardware;

	private int evaluationsPerSandbox;

	@Enumerated(EnumType.STRING)
	private ReuseScope reuseScope;

	private int timeoutSeconds;

	private String localCommand;

	private Integer sandboxLifetimeSeconds;

	private Integer idleTimeoutSeconds;

	@Enumerated(EnumType.STRING)
	private ModelRunner runner = ModelRunner.PREDICT;

	private String dataset;

	/**
	 * One metric spec a line, in tie-break order (a spec's arguments may hold commas).
	 */
	private String secondaryMetrics = "";

	private Instant leaderboardFreezesAt;

	private Instant privateRevealAt;

	private Instant selectionDeadline;

	protected Task() {
	}

	Task(TaskDefinition definition) {
		this.id = UUID.randomUUID();
		this.slug = definition.slug();
		this.title = definition.title();
		this.submissionKind = definition.submissionKind();
		this.evaluation = definition.evaluation();
		this.metric = definition.metric();
		this.higherIsBetter = definition.higherIsBetter();
		this.dailySubmissionLimit = definition.dailySubmissionLimit();
		this.selectionLimit = definition.selectionLimit();
		this.idColumn = definition.idColumn();
		this.maxFileBytes = definition.maxFileBytes();
		this.hardware = definition.hardware();
		this.evaluationsPerSandbox = definition.evaluationsPerSandbox();
		this.reuseScope = definition.reuseScope();
		this.timeoutSeconds = (int) definition.timeout().toSeconds();
		this.localCommand = definition.localCommand();
		this.sandboxLifetimeSeconds = (definition.sandboxLifetime() != null)
				? (int) definition.sandboxLifetime().toSeconds() : null;
		this.idleTimeoutSeconds = (definition.idleTimeout() != null) ? (int) definition.idleTimeout().toSeconds()
				: null;
		this.secondaryMetrics = String.join("\n", definition.secondaryMetrics());
		TimeRules rules = definition.timeRules();
		this.leaderboardFreezesAt = rules.leaderboardFreezesAt();
		this.privateRevealAt = rules.privateRevealAt();
		this.selectionDeadline = rules.selectionDeadline();
	}

	/**
	 * Changes how the task is scored and ranked; its scores are then stale until
	 * re-scored.
	 */
	void changeScoring(String metric, boolean higherIsBetter, List<String> secondaryMetrics) {
		this.metric = metric;
		this.higherIsBetter = higherIsBetter;
		this.secondaryMetrics = String.join("\n", secondaryMetrics);
	}

	void changeTimeRules(TimeRules rules) {
		this.leaderboardFreezesAt = rules.leaderboardFreezesAt();
		this.privateRevealAt = rules.privateRevealAt();
		this.selectionDeadline = rules.selectionDeadline();
	}

	void attachTo(Competition competition, int position) {
		this.competition = competition;
		this.position = position;
	}

	public UUID id() {
		return this.id;
	}

	public UUID competitionId() {
		return this.competition.id();
	}

	public String competitionSlug() {
		return this.competition.slug();
	}

	public String slug() {
		return this.slug;
	}

	public String title() {
		return this.title;
	}

	public SubmissionKind submissionKind() {
		return this.submissionKind;
	}

	public EvaluationMode evaluation() {
		return this.evaluation;
	}

	public String metric() {
		return this.metric;
	}

	public boolean higherIsBetter() {
		return this.higherIsBetter;
	}

	public int dailySubmissionLimit() {
		return this.dailySubmissionLimit;
	}

	public int selectionLimit() {
		return this.selectionLimit;
	}

	public String idColumn() {
		return this.idColumn;
	}

	public long maxFileBytes() {
		return this.maxFileBytes;
	}

	public String hardware() {
		return this.hardware;
	}

	public int evaluationsPerSandbox() {
		return this.evaluationsPerSandbox;
	}

	public ReuseScope reuseScope() {
		return this.reuseScope;
	}

	public Duration timeout() {
		return Duration.ofSeconds(this.timeoutSeconds);
	}

	public String localCommand() {
		return this.localCommand;
	}

	/** A sandbox's longest life; {@code null} when the task sets none. */
	public Duration sandboxLifetime() {
		return (this.sandboxLifetimeSeconds != null) ? Duration.ofSeconds(this.sandboxLifetimeSeconds) : null;
	}

	/** How long an idle sandbox waits for work; {@code null} when the task sets none. */
	public Duration idleTimeout() {
		return (this.idleTimeoutSeconds != null) ? Duration.ofSeconds(this.idleTimeoutSeconds) : null;
	}

	/** How a MODEL submission's repo is run. */
	public ModelRunner runner() {
		return this.runner;
	}

	/**
	 * The dataset repo with the test inputs a script reads from {@code /tmp/data};
	 * {@code null} for none.
	 */
	public String dataset() {
		return this.dataset;
	}

	void runScripts(String dataset) {
		if (this.submissionKind != SubmissionKind.MODEL) {
			throw new IllegalStateException(
					"Only MODEL tasks run scripts. Current kind: %s".formatted(this.submissionKind));
		}
		this.runner = ModelRunner.SCRIPT;
		this.dataset = (dataset != null && !dataset.isBlank()) ? dataset.strip() : null;
	}

	/**
	 * Metrics computed beside the primary one and shown with it, in the order they break
	 * its ties.
	 */
	public List<String> secondaryMetrics() {
		return this.secondaryMetrics.isEmpty() ? List.of() : Arrays.asList(this.secondaryMetrics.split("\n"));
	}

	/** The task's own time rules, unset ones {@code null}. */
	public TimeRules timeRules() {
		return new TimeRules(this.leaderboardFreezesAt, this.privateRevealAt, this.selectionDeadline);
	}

	/**
	 * The rules that apply to the task: its own, else its competition's, else the end.
	 */
	public TimeRules effectiveTimeRules() {
		return timeRules().or(this.competition.effectiveTimeRules());
	}

	public TaskDefinition definition() {
		return new TaskDefinition(this.slug, this.title, this.submissionKind, this.evaluation, this.metric,
				this.higherIsBetter, this.dailySubmissionLimit, this.selectionLimit, this.idColumn, this.maxFileBytes,
				this.hardware, this.evaluationsPerSandbox, this.reuseScope, timeout(), this.localCommand,
				sandboxLifetime(), idleTimeout(), secondaryMetrics(), timeRules());
	}

}
