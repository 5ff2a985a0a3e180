package dev.podium.submission.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;
import dev.podium.submission.DailyQuota;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionIntake;
import dev.podium.submission.SubmissionIntake.Accepted;
import dev.podium.submission.SubmissionIntake.FileEntry;
import dev.podium.submission.SubmissionIntake.ModelEntry;
import dev.podium.submission.Submissions;
import dev.podium.web.TextInput;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

@RestController
@Tag(name = "Submissions")
@SecurityRequirement(name = "bearer")
class SubmissionController {

	private static final String SUBMISSIONS = "/api/competitions/{competition}/tasks/{task}/submissions";

	/** The queue's rules, as the API documentation states them. */
	static final String QUEUE_RULES = "Daily limits, final selections and the queue count the team (a participant without one "
			+ "is a team of one). The fair order: a team's next submission to a task gets the round after its previous one, "
			+ "never a round earlier than the one the task is serving; the lowest round starts first, first come first "
			+ "served within a round. So a team with nothing evaluated lately goes before every team's later "
			+ "submissions, whatever finished in between: with one sandbox, a team that submits once after another "
			+ "team's five is served second. At most the task's maxInFlight (default 2) submissions of a team are "
			+ "evaluated at once; the others wait with waitingFor IN_FLIGHT_LIMIT. A submission of the same file "
			+ "(or the same model at the same pinned commit) as one the team has waiting, running or scored is "
			+ "refused with 409 duplicate-submission naming the first.";

	/** Keeps page times size, the query's offset, well inside an int. */
	private static final int MAX_PAGE = 1_000_000;

	private final SubmissionIntake intake;

	private final Submissions submissions;

	private final Competitions competitions;

	private final SubmissionViews views;

	SubmissionController(SubmissionIntake intake, Submissions submissions, Competitions competitions,
			SubmissionViews views) {
		this.intake = intake;
		this.submissions = submissions;
		this.competitions = competitions;
		this.views = views;
	}

