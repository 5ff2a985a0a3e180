package dev.podium.evaluation.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import dev.podium.PodiumProperties;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.evaluation.SandboxGate;
import dev.podium.problem.BodyTooLargeException;
import dev.podium.problem.ProblemException;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxWork;
import dev.podium.submission.Submissions;
import dev.podium.web.BodyLimit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The sandbox API: what the evaluation app in a Space (or a local sandbox) calls, with
 * the token Podium gave that sandbox. A sandbox reaches only its own work, and only while
 * it lives; anything else is 404, a wrong token 401.
 */
@RestController
@Tag(name = "Sandbox API", description = "Called by evaluation sandboxes with their own token")
class SandboxApiController {

	private final SandboxCallbacks callbacks;

	private final SandboxGate gate;

	private final PodiumProperties podium;

	private final Submissions submissions;

	private final Competitions competitions;

	SandboxApiController(SandboxCallbacks callbacks, SandboxGate gate, PodiumProperties podium, Submissions submissions,
			Competitions competitions) {
		this.callbacks = callbacks;
		this.gate = gate;
		this.podium = podium;
		this.submissions = submissions;
		this.competitions = competitions;
	}

	@GetMapping("/api/sandboxes/{sandbox}/job")
	@Operation(summary = "The sandbox's job: its task and the submissions to evaluate")
	@ApiResponse(responseCode = "401", description = "Wrong token for this sandbox")
	@ApiResponse(responseCode = "404", description = "No such live sandbox")
	Job job(@PathVariable UUID sandbox,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
		this.gate.check(sandbox, auth);
		SandboxWork work = this.callbacks.job(sandbox);
		String base = callbackBase(sandbox);
		return new Job(work.sandboxId(), work.task(),
				work.submissions()
					.stream()
					.map((item) -> new Job.Item(item.id(), item.kind(), item.model(), item.revision(),
							"FILE".equals(item.kind()) ? base + "/" + item.fileUrl() : null))
					.toList());
	}

	@GetMapping(path = "/api/sandboxes/{sandbox}/submissions/{submission}/file", produces = "text/csv")
	@Operation(summary = "A FILE submission's CSV")
	ResponseEntity<byte[]> file(@PathVariable UUID sandbox, @PathVariable UUID submission,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
		this.gate.check(sandbox, auth);
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/csv"))
			.body(this.callbacks.submissionFile(sandbox, submission));
	}

	@PutMapping(path = "/api/sandboxes/{sandbox}/submissions/{submission}/predictions",
			consumes = { "text/csv", MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE })
	@BodyLimit(BodyLimit.Kind.UPLOAD)
	@Operation(summary = "Hand in predictions; Podium scores them against the hidden solution")
	@ApiResponse(responseCode = "413", description = "Larger than the task's maxFileBytes: the submission has failed")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The predictions CSV", required = true,
			content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
	ResponseEntity<Void> predictions(@PathVariable UUID sandbox, @PathVariable UUID submission,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth, HttpServletRequest request)
			throws IOException {
		// The token first, the body after: nobody makes Podium read what they may not
		// send.
		this.gate.check(sandbox, auth);
		long limit = this.submissions.find(submission)
			.flatMap((found) -> this.competitions.findTask(found.taskId()))
			.map(Task::maxFileBytes)
			.orElseThrow(() -> ProblemException.notFound("Submission " + submission));
		byte[] csv = (request.getContentLengthLong() > limit) ? null
				: request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
		if (csv == null || csv.length > limit) {
			this.callbacks.failure(sandbox, submission, true,
					"the predictions exceed the task's limit of " + limit + " bytes");
			throw new BodyTooLargeException(limit);
		}
		this.callbacks.predictions(sandbox, submission, csv);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/api/sandboxes/{sandbox}/submissions/{submission}/failure")
	@Operation(summary = "Report that a submission could not be evaluated")
	ResponseEntity<Void> failure(@PathVariable UUID sandbox, @PathVariable UUID submission,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			@RequestBody FailureReport report) {
		this.gate.check(sandbox, auth);
		if (report.category() == null || !List.of("SUBMISSION", "PLATFORM").contains(report.category())) {
			throw ProblemException.badRequest("invalid-request", "'category' is SUBMISSION or PLATFORM");
		}
		this.callbacks.failure(sandbox, submission, "SUBMISSION".equals(report.category()), report.message());
		return ResponseEntity.noContent().build();
	}

	private String callbackBase(UUID sandbox) {
		URI base = (this.podium.publicUrl() != null) ? this.podium.publicUrl()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUri();
		return base.toString().replaceAll("/+$", "") + "/api/sandboxes/" + sandbox;
	}

	record Job(UUID sandboxId, SandboxWork.TaskInfo task, List<Item> submissions) {

		record Item(UUID id, String kind, String model, String revision, String fileUrl) {
		}

	}

	record FailureReport(String category, String message) {
	}

}
