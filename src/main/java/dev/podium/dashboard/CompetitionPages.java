package dev.podium.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import dev.podium.budget.CreationBudget;
import dev.podium.evaluation.LiveSandboxes;
import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.dashboard.DashboardAdvice.PageNotFound;
import dev.podium.dashboard.DashboardReadModel.CompetitionCounts;
import dev.podium.security.Accounts;
import dev.podium.security.PodiumUser;
import dev.podium.submission.SubmissionStatus;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The list of competitions at {@code /}, and each competition's overview. */
@Controller
class CompetitionPages {

	private final Competitions competitions;

	private final CompetitionAccess access;

	private final CreationBudget budget;

	private final DashboardReadModel readModel;

	private final TimeLabels time;

	private final LiveSandboxes liveSandboxes;

	private final Accounts accounts;

	CompetitionPages(Competitions competitions, CompetitionAccess access, CreationBudget budget,
			DashboardReadModel readModel, TimeLabels time, LiveSandboxes liveSandboxes, Accounts accounts) {
		this.liveSandboxes = liveSandboxes;
		this.accounts = accounts;
		this.competitions = competitions;
		this.access = access;
		this.budget = budget;
		this.readModel = readModel;
		this.time = time;
	}

	/** Participants listed per page of the competition page, by name. */
	static final int PARTICIPANTS_SHOWN = 100;

	@GetMapping("/")
	String home(@AuthenticationPrincipal PodiumUser user, Model model) {
		homeModel(user, model);
		return "home";
	}

	@GetMapping("/overview/live")
	String homeLive(@AuthenticationPrincipal PodiumUser user, Model model) {
		homeModel(user, model);
		return "home :: live";
	}

	@GetMapping("/competitions/{slug}")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	String competition(@PathVariable String slug, @RequestParam(defaultValue = "1") int participants, Model model) {
		competitionModel(slug, participants, model);
		return "competition";
	}

	@GetMapping("/competitions/{slug}/live")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	String competitionLive(@PathVariable String slug, @RequestParam(defaultValue = "1") int participants, Model model) {
		competitionModel(slug, participants, model);
		return "competition :: live";
	}

	/** The competitions the user manages: all of them for operators. */
	private void homeModel(PodiumUser user, Model model) {
		Instant now = this.time.now();
		Map<UUID, CompetitionCounts> counts = this.readModel.competitionCounts();
		Predicate<UUID> managed = this.access.manageableBy(user);
		List<CompetitionRow> rows = this.competitions.all()
			.stream()
			.filter((competition) -> managed.test(competition.id()))
			.map((competition) -> new CompetitionRow(competition, Phase.of(competition, now),
					counts.getOrDefault(competition.id(), CompetitionCounts.NONE)))
			.toList();
		model.addAttribute("competitions", rows);
		model.addAttribute("states", this.readModel.statusCounts(now.minus(Duration.ofDays(1))));
		model.addAttribute("sandboxes", this.liveSandboxes.list().size());
		model.addAttribute("budget", this.budget.status());
		model.addAttribute("updatedAt", now);
	}

	private void competitionModel(String slug, int participantPage, Model model) {
		Competition competition = this.competitions.find(slug)
			.orElseThrow(() -> new PageNotFound("There is no competition '" + slug + "'."));
		Map<UUID, Map<SubmissionStatus, Long>> byTask = this.readModel.statusesByTask(competition.id());
		List<TaskRow> tasks = new ArrayList<>();
		Map<SubmissionStatus, Long> totals = new EnumMap<>(SubmissionStatus.class);
		for (SubmissionStatus status : SubmissionStatus.values()) {
			totals.put(status, 0L);
		}
		for (Task task : competition.tasks()) {
			Map<SubmissionStatus, Long> counts = new EnumMap<>(SubmissionStatus.class);
			for (SubmissionStatus status : SubmissionStatus.values()) {
				long count = byTask.getOrDefault(task.id(), Map.of()).getOrDefault(status, 0L);
				counts.put(status, count);
				totals.merge(status, count, Long::sum);
			}
			tasks.add(new TaskRow(task, counts, counts.values().stream().mapToLong(Long::longValue).sum()));
		}
		Instant now = this.time.now();
		model.addAttribute("competition", competition);
		model.addAttribute("phase", Phase.of(competition, now));
		model.addAttribute("tasks", tasks);
		model.addAttribute("totals", totals);
		model.addAttribute("total", totals.values().stream().mapToLong(Long::longValue).sum());
		model.addAttribute("statuses", SubmissionStatus.values());
		long participantCount = this.accounts.countParticipants(competition.id());
		int pages = (int) Math.max(1, (participantCount + PARTICIPANTS_SHOWN - 1) / PARTICIPANTS_SHOWN);
		int page = Math.min(Math.max(1, participantPage), pages);
		model.addAttribute("participants", this.readModel.participants(competition.id(), PARTICIPANTS_SHOWN,
				(long) (page - 1) * PARTICIPANTS_SHOWN));
		model.addAttribute("participantCount", participantCount);
		model.addAttribute("participantPage", page);
		model.addAttribute("participantPages", pages);
		model.addAttribute("updatedAt", now);
	}

	record CompetitionRow(Competition competition, Phase phase, CompetitionCounts counts) {
	}

	/** A task's submissions in each state. */
	record TaskRow(Task task, Map<SubmissionStatus, Long> counts, long total) {
	}

	/** Where a competition is in its life, as a word and as a CSS class. */
	record Phase(String label, String level) {

		static Phase of(Competition competition, Instant now) {
			if (!competition.hasStarted(now)) {
				return new Phase("Upcoming", "info");
			}
			return competition.hasEnded(now) ? new Phase("Ended", "muted") : new Phase("Running", "ok");
		}

	}

}
