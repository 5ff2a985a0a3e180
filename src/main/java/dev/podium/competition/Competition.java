package dev.podium.competition;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/** A challenge with its tasks and the period in which it accepts submissions. */
@Entity
@Table(name = "competitions")
public class Competition {

	@Id
	private UUID id;

	private String slug;

	private String title;

	private Instant startsAt;

	private Instant endsAt;

	private String timezone;

	private Instant createdAt;

	private String description;

	private String datasetDescription;

	private String submissionDescription;

	private String rules;

	private String logoUrl;

	private String importedFrom;

	@Enumerated(EnumType.STRING)
	private PrivateBoardRule privateBoardRule = PrivateBoardRule.BEST_PRIVATE_OF_TOP_SELECTION;

	private Instant leaderboardFreezesAt;

	private Instant privateRevealAt;

	private Instant selectionDeadline;

	private boolean allowLateSubmissions;

	@OneToMany(mappedBy = "competition", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
	@OrderBy("position")
	private List<Task> tasks = new ArrayList<>();

	protected Competition() {
	}

	Competition(String slug, String title, Instant startsAt, Instant endsAt, ZoneId zone, Instant createdAt) {
		this.id = UUID.randomUUID();
		this.slug = slug;
		this.title = title;
		this.startsAt = startsAt;
		this.endsAt = endsAt;
		this.timezone = zone.getId();
		this.createdAt = createdAt;
	}

	void addTask(Task task) {
		task.attachTo(this, this.tasks.size());
		this.tasks.add(task);
	}

	public UUID id() {
		return this.id;
	}

	public String slug() {
		return this.slug;
	}

	public String title() {
		return this.title;
	}

	public Instant startsAt() {
		return this.startsAt;
	}

	public Instant endsAt() {
		return this.endsAt;
	}

	/** The zone whose midnight resets daily submission limits. */
	public ZoneId zone() {
		return ZoneId.of(this.timezone);
	}

	public List<Task> tasks() {
		return Collections.unmodifiableList(this.tasks);
	}

	public Optional<Task> task(String slug) {
		return this.tasks.stream().filter((task) -> task.slug().equals(slug)).findFirst();
	}

	public Optional<Task> task(UUID id) {
		return this.tasks.stream().filter((task) -> task.id().equals(id)).findFirst();
	}

	/** Its page's texts (Markdown source), each {@code null} when it has none. */
	public CompetitionTexts texts() {
		return new CompetitionTexts(this.description, this.datasetDescription, this.submissionDescription, this.rules,
				this.logoUrl);
	}

	/**
	 * The dataset repo (or archive) it was imported from; {@code null} when made here.
	 */
	public String importedFrom() {
		return this.importedFrom;
	}

	void describe(CompetitionTexts texts) {
		this.description = texts.description();
		this.datasetDescription = texts.datasetDescription();
		this.submissionDescription = texts.submissionDescription();
		this.rules = texts.rules();
		this.logoUrl = texts.logoUrl();
	}

	void markImportedFrom(String source) {
		this.importedFrom = source;
	}

	public PrivateBoardRule privateBoardRule() {
		return this.privateBoardRule;
	}

	/** The rules as set, unset ones {@code null}. */
	public TimeRules timeRules() {
		return new TimeRules(this.leaderboardFreezesAt, this.privateRevealAt, this.selectionDeadline);
	}

	public boolean allowsLateSubmissions() {
		return this.allowLateSubmissions;
	}

	public BoardRules boardRules() {
		return new BoardRules(this.privateBoardRule, timeRules(), this.allowLateSubmissions);
	}

	/** The rules that apply, the defaults filled in (reveal and deadline: the end). */
	public TimeRules effectiveTimeRules() {
		return timeRules().or(new TimeRules(null, this.endsAt, this.endsAt));
	}

	void changeBoardRules(BoardRules rules) {
		this.privateBoardRule = rules.privateBoardRule();
		this.leaderboardFreezesAt = rules.timeRules().leaderboardFreezesAt();
		this.privateRevealAt = rules.timeRules().privateRevealAt();
		this.selectionDeadline = rules.timeRules().selectionDeadline();
		this.allowLateSubmissions = rules.allowLateSubmissions();
	}

	public boolean hasStarted(Instant now) {
		return !now.isBefore(this.startsAt);
	}

	public boolean hasEnded(Instant now) {
		return !now.isBefore(this.endsAt);
	}

}
