package dev.podium.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.Competitions;
import dev.podium.dashboard.DashboardReadModel.WaitingSubmission;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;
import dev.podium.submission.QueueForecast;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionStatus;
import dev.podium.submission.Submissions;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The evaluation queue as organizers watch it during a deadline rush: how much is where,
 * who waits in which place for what and until when, which sandboxes live, and what failed
 * lately.
 */
@Controller
class QueuePage {

	private static final int FAILURES = 20;

	/** Positions are looked up in slices, to keep each query's parameter list short. */
	private static final int SLICE = 1000;

	private final DashboardReadModel readModel;

	private final SubmissionQueue queue;

	private final Submissions submissions;

	private final QueueForecast forecast;

	private final DashboardProperties properties;

	private final TimeLabels time;

	private final Competitions competitions;

	private final CompetitionAccess access;

	QueuePage(DashboardReadModel readModel, SubmissionQueue queue, Submissions submissions, QueueForecast forecast,
			DashboardProperties properties, TimeLabels time, Competitions competitions, CompetitionAccess access) {
		this.competitions = competitions;
		this.access = access;
		this.readModel = readModel;
		this.queue = queue;
		this.submissions = submissions;
		this.forecast = forecast;
		this.properties = properties;
		this.time = time;
	}

	@GetMapping("/queue")
	String queue(@AuthenticationPrincipal PodiumUser user, Model model) {
		queueModel(user, model);
		return "queue";
	}

	@GetMapping("/queue/live")
	String live(@AuthenticationPrincipal PodiumUser user, Model model) {
		queueModel(user, model);
		return "queue :: live";
	}

	/**
	 * Counts are the whole service's; the rows, which name participants, only those of
	 * the competitions the user manages.
	 */
	private void queueModel(PodiumUser user, Model model) {
		Instant now = this.time.now();
		Set<String> managed = managedSlugs(user);
		Predicate<String> shows = (slug) -> managed == null || managed.contains(slug);
		List<WaitingSubmission> waiting = new ArrayList<>(
				this.readModel.waiting().stream().filter((row) -> shows.test(row.competition())).toList());
		Map<UUID, Integer> positions = positions(waiting);
		waiting.sort(Comparator
			.comparing((WaitingSubmission submission) -> positions.getOrDefault(submission.id(), Integer.MAX_VALUE))
			.thenComparing(WaitingSubmission::submittedAt));
		List<WaitingSubmission> shown = waiting.subList(0, Math.min(waiting.size(), this.properties.queueRows()));
		Map<UUID, QueueForecast.Wait> waits = this.forecast
			.forecast(this.submissions.findAll(shown.stream().map(WaitingSubmission::id).toList()));
		List<WaitingRow> rows = shown.stream()
			.map((submission) -> new WaitingRow(positions.get(submission.id()), submission,
					Wait.of(waits.get(submission.id()))))
			.toList();
		model.addAttribute("states", this.readModel.statusCounts(now.minus(Duration.ofDays(1))));
		model.addAttribute("statuses", SubmissionStatus.values());
		model.addAttribute("waiting", rows);
		model.addAttribute("waitingTotal", waiting.size());
		model.addAttribute("sandboxes",
				this.readModel.liveSandboxes().stream().filter((row) -> shows.test(row.competition())).toList());
		model.addAttribute("failures", this.readModel.recentFailures(FAILURES, managed));
		model.addAttribute("updatedAt", now);
	}

	/** The slugs of the competitions the user manages; {@code null} for all. */
	private Set<String> managedSlugs(PodiumUser user) {
		if (user != null && user.role() == Role.OPERATOR) {
			return null;
		}
		Predicate<UUID> managed = this.access.manageableBy(user);
		Set<String> slugs = new HashSet<>();
		this.competitions.all()
			.stream()
			.filter((competition) -> managed.test(competition.id()))
			.forEach((competition) -> slugs.add(competition.slug()));
		return slugs;
	}

	private Map<UUID, Integer> positions(List<WaitingSubmission> waiting) {
		Map<UUID, Integer> positions = new HashMap<>();
		for (int from = 0; from < waiting.size(); from += SLICE) {
			List<UUID> ids = waiting.subList(from, Math.min(waiting.size(), from + SLICE))
				.stream()
				.map(WaitingSubmission::id)
				.toList();
			positions.putAll(this.queue.positions(ids));
		}
		return positions;
	}

	/**
	 * @param position {@code null} when it left the queue while the page was made
	 */
	record WaitingRow(Integer position, WaitingSubmission submission, Wait waitingFor) {
	}

	/**
	 * What a submission waits for, in words.
	 *
	 * @param code BUDGET, CAPACITY, BATCH, RETRY, NEXT (nothing: the next round starts
	 * it) or STARTING (it left the queue meanwhile)
	 * @param estimatedStartAt {@code null} when nothing can be estimated
	 */
	record Wait(String code, String label, String explanation, Instant estimatedStartAt) {

		static Wait of(QueueForecast.Wait wait) {
			if (wait == null) {
				return new Wait("STARTING", "Starting", "it is leaving the queue", null);
			}
			if (wait.waitingFor() == null) {
				return new Wait("NEXT", "Next up", "the next scheduling round starts it", wait.estimatedStartAt());
			}
			switch (wait.waitingFor()) {
				case "BUDGET":
					return new Wait("BUDGET", "Budget",
							(wait.estimatedStartAt() != null)
									? "the creation budget is spent or the Hub blocked creations"
									: "creations are paused (limit 0) until an operator raises the limit",
							wait.estimatedStartAt());
				case "CAPACITY":
					return new Wait("CAPACITY", "Capacity", "every sandbox slot is busy", wait.estimatedStartAt());
				case "BATCH":
					return new Wait("BATCH", "Batch", "held back to share a sandbox with other submissions",
							wait.estimatedStartAt());
				case "RETRY":
					return new Wait("RETRY", "Retry", "retried after a platform failure", wait.estimatedStartAt());
				default:
					return new Wait(wait.waitingFor(), wait.waitingFor(), "", wait.estimatedStartAt());
			}
		}

	}

}
