package dev.podium.evaluation.web;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
import dev.podium.evaluation.Operations;
import dev.podium.evaluation.SandboxUsage;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where organizers see what their competition's sandboxes cost, and operators release
 * work the engine holds on purpose.
 */
@RestController
@Tag(name = "Operations", description = "Sandbox usage and cost, held work, stopped creations")
@SecurityRequirement(name = "bearer")
class OperationsController {

	/** The longest span a usage report covers. */
	static final int MAX_DAYS = 366;

	private final Operations operations;

	private final SandboxUsage usage;

	private final Competitions competitions;

	private final Clock clock;

	OperationsController(Operations operations, SandboxUsage usage, Competitions competitions, Clock clock) {
		this.operations = operations;
		this.usage = usage;
		this.competitions = competitions;
		this.clock = clock;
	}

	@GetMapping("/api/competitions/{competition}/usage")
	@PreAuthorize("@competitionAccess.canManage(authentication, #competition)")
	@Operation(summary = "Creations, sandbox-minutes and estimated cost per day (UTC) and hardware")
	@ApiResponse(responseCode = "400", description = "The range is reversed or longer than a year")
	@ApiResponse(responseCode = "404", description = "No such competition")
	SandboxUsage.Usage usage(@PathVariable String competition,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
		Competition found = this.competitions.get(competition);
		LocalDate last = (to != null) ? to : LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		LocalDate first = (from != null) ? from : LocalDate.ofInstant(found.startsAt(), ZoneOffset.UTC);
		if (first.isAfter(last) || first.plusDays(MAX_DAYS).isBefore(last)) {
			throw ProblemException.badRequest("invalid-request",
					"'from' must not be after 'to', and the range covers at most " + MAX_DAYS + " days");
		}
		return this.usage.of(found.id(), first, last);
	}

	@GetMapping("/api/operations/held")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Submissions held for an operator (too many platform failures of their participant today)")
	List<Operations.Held> held() {
		return this.operations.held(500);
	}

	@PostMapping("/api/operations/held/release")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Let held submissions go back to the queue: the listed ones, or all")
	Released release(@RequestBody Release request, @AuthenticationPrincipal PodiumUser operator) {
		if ((request.submissions() == null) == !Boolean.TRUE.equals(request.all())) {
			throw ProblemException.badRequest("invalid-request", "Give either 'submissions' (ids) or 'all': true");
		}
		if (request.submissions() != null && request.submissions().size() > 10_000) {
			throw ProblemException.badRequest("invalid-request", "At most 10000 submissions at once");
		}
		return new Released(this.operations.release(request.submissions(), operator.name()));
	}

	@GetMapping("/api/operations/creation-blocks")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Tasks whose sandboxes the provider refused for good: no creation until lifted")
	List<Operations.CreationBlock> creationBlocks() {
		return this.operations.creationBlocks();
	}

	@DeleteMapping("/api/competitions/{competition}/tasks/{task}/creation-block")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Let sandboxes be created for the task again, once what the provider refused is fixed")
	@ApiResponse(responseCode = "204", description = "Lifted")
	@ApiResponse(responseCode = "404", description = "No such task, or it is not blocked")
	ResponseEntity<Void> liftCreationBlock(@PathVariable String competition, @PathVariable String task,
			@Valid @RequestBody Lift request, @AuthenticationPrincipal PodiumUser operator) {
		Task found = this.competitions.get(competition)
			.task(task)
			.orElseThrow(() -> ProblemException.notFound("Task '" + task + "'"));
		if (!this.operations.liftCreationBlock(found.id(), operator.name(), request.reason())) {
			throw ProblemException.notFound("A creation block of task '" + task + "'");
		}
		return ResponseEntity.noContent().build();
	}

	record Release(List<UUID> submissions, Boolean all) {
	}

	record Released(int released) {
	}

	record Lift(@NotBlank @Size(max = 500) String reason) {
	}

}
