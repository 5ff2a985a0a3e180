package dev.podium.submission.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.problem.ProblemException;
import dev.podium.submission.SubmissionQueue;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A task's queue limits, which its organizers set. */
@RestController
@RequestMapping("/api/competitions/{slug}/tasks/{task}/queue-limits")
@Tag(name = "Submissions")
@SecurityRequirement(name = "bearer")
class QueueLimitController {

	private final Competitions competitions;

	private final SubmissionQueue queue;

	QueueLimitController(Competitions competitions, SubmissionQueue queue) {
		this.competitions = competitions;
		this.queue = queue;
	}

	@GetMapping
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "How many of one team's submissions to the task are evaluated at once")
	QueueLimits show(@PathVariable String slug, @PathVariable String task) {
		return limits(task(slug, task));
	}

	@PutMapping
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Set maxInFlight (a team's submissions beyond it wait, IN_FLIGHT_LIMIT) and refuseDuplicates")
	@ApiResponse(responseCode = "400", description = "maxInFlight out of 1..1000")
	QueueLimits update(@PathVariable String slug, @PathVariable String task, @RequestBody QueueLimits request) {
		Task found = task(slug, task);
		if (request == null || (request.maxInFlight() == null && request.refuseDuplicates() == null)) {
			throw ProblemException.badRequest("invalid-queue-limits", "Set 'maxInFlight', 'refuseDuplicates' or both");
		}
		if (request.maxInFlight() != null) {
			this.queue.setMaxInFlight(found.id(), request.maxInFlight());
		}
		if (request.refuseDuplicates() != null) {
			this.queue.setRefusesDuplicates(found.id(), request.refuseDuplicates());
		}
		return limits(found);
	}

	private QueueLimits limits(Task task) {
		return new QueueLimits(this.queue.maxInFlight(task.id()), this.queue.refusesDuplicates(task.id()));
	}

	/**
	 * @param maxInFlight how many of one team's submissions are evaluated at once
	 * @param refuseDuplicates whether a team's duplicate is refused (409)
	 */
	record QueueLimits(Integer maxInFlight, Boolean refuseDuplicates) {
	}

	private Task task(String slug, String task) {
		return this.competitions.find(slug)
			.orElseThrow(() -> ProblemException.notFound("Competition '" + slug + "'"))
			.task(task)
			.orElseThrow(() -> ProblemException.notFound("Task '" + task + "'"));
	}

}
