package dev.podium.evaluation.web;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.evaluation.Baselines;
import dev.podium.evaluation.Rescoring;
import dev.podium.evaluation.Reruns;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;
import dev.podium.submission.Submission;
import dev.podium.web.BodyLimit;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where organizers have a task's submissions scored again: re-scored from stored
 * predictions (free), or re-run through the queue (spending sandbox creations).
 */
@RestController
@Tag(name = "Re-scoring", description = "Re-score from stored predictions, or re-run through sandboxes")
@SecurityRequirement(name = "bearer")
class RescoreController {

	private static final String MANAGERS = "@competitionAccess.canManage(authentication, #slug)";

	private final Competitions competitions;

	private final Rescoring rescoring;

	private final Reruns reruns;

	private final Baselines baselines;

	RescoreController(Competitions competitions, Rescoring rescoring, Reruns reruns, Baselines baselines) {
		this.baselines = baselines;
		this.competitions = competitions;
		this.rescoring = rescoring;
		this.reruns = reruns;
	}

	@PostMapping("/api/competitions/{slug}/tasks/{task}/rescore")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "Re-score every scored submission of the task from its stored predictions, against "
			+ "the current solution and metrics; no sandbox, no budget. Runs in the background")
	@ApiResponse(responseCode = "202", description = "Started; GET the same path for its progress")
	@ApiResponse(responseCode = "409", description = "No solution, or a re-score of the task is running")
	ResponseEntity<Rescoring.Progress> rescore(@PathVariable String slug, @PathVariable("task") String taskSlug,
			@Valid @RequestBody RescoreRequest request, @AuthenticationPrincipal PodiumUser user) {
		Competition competition = this.competitions.get(slug);
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(this.rescoring.start(competition, task(competition, taskSlug), request.reason().strip(),
					user.name()));
	}

	@GetMapping("/api/competitions/{slug}/tasks/{task}/rescore")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "The task's re-scores, newest first: who, when, why, how far, how many changed")
	List<Rescoring.Progress> rescores(@PathVariable String slug, @PathVariable("task") String taskSlug) {
		return this.rescoring.of(task(this.competitions.get(slug), taskSlug));
	}

	@PostMapping("/api/competitions/{slug}/tasks/{task}/reruns")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "Re-run chosen submissions (or all failed ones) through the queue and sandboxes. "
			+ "Without confirm it only previews how many sandbox creations that may spend")
	@ApiResponse(responseCode = "200", description = "The preview; nothing was queued")
	@ApiResponse(responseCode = "202", description = "Queued")
	ResponseEntity<RerunAnswer> rerun(@PathVariable String slug, @PathVariable("task") String taskSlug,
			@Valid @RequestBody RerunRequest request, @AuthenticationPrincipal PodiumUser user) {
		Task task = task(this.competitions.get(slug), taskSlug);
		boolean allFailed = Boolean.TRUE.equals(request.allFailed());
		if (!allFailed && (request.submissionIds() == null || request.submissionIds().isEmpty())) {
			throw ProblemException.badRequest("nothing-to-rerun", "Name 'submissionIds' or set 'allFailed'");
		}
		if (Boolean.TRUE.equals(request.confirm())) {
			Reruns.Preview queued = this.reruns.confirm(task, request.submissionIds(), allFailed, user.name());
			return ResponseEntity.status(HttpStatus.ACCEPTED)
				.body(new RerunAnswer(false, queued.submissions(), queued.creationsAtMost()));
		}
		Reruns.Preview preview = this.reruns.preview(task, request.submissionIds(), allFailed);
		return ResponseEntity.ok(new RerunAnswer(true, preview.submissions(), preview.creationsAtMost()));
	}

	@PostMapping(path = "/api/competitions/{slug}/tasks/{task}/baselines",
			consumes = { "text/csv", MediaType.TEXT_PLAIN_VALUE })
	@PreAuthorize(MANAGERS)
	@BodyLimit(BodyLimit.Kind.UPLOAD)
	@Operation(summary = "Add a baseline: predictions scored at once, shown on the boards marked as a baseline "
			+ "and never ranked")
	@ApiResponse(responseCode = "201", description = "Scored and shown")
	@ApiResponse(responseCode = "422", description = "The predictions do not score; the problems are named")
	ResponseEntity<BaselineAnswer> baseline(@PathVariable String slug, @PathVariable("task") String taskSlug,
			@RequestParam @Size(min = 1, max = 100) String name, @RequestBody byte[] csv,
			@AuthenticationPrincipal PodiumUser user) {
		Task task = task(this.competitions.get(slug), taskSlug);
		Submission baseline = this.baselines.submit(task, user, name.strip(), csv);
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new BaselineAnswer(baseline.id(), name.strip(), baseline.publicScore(), baseline.privateScore()));
	}

	record BaselineAnswer(UUID id, String name, Double publicScore, Double privateScore) {
	}

	private static Task task(Competition competition, String slug) {
		return competition.task(slug).orElseThrow(() -> ProblemException.notFound("Task '" + slug + "'"));
	}

	record RescoreRequest(@NotBlank @Size(max = 500) String reason) {
	}

	record RerunRequest(@Size(max = 10_000) List<UUID> submissionIds, Boolean allFailed, Boolean confirm) {
	}

	/**
	 * @param preview whether nothing was queued yet (send again with confirm)
	 * @param sandboxCreationsAtMost of the daily creation budget
	 */
	record RerunAnswer(boolean preview, int submissions, int sandboxCreationsAtMost) {
	}

}
