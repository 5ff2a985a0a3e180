package dev.podium.leaderboard.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.leaderboard.Leaderboard;
import dev.podium.leaderboard.LeaderboardView;
import dev.podium.leaderboard.Leaderboards;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Leaderboards")
@SecurityRequirement(name = "bearer")
class LeaderboardController {

	private final Competitions competitions;

	private final Leaderboards leaderboards;

	private final CompetitionAccess access;

	private final Clock clock;

	LeaderboardController(Competitions competitions, Leaderboards leaderboards, CompetitionAccess access, Clock clock) {
		this.competitions = competitions;
		this.leaderboards = leaderboards;
		this.access = access;
		this.clock = clock;
	}

	@GetMapping("/api/competitions/{competition}/tasks/{task}/leaderboard")
	@Operation(summary = "A page of a task's leaderboard: public, or private (its managers any time, everyone "
			+ "once it is revealed); after the freeze participants see the public board as it stood then")
	@ApiResponse(responseCode = "403", description = "The private view before it is revealed")
	@ApiResponse(responseCode = "404", description = "No such competition or task for the caller")
	Leaderboard leaderboard(@PathVariable String competition, @PathVariable String task,
			@RequestParam(defaultValue = "public") String view, @RequestParam(defaultValue = "1") int page,
			@RequestParam(defaultValue = "100") int size, @AuthenticationPrincipal PodiumUser user) {
		Competition found = visible(competition, user);
		Task shown = task(found, task);
		if (page < 1 || size < 1 || size > Leaderboards.MAX_PAGE_SIZE) {
			throw ProblemException.badRequest("invalid-page",
					"'page' starts at 1 and 'size' is 1 to " + Leaderboards.MAX_PAGE_SIZE);
		}
		return this.leaderboards.rank(found, shown, view(view, found, shown, user), frozenFor(found, shown, user), page,
				size);
	}

	@GetMapping(path = "/api/competitions/{competition}/tasks/{task}/leaderboard.csv", produces = "text/csv")
	@PreAuthorize("@competitionAccess.canManage(authentication, #competition)")
	@Operation(summary = "A task's leaderboard as CSV, for the competition's managers")
	ResponseEntity<String> csv(@PathVariable String competition, @PathVariable String task,
			@RequestParam(defaultValue = "public") String view, @AuthenticationPrincipal PodiumUser user) {
		Competition found = visible(competition, user);
		Task shown = task(found, task);
		Leaderboard board = this.leaderboards.rank(found, shown, view(view, found, shown, user));
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"%s\"".formatted(board.csvFileName()))
			.body(board.toCsv());
	}

	/** Participants see the public board frozen from its freeze on; its managers live. */
	private boolean frozenFor(Competition competition, Task task, PodiumUser user) {
		Instant freezesAt = task.effectiveTimeRules().leaderboardFreezesAt();
		return freezesAt != null && !this.clock.instant().isBefore(freezesAt)
				&& !this.access.canManage(user, competition.id());
	}

	private LeaderboardView view(String view, Competition competition, Task task, PodiumUser user) {
		LeaderboardView parsed = switch (view.toLowerCase(Locale.ROOT)) {
			case "public" -> LeaderboardView.PUBLIC;
			case "private" -> LeaderboardView.PRIVATE;
			default -> throw ProblemException.badRequest("invalid-view", "'view' is 'public' or 'private'");
		};
		Instant revealAt = task.effectiveTimeRules().privateRevealAt();
		if (parsed == LeaderboardView.PRIVATE && this.clock.instant().isBefore(revealAt)
				&& !this.access.canManage(user, competition.id())) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "private-leaderboard-hidden", "Private leaderboard hidden",
					"The private leaderboard is shown from " + revealAt)
				.with("privateRevealAt", revealAt.toString());
		}
		return parsed;
	}

	private Competition visible(String slug, PodiumUser user) {
		return this.competitions.find(slug)
			.filter((competition) -> this.access.canSee(user, competition))
			.orElseThrow(() -> ProblemException.notFound("Competition '" + slug + "'"));
	}

	private static Task task(Competition competition, String slug) {
		return competition.task(slug).orElseThrow(() -> ProblemException.notFound("Task '" + slug + "'"));
	}

}
