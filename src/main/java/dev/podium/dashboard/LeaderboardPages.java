package dev.podium.dashboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.dashboard.DashboardAdvice.PageNotFound;
import dev.podium.leaderboard.Leaderboard;
import dev.podium.leaderboard.LeaderboardView;
import dev.podium.leaderboard.Leaderboards;
import dev.podium.security.PodiumUser;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A task's leaderboard: the public one for everyone, signed in or not; the private one
 * and the CSV downloads for those who manage the competition.
 */
@Controller
class LeaderboardPages {

	private static final String BASE = "/competitions/{competition}/tasks/{task}/leaderboard";

	private static final String MANAGERS = "@competitionAccess.canManage(authentication, #competition)";

	private final Competitions competitions;

	private final Leaderboards leaderboards;

	private final DashboardReadModel readModel;

	private final TimeLabels time;

	private final CompetitionAccess access;

	LeaderboardPages(Competitions competitions, Leaderboards leaderboards, DashboardReadModel readModel,
			TimeLabels time, CompetitionAccess access) {
		this.access = access;
		this.competitions = competitions;
		this.leaderboards = leaderboards;
		this.readModel = readModel;
		this.time = time;
	}

	@GetMapping(BASE)
	String publicBoard(@PathVariable String competition, @PathVariable String task, Model model) {
		board(competition, task, LeaderboardView.PUBLIC, model);
		return "leaderboard";
	}

	@GetMapping(BASE + "/entries")
	String publicEntries(@PathVariable String competition, @PathVariable String task, Model model) {
		board(competition, task, LeaderboardView.PUBLIC, model);
		return "leaderboard :: entries";
	}

	@GetMapping(BASE + "/private")
	@PreAuthorize(MANAGERS)
	String privateBoard(@PathVariable String competition, @PathVariable String task, Model model) {
		board(competition, task, LeaderboardView.PRIVATE, model);
		return "leaderboard";
	}

	@GetMapping(BASE + "/private/entries")
	@PreAuthorize(MANAGERS)
	String privateEntries(@PathVariable String competition, @PathVariable String task, Model model) {
		board(competition, task, LeaderboardView.PRIVATE, model);
		return "leaderboard :: entries";
	}

	/** The same columns as the API's CSV, for organizers signed in to the dashboard. */
	@GetMapping(path = BASE + ".csv", produces = "text/csv")
	@PreAuthorize(MANAGERS)
	ResponseEntity<String> csv(@PathVariable String competition, @PathVariable String task,
			@RequestParam(defaultValue = "public") String view) {
		LeaderboardView parsed = "private".equals(view) ? LeaderboardView.PRIVATE : LeaderboardView.PUBLIC;
		Competition found = competition(competition);
		Leaderboard board = this.leaderboards.rank(found, task(found, task), parsed);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"%s\"".formatted(board.csvFileName()))
			.body(board.toCsv());
	}

	private void board(String competitionSlug, String taskSlug, LeaderboardView view, Model model) {
		Competition competition = competition(competitionSlug);
		Task task = task(competition, taskSlug);
		// after the freeze, everyone but the competition's managers sees the board as it
		// stood
		Instant freezesAt = task.effectiveTimeRules().leaderboardFreezesAt();
		boolean frozen = freezesAt != null && !this.time.now().isBefore(freezesAt)
				&& !this.access.canManage(this.viewer(), competition.id());
		Leaderboard board = this.leaderboards.rank(competition, task, view, frozen, 1, Leaderboards.MAX_PAGE_SIZE);
		Map<String, Instant> last = this.readModel.lastSubmissions(task.id());
		List<Row> rows = board.entries().stream().map((entry) -> row(entry, last)).toList();
		model.addAttribute("baselines", board.baselines().stream().map((entry) -> row(entry, Map.of())).toList());
		model.addAttribute("late", board.late().stream().map((entry) -> row(entry, last)).toList());
		model.addAttribute("secondaryMetrics", board.secondaryMetrics());
		model.addAttribute("tieBreak", board.tieBreak());
		model.addAttribute("frozen", board.frozen());
		model.addAttribute("frozenAt", board.frozenAt());
		model.addAttribute("freezesAt", freezesAt);
		String path = "/competitions/" + competition.slug() + "/tasks/" + task.slug() + "/leaderboard";
		model.addAttribute("competition", competition);
		model.addAttribute("task", task);
		model.addAttribute("privateView", view == LeaderboardView.PRIVATE);
		model.addAttribute("rows", rows);
		model.addAttribute("boardPath", path);
		model.addAttribute("entriesPath", path + ((view == LeaderboardView.PRIVATE) ? "/private" : "") + "/entries");
		model.addAttribute("updatedAt", this.time.now());
	}

	private Competition competition(String slug) {
		return this.competitions.find(slug)
			.orElseThrow(() -> new PageNotFound("There is no competition '" + slug + "'."));
	}

	private static Task task(Competition competition, String slug) {
		return competition.task(slug)
			.orElseThrow(
					() -> new PageNotFound("Competition '" + competition.slug() + "' has no task '" + slug + "'."));
	}

	/** Up to five decimals, without trailing zeros, the same in every locale. */
	static String score(double score) {
		if (Double.isNaN(score) || Double.isInfinite(score)) {
			return String.valueOf(score);
		}
		BigDecimal rounded = BigDecimal.valueOf(score).setScale(5, RoundingMode.HALF_EVEN).stripTrailingZeros();
		return (rounded.scale() < 0) ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
	}

	private static Row row(Leaderboard.Entry entry, Map<String, Instant> last) {
		List<String> metrics = entry.metrics()
			.values()
			.stream()
			.map((value) -> (value != null) ? score(value) : "–")
			.toList();
		return new Row(entry.rank(), entry.participant(), score(entry.score()), metrics, entry.submissions(),
				last.get(entry.participant()), entry.submittedAt());
	}

	/** The signed-in user, or {@code null} for an anonymous visitor. */
	private PodiumUser viewer() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null && authentication.getPrincipal() instanceof PodiumUser user) ? user : null;
	}

	/**
	 * @param rank {@code null} for entries that do not rank (baselines, late ones)
	 * @param metrics the secondary metrics, in the task's order
	 * @param lastSubmittedAt the participant's latest submission to the task, ranked or
	 * not
	 * @param rankedSubmittedAt when the submission that ranks was made
	 */
	record Row(Integer rank, String participant, String score, List<String> metrics, long submissions,
			Instant lastSubmittedAt, Instant rankedSubmittedAt) {
	}

}
