package dev.podium.competition.web;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.CompetitionAccess.Change;
import dev.podium.competition.CompetitionAccess.Manager;
import dev.podium.security.PodiumUser;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Which organizers manage a competition besides the operators: its creator and those an
 * operator grants it to. Every grant and revocation is recorded.
 */
@RestController
@RequestMapping("/api/competitions/{slug}/organizers")
@Tag(name = "Competitions")
@SecurityRequirement(name = "bearer")
class CompetitionManagersController {

	private final CompetitionAccess access;

	CompetitionManagersController(CompetitionAccess access) {
		this.access = access;
	}

	@GetMapping
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "The organizers who manage the competition (operators manage every one)")
	List<Manager> managers(@PathVariable String slug) {
		return this.access.managers(slug);
	}

	@PutMapping("/{organizer}")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Let an organizer manage the competition; granting again changes nothing")
	@ApiResponse(responseCode = "400", description = "The account is an operator, who needs no grant")
	@ApiResponse(responseCode = "404", description = "No such competition or organizer")
	List<Manager> grant(@PathVariable String slug, @PathVariable String organizer,
			@AuthenticationPrincipal PodiumUser operator) {
		return this.access.grant(slug, organizer, operator.name());
	}

	@DeleteMapping("/{organizer}")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "End an organizer's management of the competition, also its creator's")
	@ApiResponse(responseCode = "404", description = "No such competition or organizer")
	List<Manager> revoke(@PathVariable String slug, @PathVariable String organizer,
			@AuthenticationPrincipal PodiumUser operator) {
		return this.access.revoke(slug, organizer, operator.name());
	}

	@GetMapping("/changes")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Every creation, grant and revocation of the competition's management, oldest first")
	List<Change> changes(@PathVariable String slug) {
		return this.access.changes(slug);
	}

}
