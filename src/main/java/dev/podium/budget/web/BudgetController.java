package dev.podium.budget.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.podium.budget.BudgetHistory;
import dev.podium.budget.BudgetStatus;
import dev.podium.budget.CreationBudget;
import dev.podium.security.PodiumUser;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Budget", description = "The daily creation budget of the Hub namespace")
@SecurityRequirement(name = "bearer")
class BudgetController {

	/** How many past windows the history shows. */
	static final int HISTORY_WINDOWS = 30;

	private final CreationBudget budget;

	BudgetController(CreationBudget budget) {
		this.budget = budget;
	}

	@GetMapping("/api/budget")
	@PreAuthorize("hasAnyRole('OPERATOR', 'ORGANIZER')")
	@Operation(summary = "The budget: limit, used, remaining, window, reset, Hub block, waiting work")
	BudgetStatus status() {
		return this.budget.status();
	}

	@PutMapping("/api/budget")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Change the limit (0 pauses creations; a raise releases deferred work at once)")
	@ApiResponse(responseCode = "400", description = "Limit out of range, or no reason")
	BudgetStatus change(@Valid @RequestBody LimitChange change, @AuthenticationPrincipal PodiumUser operator) {
		return this.budget.changeLimit(change.limit(), change.reason(), operator.name());
	}

	@PostMapping("/api/budget/unblock")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Lift a block of creations set by the provider's creation limit (say, after a raise)")
	@ApiResponse(responseCode = "400", description = "No reason")
	BudgetStatus unblock(@Valid @RequestBody Unblock unblock, @AuthenticationPrincipal PodiumUser operator) {
		return this.budget.liftBlock(unblock.reason(), operator.name());
	}

	@GetMapping("/api/budget/history")
	@PreAuthorize("hasAnyRole('OPERATOR', 'ORGANIZER')")
	@Operation(summary = "Every change of the limit, and creations in each of the last 30 windows")
	BudgetHistory history() {
		return this.budget.history(HISTORY_WINDOWS);
	}

	record Unblock(@NotBlank @Size(max = 500) String reason) {
	}

	record LimitChange(@NotNull @Min(0) @Max(100_000) Integer limit, @NotBlank @Size(max = 500) String reason) {
	}

}
