package dev.podium.dashboard;

import java.time.Duration;
import java.time.Instant;
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
import dev.podium.evaluation.LiveSandboxes;
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
	private final DashboardReadModel readModel;

	private final SubmissionQueue queue;

	private final Submissions submissions;

	private final QueueForecast forecast;

	private final DashboardProperties properties;

	private final TimeLabels time;

	private final LiveSandboxes sandboxes;

	private final Competitions competitions;

	private final CompetitionAccess access;

	QueuePage(DashboardReadModel readModel, SubmissionQueue queue, Submissions submissions, QueueForecast forecast,
			LiveSandboxes sandboxes, DashboardProperties properties, TimeLabels time, Competitions competitions,
			CompetitionAccess access) {
		this.competitions = competitions;
		this.access = access;
		this.readModel = readModel;
		this.sandboxes = sandboxes;
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
		Map<String, Long> states = this.readModel.statusCounts(now.minus(Duration.ofDays(1)));
		Set<String> managed = managedSlugs(user);
		Predicate<String> shows = (slug) -> managed == null || managed.contains(slug);
		Set<UUID> managedIds = (managed == null) ? null : managedIds(managed);
		// the first rows in the order work starts in: the queue's length costs nothing
		// here
		List<UUID> order = this.queue.waitingInOrder(this.properties.queueRows(), managedIds);
		Map<UUID, WaitingSubmission> byId = new HashMap<>();
		this.readModel.waiting(order).forEach((submission) -> byId.put(submission.id(), submission));
		List<WaitingSubmission> shown = order.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
		Map<UUID, Integer> positions = this.queue.positions(order);
		Map<UUID, QueueForecast.Wait> waits = this.forecast
			.forecast(this.submissions.findAll(shown.stream().map(WaitingSubmission::id).toList()));
		List<WaitingRow> rows = shown.stream()
			.map((submission) -> new WaitingRow(positions.get(submission.id()), submission,
					Wait.of(waits.get(submission.id()))))
			.toList();
		model.addAttribute("states", states);
		model.addAttribute("statuses", SubmissionStatus.values());
		model.addAttribute("waiting", rows);
		model.addAttribute("waitingTotal",
				(managedIds == null) ? states.getOrDefault("QUEUED", 0L) : this.queue.countWaitingIn(managedIds));
		model.addAttribute("sandboxes",
				this.sandboxes.list().stream().filter((row) -> shows.test(row.competition())).toList());
		model.addAttribute("nextPlannedCreation", this.sandboxes.nextPlannedCreation());
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

	private Set<UUID> managedIds(Set<String> slugs) {
		Set<UUID> ids = new HashSet<>();
		this.competitions.all()
			.stream()
			.filter((competition) -> slugs.contains(competition.slug()))
			.forEach((competition) -> ids.add(competition.id()));
		return ids;
	}

	/**
	 * @param position {@code null} when it left the queue while the page was made
	 */
	record WaitingRow(Integer position, WaitingSubmission submission, Wait waitingFor) {
	}

	/**
	 * What a submission waits for, in words.
	 *
	 * @param code what {@link QueueForecast.Wait#waitingFor()} says, or STARTING (it left
	 * the queue meanwhile)
	 * @param estimatedStartAt {@code null} when nothing can be estimated
	 */
	record Wait(String code, String label, String explanation, Instant estimatedStartAt) {

		static Wait of(QueueForecast.Wait wait) {
			if (wait == null) {
				return new Wait("STARTING", "Starting", "it is leaving the queue", null);
			}
			switch (wait.waitingFor()) {
				case "NEXT":
					return new Wait("NEXT", "Next up", "a live sandbox of its scope takes it after the jobs ahead",
							wait.estimatedStartAt());
				case "SANDBOX_STARTING":
					return new Wait("SANDBOX_STARTING", "Sandbox starting", "a sandbox of its scope is being built",
							wait.estimatedStartAt());
				case "PLANNED":
					return new Wait("PLANNED", "Planned", "a sandbox for its scope is planned to be created",
							wait.estimatedStartAt());
				case "CHECKING":
					return new Wait("CHECKING", "Checking", "its model is checked before it may start",
							wait.estimatedStartAt());
				case "PROVIDER":
					return new Wait("PROVIDER", "Provider down", "the sandbox provider does not answer",
							wait.estimatedStartAt());
				case "OPERATOR":
					return new Wait("OPERATOR", "Operator",
							"held, or its task's sandboxes were refused: an operator must act",
							wait.estimatedStartAt());
				case "BUDGET":
					return new Wait("BUDGET", "Budget",
							(wait.estimatedStartAt() != null)
									? "the creation budget is spent or the Hub blocked creations"
									: "creations are paused (limit 0) until an operator raises the limit",
							wait.estimatedStartAt());
				case "CAPACITY":
					return new Wait("CAPACITY", "Capacity", "every sandbox slot is busy", wait.estimatedStartAt());
				case "IN_FLIGHT_LIMIT":
					return new Wait("IN_FLIGHT_LIMIT", "Team's turn",
							"its team already has the task's most evaluations running at once",
							wait.estimatedStartAt());
				case "RETRY":
					return new Wait("RETRY", "Retry", "retried after a platform failure", wait.estimatedStartAt());
				default:
					return new Wait(wait.waitingFor(), wait.waitingFor(), "", wait.estimatedStartAt());
			}
		}

	}

}