	/**
	 * One transaction for the submission and its answer: the answer reads the competition
	 * and task the intake has just read, and the submission's place, in the same
	 * persistence context. (A model submission cannot: the Hub is asked in between.) The
	 * reads below are one read-only transaction each for the same reason.
	 */
	@PostMapping(path = SUBMISSIONS, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Transactional
	@Operation(summary = "Submit a predictions CSV to a FILE task", description = QUEUE_RULES)
	@ApiResponse(responseCode = "201", description = "Queued; RateLimit headers carry the daily quota left")
	@ApiResponse(responseCode = "200", description = "Replay of an Idempotency-Key: the submission it created")
	@ApiResponse(responseCode = "403", description = "The competition has not started or has ended")
	@ApiResponse(responseCode = "404", description = "No such competition or task for this participant")
	@ApiResponse(responseCode = "409",
			description = "The task has no solution yet, or the team already submitted this file (duplicateOf)")
	@ApiResponse(responseCode = "400", description = "A part is missing or sent twice, or the description is invalid")
	@ApiResponse(responseCode = "413", description = "The file exceeds the task's maxFileBytes")
	@ApiResponse(responseCode = "415", description = "The task takes models, not files")
	@ApiResponse(responseCode = "422",
			description = "The CSV is not valid for the task (problems listed), or the Idempotency-Key was used for another request")
	@ApiResponse(responseCode = "429", description = "Daily limit reached; Retry-After says when it resets")
	ResponseEntity<SubmissionResponse> submitFile(@PathVariable String competition, @PathVariable String task,
			@RequestPart("file") MultipartFile file,
			@RequestPart(name = "description", required = false) @Size(max = 1000) String description,
			@Parameter(description = "Makes retries safe: the same key returns the first submission") @RequestHeader(
					name = "Idempotency-Key", required = false) @Size(max = 255) String idempotencyKey,
			@AuthenticationPrincipal PodiumUser participant, MultipartHttpServletRequest parts) throws IOException {
		// which of two files would count? Neither: a repeated part is refused
		sentOnce(parts, "file");
		sentOnce(parts, "description");
		TextInput.checked("description", description);
		Accepted accepted = this.intake.submitFile(participant, competition, task,
				new FileEntry(file.getOriginalFilename(), file.getBytes(), description, idempotencyKey));
		return respond(accepted, participant);
	}

	@PostMapping(path = SUBMISSIONS, consumes = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Submit a Hub model to a MODEL task", description = QUEUE_RULES)
	@ApiResponse(responseCode = "201", description = "Queued; RateLimit headers carry the daily quota left")
	@ApiResponse(responseCode = "200", description = "Replay of an Idempotency-Key: the submission it created")
	@ApiResponse(responseCode = "400", description = "Invalid model id, revision or access token")
	@ApiResponse(responseCode = "403", description = "The competition has not started or has ended")
	@ApiResponse(responseCode = "404", description = "No such competition or task for this participant")
	@ApiResponse(responseCode = "409",
			description = "The team already submitted this model at this commit (duplicateOf), or the task is not ready")
	@ApiResponse(responseCode = "415", description = "The task takes files, not models")
	@ApiResponse(responseCode = "422", description = "The Idempotency-Key was used for another request")
	@ApiResponse(responseCode = "429", description = "Daily limit reached; Retry-After says when it resets")
	ResponseEntity<SubmissionResponse> submitModel(@PathVariable String competition, @PathVariable String task,
			@RequestBody ModelRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Size(max = 255) String idempotencyKey,
			@AuthenticationPrincipal PodiumUser participant) {
		if (request.description() != null && request.description().length() > 1000) {
			throw ProblemException.badRequest("invalid-request", "'description' has at most 1000 characters");
		}
		Accepted accepted = this.intake.submitModel(participant, competition, task, new ModelEntry(request.model(),
				request.revision(), request.description(), request.accessToken(), idempotencyKey));
		return respond(accepted, participant);
	}

	private static void sentOnce(MultipartHttpServletRequest parts, String name) {
		String[] fields = parts.getParameterValues(name);
		int count = parts.getFiles(name).size() + ((fields != null) ? fields.length : 0);
		if (count > 1) {
			throw ProblemException.badRequest("repeated-part",
					"The part '" + name + "' is sent once, not " + count + " times");
		}
	}

	private ResponseEntity<SubmissionResponse> respond(Accepted accepted, PodiumUser participant) {
		DailyQuota quota = accepted.quota();
		ResponseEntity.BodyBuilder builder = accepted.created()
				? ResponseEntity.created(URI.create("/api/submissions/" + accepted.submission().id()))
				: ResponseEntity.status(HttpStatus.OK);
		return builder.header("RateLimit-Policy", quota.policyHeader())
			.header("RateLimit", quota.stateHeader(accepted.at()))
			.body(this.views.of(accepted.submission(), participant));
	}

	@GetMapping("/api/submissions/{id}")
	@Transactional(readOnly = true)
	@Operation(summary = "Show a submission (its team's members, organizers, operators)")
	@ApiResponse(responseCode = "404", description = "No such submission, or not the caller's")
	SubmissionResponse show(@PathVariable UUID id, @AuthenticationPrincipal PodiumUser user) {
		return this.views.of(this.submissions.visibleTo(user, id), user);
	}

	@DeleteMapping("/api/submissions/{id}")
	@Operation(summary = "Cancel a queued submission")
	@ApiResponse(responseCode = "404", description = "No such submission, or not the caller's")
	@ApiResponse(responseCode = "409", description = "It has started or ended")
	SubmissionResponse cancel(@PathVariable UUID id, @AuthenticationPrincipal PodiumUser user) {
		return this.views.of(this.submissions.cancel(user, id), user);
	}

	@PutMapping("/api/submissions/{id}/selection")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Select a scored submission for the private leaderboard, or unselect it")
	@ApiResponse(responseCode = "403", description = "The competition has ended")
	@ApiResponse(responseCode = "404", description = "No such submission, or not the caller's")
	@ApiResponse(responseCode = "409", description = "Not scored, or the task's selection limit is reached")
	SubmissionResponse select(@PathVariable UUID id, @RequestBody SelectionRequest request,
			@AuthenticationPrincipal PodiumUser participant) {
		return this.views.of(this.submissions.select(participant, id, request.selected()), participant);
	}

	record SelectionRequest(boolean selected) {
	}

	@GetMapping("/api/me/submissions")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Transactional(readOnly = true)
	@Operation(summary = "The submissions of the caller's team (or the caller's own, without one), newest first")
	SubmissionPage mine(@RequestParam(required = false) String competition, @RequestParam(required = false) String task,
			@RequestParam(defaultValue = "0") @Min(0) @Max(MAX_PAGE) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size,
			@AuthenticationPrincipal PodiumUser participant) {
		UUID competitionId = null;
		UUID taskId = null;
		if (competition != null) {
			Competition found = this.competitions.find(competition)
				.filter((candidate) -> candidate.id().equals(participant.competitionId()))
				.orElseThrow(() -> ProblemException.notFound("Competition '" + competition + "'"));
			competitionId = found.id();
			if (task != null) {
				taskId = found.task(task).orElseThrow(() -> ProblemException.notFound("Task '" + task + "'")).id();
			}
		}
		else if (task != null) {
			throw ProblemException.badRequest("invalid-request", "'task' needs 'competition'");
		}
		Page<Submission> found = this.submissions.own(participant, competitionId, taskId, PageRequest.of(page, size));
		return new SubmissionPage(this.views.list(found.getContent(), participant), found.getNumber(), found.getSize(),
				found.getTotalElements(), found.getTotalPages());
	}

	record ModelRequest(String model, String revision, String description, String accessToken) {

		@Override
		public String toString() {
			return "ModelRequest[model=%s, revision=%s, accessToken=<redacted>]".formatted(this.model, this.revision);
		}

	}

	record SubmissionPage(List<SubmissionResponse> content, int page, int size, long totalElements, int totalPages) {
	}

}
