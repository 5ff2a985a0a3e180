package dev.podium.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import dev.podium.competition.BoardAudit;
import dev.podium.competition.BoardRules;
import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.PrivateBoardRule;
import dev.podium.competition.Task;
import dev.podium.competition.TimeRules;
import dev.podium.dashboard.DashboardAdvice.PageNotFound;
import dev.podium.evaluation.Baselines;
import dev.podium.evaluation.Rescoring;
import dev.podium.problem.FieldProblem;
import dev.podium.problem.InvalidRequestException;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;
import dev.podium.submission.Exclusions;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The organizer's controls of a competition's boards: time rules and the private rule,
 * re-scores, baselines and exclusions, with the audit of every change. Each form does
 * what the API's call does; a refusal comes back as the problem's detail.
 */
@Controller
class BoardControlsPage {

	private static final String MANAGERS = "@competitionAccess.canManage(authentication, #slug)";

	private final Competitions competitions;

	private final Rescoring rescoring;

	private final Baselines baselines;

	private final Exclusions exclusions;

	private final BoardAudit audit;

	BoardControlsPage(Competitions competitions, Rescoring rescoring, Baselines baselines, Exclusions exclusions,
			BoardAudit audit) {
		this.competitions = competitions;
		this.rescoring = rescoring;
		this.baselines = baselines;
		this.exclusions = exclusions;
		this.audit = audit;
	}

	@GetMapping("/competitions/{slug}/board")
	@PreAuthorize(MANAGERS)
	String page(@PathVariable String slug, Model model) {
		Competition competition = competition(slug);
		model.addAttribute("competition", competition);
		model.addAttribute("rules", competition.boardRules());
		model.addAttribute("effective", competition.effectiveTimeRules());
		model.addAttribute("rescores",
				competition.tasks().stream().map((task) -> new TaskRescores(task, this.rescoring.of(task))).toList());
		model.addAttribute("excluded", this.exclusions.participants(competition));
		model.addAttribute("audit", this.audit.of(competition.id(), 50));
		return "board-controls";
	}

	@PostMapping("/competitions/{slug}/board/rules")
	@PreAuthorize(MANAGERS)
	String rules(@PathVariable String slug, @RequestParam(defaultValue = "") String leaderboardFreezesAt,
			@RequestParam(defaultValue = "") String privateRevealAt,
			@RequestParam(defaultValue = "") String selectionDeadline,
			@RequestParam(defaultValue = "BEST_PRIVATE_OF_TOP_SELECTION") PrivateBoardRule privateBoardRule,
			@RequestParam(defaultValue = "false") boolean allowLateSubmissions,
			@AuthenticationPrincipal PodiumUser user, RedirectAttributes redirect) {
		return act(slug, redirect, "Board rules saved.",
				() -> this.competitions.changeBoardRules(slug,
						new BoardRules(privateBoardRule, new TimeRules(instant(leaderboardFreezesAt),
								instant(privateRevealAt), instant(selectionDeadline)), allowLateSubmissions),
						user.name()));
	}

	@PostMapping("/competitions/{slug}/board/rescore")
	@PreAuthorize(MANAGERS)
	String rescore(@PathVariable String slug, @RequestParam String task, @RequestParam(defaultValue = "") String reason,
			@AuthenticationPrincipal PodiumUser user, RedirectAttributes redirect) {
		return act(slug, redirect, "Re-score of " + task + " started.", () -> {
			require(!reason.isBlank(), "Say why the task is re-scored.");
			Competition competition = competition(slug);
			this.rescoring.start(competition, task(competition, task), reason.strip(), user.name());
		});
	}

	@PostMapping("/competitions/{slug}/board/baselines")
	@PreAuthorize(MANAGERS)
	String baseline(@PathVariable String slug, @RequestParam String task, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String csv, @AuthenticationPrincipal PodiumUser user,
			RedirectAttributes redirect) {
		return act(slug, redirect, "Baseline '" + name.strip() + "' added.", () -> {
			require(!name.isBlank() && name.length() <= 100, "Name the baseline (at most 100 characters).");
			this.baselines.submit(task(competition(slug), task), user, name.strip(),
					csv.getBytes(StandardCharsets.UTF_8));
		});
	}

	@PostMapping("/competitions/{slug}/board/exclusions")
	@PreAuthorize(MANAGERS)
	String exclude(@PathVariable String slug, @RequestParam(defaultValue = "") String submission,
			@RequestParam(defaultValue = "") String reason, @AuthenticationPrincipal PodiumUser user,
			RedirectAttributes redirect) {
		return act(slug, redirect, "Submission excluded.", () -> {
			require(!reason.isBlank() && reason.length() <= 500, "Say why (at most 500 characters).");
			this.exclusions.excludeSubmission(competition(slug), uuid(submission), reason.strip(), user.name());
		});
	}

	@PostMapping("/competitions/{slug}/board/exclusions/lift")
	@PreAuthorize(MANAGERS)
	String readmit(@PathVariable String slug, @RequestParam(defaultValue = "") String participant,
			@AuthenticationPrincipal PodiumUser user, RedirectAttributes redirect) {
		return act(slug, redirect, "Participant back on the boards.",
				() -> this.exclusions.readmitParticipant(competition(slug), uuid(participant), user.name()));
	}

	private String act(String slug, RedirectAttributes redirect, String done, Runnable action) {
		try {
			action.run();
			redirect.addFlashAttribute("done", done);
		}
		catch (InvalidRequestException ex) {
			Object errors = ex.getBody().getProperties().get("errors");
			redirect.addFlashAttribute("refused",
					((java.util.List<?>) errors).stream()
						.map((error) -> ((FieldProblem) error).field() + " " + ((FieldProblem) error).message())
						.collect(java.util.stream.Collectors.joining("; ")));
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("refused", ex.getBody().getDetail());
		}
		return "redirect:/competitions/" + slug + "/board#main";
	}

	private Competition competition(String slug) {
		return this.competitions.find(slug)
			.orElseThrow(() -> new PageNotFound("There is no competition '" + slug + "'."));
	}

	private static Task task(Competition competition, String slug) {
		return competition.task(slug).orElseThrow(() -> ProblemException.notFound("Task '" + slug + "'"));
	}

	private static void require(boolean condition, String detail) {
		if (!condition) {
			throw ProblemException.badRequest("invalid-form", detail);
		}
	}

	private static UUID uuid(String value) {
		try {
			return UUID.fromString(value.strip());
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid-form", "'" + value + "' is not a submission or participant id.");
		}
	}

	/** An instant as typed ({@code 2026-12-01T00:00:00Z}), blank for unset. */
	private static Instant instant(String value) {
		if (value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw ProblemException.badRequest("invalid-form",
					"'" + value + "' is not an instant such as 2026-12-01T00:00:00Z.");
		}
	}

	record TaskRescores(Task task, java.util.List<Rescoring.Progress> rescores) {
	}

}
