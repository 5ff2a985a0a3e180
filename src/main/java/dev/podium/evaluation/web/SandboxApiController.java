package dev.podium.evaluation.web;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import dev.podium.PodiumProperties;
import dev.podium.evaluation.SandboxGate;
import dev.podium.problem.BodyTooLargeException;
import dev.podium.problem.ProblemException;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxCallbacks.JobOffer;
import dev.podium.sandbox.SandboxCallbacks.JobReport;
import dev.podium.sandbox.SandboxCallbacks.SandboxJob;
import dev.podium.web.BodyLimit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The sandbox API: what the evaluation app in a Space (or a local sandbox's job loop)
 * calls, with the token Podium gave that sandbox. A sandbox asks for its next job (a long
 * poll), then reports on it by the job id it was given; a report for a job that is no
 * longer its own is refused with 409, a retired sandbox is told 410, anything else of
 * another sandbox's is 404, a wrong token 401. The token is checked before any body is
 * read.
 */
@RestController
@Tag(name = "Sandbox API", description = "Called by evaluation sandboxes with their own token")
class SandboxApiController {

	private static final String JOB = "/api/sandboxes/{sandbox}/jobs/{job}";

	private final SandboxCallbacks callbacks;

	private final SandboxGate gate;

	private final PodiumProperties podium;

	SandboxApiController(SandboxCallbacks callbacks, SandboxGate gate, PodiumProperties podium) {
		this.callbacks = callbacks;
		this.gate = gate;
		this.podium = podium;
	}

	@PostMapping("/api/sandboxes/{sandbox}/jobs/next")
	@Operation(summary = "The sandbox's next job: waits up to 'wait' seconds for one to arrive")
	@ApiResponse(responseCode = "200", description = "A job: run it, then report on it by its jobId")
	@ApiResponse(responseCode = "204", description = "No job yet: ask again")
	@ApiResponse(responseCode = "401", description = "Wrong token for this sandbox")
	@ApiResponse(responseCode = "404", description = "No such live sandbox")
	@ApiResponse(responseCode = "410", description = "The sandbox is retired: it takes no more jobs")
	CompletableFuture<ResponseEntity<?>> next(@PathVariable UUID sandbox,
			@RequestParam(name = "wait", defaultValue = "20") int wait,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
		this.gate.check(sandbox, auth);
		if (wait < 0 || wait > 30) {
			throw ProblemException.badRequest("invalid-request", "'wait' is between 0 and 30 seconds");
		}
		String base = callbackBase(sandbox);
		return this.callbacks.nextJob(sandbox, Duration.ofSeconds(wait)).thenApply((offer) -> {
			if (offer instanceof JobOffer.Assigned assigned) {
				return ResponseEntity.ok(JobResponse.of(assigned.job(), base));
			}
			if (offer instanceof JobOffer.Retired retired) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GONE,
						"This sandbox takes no more jobs: " + retired.reason());
				problem.setType(URI.create("https://podium.dev/problems/sandbox-retired"));
				problem.setTitle("Sandbox retired");
				return ResponseEntity.status(HttpStatus.GONE)
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.body(problem);
			}
			return ResponseEntity.noContent().build();
		});
	}

	@GetMapping(path = JOB + "/file", produces = "text/csv")
	@Operation(summary = "A FILE job's CSV")
	@ApiResponse(responseCode = "409", description = "The job is no longer this sandbox's")
	ResponseEntity<byte[]> file(@PathVariable UUID sandbox, @PathVariable UUID job,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
		this.gate.check(sandbox, auth);
		byte[] csv = this.callbacks.jobFile(sandbox, job).orElseThrow(SandboxApiController::stale);
		return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv")).body(csv);
	}

	@PostMapping(JOB + "/started")
	@Operation(summary = "The job's downloads are done: its time limit starts now")
	@ApiResponse(responseCode = "204", description = "Recorded")
	@ApiResponse(responseCode = "409", description = "The job is no longer this sandbox's")
	ResponseEntity<Void> started(@PathVariable UUID sandbox, @PathVariable UUID job,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth) {
		this.gate.check(sandbox, auth);
		return answer(this.callbacks.jobStarted(sandbox, job));
	}

	@BodyLimit(BodyLimit.Kind.UPLOAD)
	@PutMapping(path = JOB + "/predictions",
			consumes = { "text/csv", MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE })
	@Operation(summary = "Hand in predictions; Podium scores them against the hidden solution")
	@ApiResponse(responseCode = "204", description = "Scored, or failed as invalid: the job is over")
	@ApiResponse(responseCode = "409", description = "The job is no longer this sandbox's")
	@ApiResponse(responseCode = "413", description = "Larger than the task allows; the submission failed for it")
	ResponseEntity<Void> predictions(@PathVariable UUID sandbox, @PathVariable UUID job,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth, HttpServletRequest request)
			throws IOException {
		// the token first: nothing is read of a body whose sender is not this sandbox
		this.gate.check(sandbox, auth);
		long limit = this.callbacks.predictionLimit(sandbox, job).orElseThrow(SandboxApiController::stale);
		JobReport report = this.callbacks.predictions(sandbox, job, request.getInputStream(),
				request.getContentLengthLong());
		if (report == JobReport.TOO_LARGE) {
			throw new BodyTooLargeException(limit);
		}
		return answer(report);
	}

	@PostMapping(JOB + "/failure")
	@Operation(summary = "Report that the job could not be evaluated")
	@ApiResponse(responseCode = "204", description = "Recorded")
	@ApiResponse(responseCode = "409", description = "The job is no longer this sandbox's")
	ResponseEntity<Void> failure(@PathVariable UUID sandbox, @PathVariable UUID job,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
			@RequestBody FailureReport report) {
		this.gate.check(sandbox, auth);
		if (report.category() == null || !List.of("SUBMISSION", "PLATFORM").contains(report.category())) {
			throw ProblemException.badRequest("invalid-request", "'category' is SUBMISSION or PLATFORM");
		}
		return answer(this.callbacks.failure(sandbox, job, "SUBMISSION".equals(report.category()), report.message()));
	}

	private static ResponseEntity<Void> answer(JobReport report) {
		return switch (report) {
			case ACCEPTED -> ResponseEntity.noContent().build();
			case STALE -> throw stale();
			case TOO_LARGE -> throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "predictions-too-large",
					"Predictions too large",
					"The predictions exceed the task's maxFileBytes; the submission failed for it");
		};
	}

	private static ProblemException stale() {
		return ProblemException.conflict("stale-job",
				"This job is no longer this sandbox's (it was handed back, timed out, or already reported)");
	}

	private String callbackBase(UUID sandbox) {
		URI base = (this.podium.publicUrl() != null) ? this.podium.publicUrl()
				: ServletUriComponentsBuilder.fromCurrentContextPath().build().toUri();
		return base.toString().replaceAll("/+$", "") + "/api/sandboxes/" + sandbox;
	}

	/**
	 * A job as the sandbox receives it; {@code hubToken} is the participant's read token
	 * for their private model, for this job's download only.
	 */
	record JobResponse(UUID jobId, UUID submissionId, String kind, TaskInfo task, long timeLimitSeconds, String fileUrl,
			String model, String revision, String hubToken) {

		static JobResponse of(SandboxJob job, String base) {
			boolean file = "FILE".equals(job.kind());
			return new JobResponse(job.jobId(), job.submissionId(), job.kind(),
					new TaskInfo(job.task().competition(), job.task().slug(), job.task().metric(),
							job.task().idColumn(), job.task().runner().name().toLowerCase(Locale.ROOT),
							job.task().dataset()),
					job.timeLimit().toSeconds(), file ? base + "/jobs/" + job.jobId() + "/file" : null,
					file ? null : job.model(), file ? null : job.revision(), file ? null : job.hubToken());
		}

		@Override
		public String toString() {
			return "JobResponse[jobId=%s, submissionId=%s, kind=%s]".formatted(this.jobId, this.submissionId,
					this.kind);
		}

	}

	record TaskInfo(String competition, String slug, String metric, String idColumn, String runner, String dataset) {
	}

	record FailureReport(String category, String message) {
	}

}
