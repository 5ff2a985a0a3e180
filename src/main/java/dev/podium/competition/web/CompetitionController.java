package dev.podium.competition.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.podium.competition.BoardAudit;
import dev.podium.competition.BoardRules;
import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.Competitions;
import dev.podium.competition.PrivateBoardRule;
import dev.podium.competition.Task;
import dev.podium.competition.TimeRules;
import dev.podium.problem.ProblemException;
import dev.podium.scoring.Solution;
import dev.podium.security.Accounts;
import dev.podium.security.IssuedAccount;
import dev.podium.security.PodiumUser;
import dev.podium.web.BodyLimit;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/competitions")
@Tag(name = "Competitions")
@SecurityRequirement(name = "bearer")
class CompetitionController {

	private final Competitions competitions;

	private final CompetitionAccess access;

	private final Accounts accounts;

	private final BoardAudit audit;

	CompetitionController(Competitions competitions, CompetitionAccess access, Accounts accounts, BoardAudit audit) {
		this.audit = audit;
		this.competitions = competitions;
		this.access = access;
		this.accounts = accounts;
	}

	@PostMapping
	@PreAuthorize("hasAnyRole('OPERATOR', 'ORGANIZER')")
	@Operation(summary = "Create a competition with its tasks")
	@ApiResponse(responseCode = "201", description = "Created; an organizer who creates it manages it")
	@ApiResponse(responseCode = "400", description = "Invalid definition; every offending field is named")
	@ApiResponse(responseCode = "409", description = "The slug is taken")
	ResponseEntity<CompetitionResponse> create(@Valid @RequestBody CompetitionRequest request,
			@AuthenticationPrincipal PodiumUser user) {
		Competition competition = this.competitions.create(request.toDefinition(), user);
		return ResponseEntity.created(URI.create("/api/competitions/" + competition.slug()))
			.body(CompetitionResponse.of(competition, true));
	}

	@GetMapping
	@Operation(summary = "List competitions: all for operators, those they manage for organizers, "
			+ "their own for participants")
	List<CompetitionResponse> list(@AuthenticationPrincipal PodiumUser user) {
		Predicate<UUID> managed = this.access.manageableBy(user);
		return this.competitions.all()
			.stream()
			.filter((competition) -> managed.test(competition.id()) || competition.id().equals(user.competitionId()))
			.map((competition) -> CompetitionResponse.of(competition, managed.test(competition.id())))
			.toList();
	}

	@GetMapping("/{slug}")
	@Operation(summary = "Show a competition")
	@ApiResponse(responseCode = "404",
			description = "No such competition, or not one the caller manages or takes " + "part in")
	CompetitionResponse show(@PathVariable String slug, @AuthenticationPrincipal PodiumUser user) {
		Competition competition = this.competitions.find(slug)
			.filter((found) -> this.access.canSee(user, found))
			.orElseThrow(() -> ProblemException.notFound("Competition '" + slug + "'"));
		return CompetitionResponse.of(competition, this.access.canManage(user, competition.id()));
	}

	@PutMapping(path = "/{slug}/tasks/{task}/solution", consumes = { "text/csv", MediaType.TEXT_PLAIN_VALUE })
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@BodyLimit(BodyLimit.Kind.UPLOAD)
	@Operation(summary = "Upload a task's hidden solution (id column, target columns, split = public|private)")
	@ApiResponse(responseCode = "422", description = "The CSV cannot serve as a solution; the problems are listed")
	SolutionSummary uploadSolution(@PathVariable String slug, @PathVariable("task") String taskSlug,
			@RequestBody byte[] csv) {
		Task task = task(this.competitions.get(slug), taskSlug);
		Solution solution = this.competitions.uploadSolution(task, csv);
		return new SolutionSummary(solution.rowCount(), solution.publicRowCount(), solution.privateRowCount(),
				solution.targetColumns());
	}

