package dev.podium.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.problem.ProblemException;
import dev.podium.security.Accounts;
import dev.podium.security.PodiumUser;
import dev.podium.submission.DailyQuota;
import dev.podium.submission.DailyQuotas;
import dev.podium.submission.Failure;
import dev.podium.submission.QueueForecast;
import dev.podium.submission.QuotaHolder;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionStatus;
import dev.podium.submission.Submissions;

import org.springframework.data.domain.PageRequest;
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
 * A participant's own page: per task, their team's submissions (never another team's)
 * with where each stands, what it waits for and when it should start, its public score or
 * why it failed; the daily quota left and its reset; the final-selection controls. It
 * reads through the same services as the API, so it shows what the API answers them.
 */
@Controller
@PreAuthorize("hasRole('PARTICIPANT')")
class ParticipantPage {

	/** The latest submissions shown per task. */
	private static final int SHOWN = 50;

	private final Competitions competitions;

	private final Submissions submissions;

	private final SubmissionQueue queue;

	private final QueueForecast forecast;

	private final DailyQuotas quotas;

	private final Accounts accounts;

	private final TimeLabels time;

	private final NotificationsPanel notifications;

	ParticipantPage(Competitions competitions, Submissions submissions, SubmissionQueue queue, QueueForecast forecast,
			DailyQuotas quotas, Accounts accounts, TimeLabels time, NotificationsPanel notifications) {
		this.notifications = notifications;
		this.competitions = competitions;
		this.submissions = submissions;
		this.queue = queue;
		this.forecast = forecast;
		this.quotas = quotas;
		this.accounts = accounts;
		this.time = time;
	}

	@GetMapping("/me")
	String page(@AuthenticationPrincipal PodiumUser participant, Model model) {
		pageModel(participant, model);
		this.notifications.addTo(model, participant);
		return "me";
	}

	@GetMapping("/me/live")
	String live(@AuthenticationPrincipal PodiumUser participant, Model model) {
		pageModel(participant, model);
		return "me :: live";
	}

	@PostMapping("/me/submissions/{id}/selection")
	String select(@PathVariable UUID id, @RequestParam boolean selected,
			@AuthenticationPrincipal PodiumUser participant, RedirectAttributes redirect) {
		try {
			this.submissions.select(participant, id, selected);
			redirect.addFlashAttribute("notice", selected ? "Selected for the final leaderboard." : "Unselected.");
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("problem", ex.getBody().getDetail());
		}
		return "redirect:/me";
	}

	private void pageModel(PodiumUser participant, Model model) {
		Competition competition = this.competitions.find(participant.competitionId()).orElseThrow();
		DailyQuotas.Overview overview = this.quotas.of(participant);
		Instant now = this.time.now();
		boolean ended = competition.hasEnded(now);
		List<TaskView> tasks = competition.tasks().stream().map((task) -> {
			List<Submission> own = this.submissions
				.own(participant, competition.id(), task.id(), PageRequest.of(0, SHOWN))
				.getContent();
			DailyQuota quota = overview.tasks()
				.stream()
				.filter((candidate) -> candidate.task().equals(task.slug()))
				.findFirst()
				.orElseThrow()
				.quota();
			return new TaskView(task, quota, rows(own, ended), board(competition, task));
		}).toList();
		model.addAttribute("competition", competition);
		model.addAttribute("holder", overview.holder());
		model.addAttribute("team", overview.holder().kind() == QuotaHolder.Kind.TEAM);
		model.addAttribute("tasks", tasks);
		model.addAttribute("ended", ended);
		model.addAttribute("updatedAt", now);
	}

	private List<Row> rows(List<Submission> own, boolean ended) {
		Map<UUID, Integer> positions = this.queue.positions(own.stream().map(Submission::id).toList());
		Map<UUID, QueueForecast.Wait> waits = this.forecast.forecast(own);
		Map<UUID, String> names = this.accounts.names(own.stream().map(Submission::participantId).toList());
		return own.stream()
			.map((submission) -> new Row(submission.id(), names.get(submission.participantId()),
					(submission.fileName() != null) ? submission.fileName() : submission.model(), submission.status(),
					submission.submittedAt(), positions.get(submission.id()),
					(submission.status() == SubmissionStatus.QUEUED) ? QueuePage.Wait.of(waits.get(submission.id()))
							: null,
					submission.publicScore(), submission.failure().orElse(null), submission.selected(),
					!ended && submission.status() == SubmissionStatus.SCORED))
			.toList();
	}

	private static String board(Competition competition, Task task) {
		return "/competitions/" + competition.slug() + "/tasks/" + task.slug() + "/leaderboard";
	}

	record TaskView(Task task, DailyQuota quota, List<Row> submissions, String boardPath) {
	}

	/**
	 * @param canSelect whether the selection control is offered (scored, before the end)
	 */
	record Row(UUID id, String submitter, String what, SubmissionStatus status, Instant submittedAt, Integer position,
			QueuePage.Wait waiting, Double publicScore, Failure failure, boolean selected, boolean canSelect) {

		public String shortId() {
			return this.id.toString().substring(0, 8);
		}

	}

}
