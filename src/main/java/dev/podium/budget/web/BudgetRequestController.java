package dev.podium.budget.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.podium.budget.BudgetRequest;
import dev.podium.budget.BudgetRequestEvent;
import dev.podium.budget.BudgetRequestStatus;
import dev.podium.budget.BudgetRequests;
import dev.podium.security.PodiumUser;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Budget requests", description = "Organizers ask for a larger creation budget; operators decide")
@SecurityRequirement(name = "bearer")
class BudgetRequestController {

	private static final String PROBLEM = "application/problem+json";

	private final BudgetRequests requests;

	BudgetRequestController(BudgetRequests requests) {
		this.requests = requests;
	}

	@PostMapping("/api/budget/requests")
	@PreAuthorize("hasAnyRole('ORGANIZER', 'OPERATOR')")
	@Operation(summary = "Ask for a larger creation budget, for good or until a time",
			description = "Roles: ORGANIZER, OPERATOR. Operators are alerted (budget.raise-requested).")
	@ApiResponse(responseCode = "201", description = "Asked; Location names the request")
	@ApiResponse(responseCode = "400",
			description = "Limit missing, out of 1..100000 or not above the current limit; no reason or one over 500 characters; 'until' not in the future",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401", description = "No valid token",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Participants cannot ask",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<RequestView> ask(@Valid @RequestBody RaiseRequest body, @AuthenticationPrincipal PodiumUser user) {
		BudgetRequest request = this.requests.ask(user, body.limit(), body.reason(), body.until());
		return ResponseEntity.created(URI.create("/api/budget/requests/" + request.id()))
			.body(RequestView.of(request, this.requests.history(request.id())));
	}

	@GetMapping("/api/budget/requests")
	@PreAuthorize("hasAnyRole('ORGANIZER', 'OPERATOR')")
	@Operation(summary = "Budget requests, newest first (at most 200)",
			description = "Roles: OPERATOR sees every request, ORGANIZER their own.")
	@ApiResponse(responseCode = "200", description = "The requests, without their histories")
	@ApiResponse(responseCode = "400", description = "Unknown status",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Participants have no budget requests",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	List<RequestView> list(@Parameter(description = "Only requests in this status, e.g. OPEN") @RequestParam(
			required = false) BudgetRequestStatus status, @AuthenticationPrincipal PodiumUser user) {
		return this.requests.visibleTo(user, status).stream().map((request) -> RequestView.of(request, null)).toList();
	}

	@GetMapping("/api/budget/requests/{id}")
	@PreAuthorize("hasAnyRole('ORGANIZER', 'OPERATOR')")
	@Operation(summary = "A budget request with its history",
			description = "Roles: OPERATOR, or the ORGANIZER who asked (anyone else: 404).")
	@ApiResponse(responseCode = "200", description = "The request")
	@ApiResponse(responseCode = "404", description = "No such request, or not the caller's",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	RequestView show(@PathVariable UUID id, @AuthenticationPrincipal PodiumUser user) {
		return view(user, id);
	}

	@PostMapping("/api/budget/requests/{id}/approve")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Approve: the limit becomes the one asked for (and, with 'until', goes back then)",
			description = "Roles: OPERATOR. The change is in the budget's history; alert budget.raise-approved.")
	@ApiResponse(responseCode = "200", description = "Approved")
	@ApiResponse(responseCode = "400", description = "No reason, or one over 500 characters",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Only operators decide",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such request",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "409",
			description = "Already decided (request-decided), its 'until' has passed (request-expired), or the limit is already as high (not-a-raise)",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	RequestView approve(@PathVariable UUID id, @Valid @RequestBody Decision decision,
			@AuthenticationPrincipal PodiumUser operator) {
		this.requests.approve(id, operator.name(), decision.reason());
		return view(operator, id);
	}

	@PostMapping("/api/budget/requests/{id}/refuse")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Refuse, with a reason for the organizer",
			description = "Roles: OPERATOR. Alert budget.raise-refused.")
	@ApiResponse(responseCode = "200", description = "Refused")
	@ApiResponse(responseCode = "400", description = "No reason, or one over 500 characters",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Only operators decide",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such request",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "409", description = "Already decided (request-decided)",
			content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetail.class)))
	RequestView refuse(@PathVariable UUID id, @Valid @RequestBody Decision decision,
			@AuthenticationPrincipal PodiumUser operator) {
		this.requests.refuse(id, operator.name(), decision.reason());
		return view(operator, id);
	}

	/**
	 * @param until when a temporary raise ends (ISO-8601 instant); omit for a lasting one
	 */
	record RaiseRequest(@NotNull @Min(1) @Max(100_000) Integer limit, @NotBlank @Size(max = 500) String reason,
			Instant until) {
	}

	record Decision(@NotBlank @Size(max = 500) String reason) {
	}

	/**
	 * @param history the request's steps; only on a single request
	 */
	record RequestView(UUID id, BudgetRequestStatus status, String requestedBy, Instant requestedAt, int limit,
			String reason, Instant until, String decidedBy, Instant decidedAt, String decisionReason, Integer revertTo,
			Instant endedAt, List<BudgetRequestEvent> history) {

		static RequestView of(BudgetRequest request, List<BudgetRequestEvent> history) {
			return new RequestView(request.id(), request.status(), request.requestedBy(), request.requestedAt(),
					request.limit(), request.reason(), request.until(), request.decidedBy(), request.decidedAt(),
					request.decisionReason(), request.revertTo(), request.endedAt(), history);
		}

	}

	/** The request as the caller may see it, with its history. */
	private RequestView view(PodiumUser user, UUID id) {
		return RequestView.of(this.requests.visibleTo(user, id), this.requests.history(id));
	}

}