	@PostMapping("/{slug}/participants")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Add a participant; the answer carries their token, shown this once")
	@ApiResponse(responseCode = "201", description = "Created")
	@ApiResponse(responseCode = "409", description = "The name is taken in this competition")
	ResponseEntity<NewParticipant> addParticipant(@PathVariable String slug,
			@Valid @RequestBody ParticipantRequest request) {
		Competition competition = this.competitions.get(slug);
		IssuedAccount issued = this.accounts.createParticipant(competition.id(), request.name());
		return ResponseEntity.created(URI.create("/api/competitions/" + slug + "/participants"))
			.body(new NewParticipant(issued.user().id().toString(), issued.user().name(), issued.token()));
	}

	@GetMapping("/{slug}/participants")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "List a competition's participants")
	List<ParticipantView> participants(@PathVariable String slug) {
		Competition competition = this.competitions.get(slug);
		return this.accounts.participantsOf(competition.id())
			.stream()
			.map((participant) -> new ParticipantView(participant.id().toString(), participant.name()))
			.toList();
	}

	@PutMapping("/{slug}/board-rules")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Replace a competition's board rules: the private board rule and the time rules "
			+ "(absent ones unset); the boards follow at once")
	@ApiResponse(responseCode = "400", description = "Invalid rules; every offending field is named")
	CompetitionResponse changeBoardRules(@PathVariable String slug, @Valid @RequestBody BoardRulesRequest request,
			@AuthenticationPrincipal PodiumUser user) {
		Competition changed = this.competitions.changeBoardRules(slug,
				new BoardRules(request.privateBoardRule(),
						new TimeRules(request.leaderboardFreezesAt(), request.privateRevealAt(),
								request.selectionDeadline()),
						Boolean.TRUE.equals(request.allowLateSubmissions())),
				user.name());
		return CompetitionResponse.of(changed, true);
	}

	@PutMapping("/{slug}/tasks/{task}/rules")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Change how a task is scored and ranked (metric, secondary metrics) and replace its own "
			+ "time rules; recorded scores change only when the task is re-scored")
	@ApiResponse(responseCode = "400", description = "Invalid rules; every offending field is named")
	CompetitionResponse.TaskResponse changeTaskRules(@PathVariable String slug, @PathVariable("task") String taskSlug,
			@Valid @RequestBody TaskRulesRequest request, @AuthenticationPrincipal PodiumUser user) {
		Task changed = this.competitions.changeTaskRules(slug, taskSlug, request.metric(), request.higherIsBetter(),
				request.secondaryMetrics(),
				new TimeRules(request.leaderboardFreezesAt(), request.privateRevealAt(), request.selectionDeadline()),
				user.name());
		return CompetitionResponse.TaskResponse.of(changed, true);
	}

	@GetMapping("/{slug}/board-audit")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Who changed what decides the boards, when and why: rules, exclusions, re-scores, "
			+ "re-runs; newest first")
	List<BoardAudit.Entry> boardAudit(@PathVariable String slug) {
		return this.audit.of(this.competitions.get(slug).id(), 500);
	}

	record BoardRulesRequest(PrivateBoardRule privateBoardRule, Instant leaderboardFreezesAt, Instant privateRevealAt,
			Instant selectionDeadline, Boolean allowLateSubmissions) {
	}

	/**
	 * Absent metrics stay as they are; absent time rules are unset (the competition's
	 * apply).
	 */
	record TaskRulesRequest(@Size(max = 64) String metric, Boolean higherIsBetter,
			@Size(max = 10) List<@NotBlank @Size(max = 64) String> secondaryMetrics, Instant leaderboardFreezesAt,
			Instant privateRevealAt, Instant selectionDeadline) {
	}

	static Task task(Competition competition, String slug) {
		return competition.task(slug).orElseThrow(() -> ProblemException.notFound("Task '" + slug + "'"));
	}

	record ParticipantRequest(@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}",
			message = "must be 1-100 letters, digits, '.', '_' or '-'") String name) {
	}

	record NewParticipant(String id, String name, String token) {
	}

	record ParticipantView(String id, String name) {
	}

	record SolutionSummary(int rows, long publicRows, long privateRows, List<String> targetColumns) {
	}

}
