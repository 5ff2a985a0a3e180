package dev.podium.team.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;
import dev.podium.team.Team;
import dev.podium.team.TeamChange;
import dev.podium.team.TeamSettings;
import dev.podium.team.Teams;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The organizers' side of a competition's teams. */
@RestController
@RequestMapping("/api/competitions/{slug}")
@Tag(name = "Teams")
@SecurityRequirement(name = "bearer")
class TeamController {

	private final Teams teams;

	TeamController(Teams teams) {
		this.teams = teams;
	}

	@GetMapping("/teams")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "The competition's teams and their members (participants without one compete alone)")
	List<Team> list(@PathVariable String slug) {
		return this.teams.list(slug);
	}

	@PostMapping("/teams")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Found a team with participants who compete alone; their submissions become the team's")
	@ApiResponse(responseCode = "201", description = "Created")
	@ApiResponse(responseCode = "400", description = "Invalid name")
	@ApiResponse(responseCode = "404", description = "No such competition or participant")
	@ApiResponse(responseCode = "409",
			description = "Name taken, a participant already in a team, the team too large, the merge deadline passed, or too many submissions together")
	ResponseEntity<Team> create(@PathVariable String slug, @RequestBody TeamRequest request,
			@AuthenticationPrincipal PodiumUser organizer) {
		Team team = this.teams.create(slug, request.name(), request.members(), organizer);
		return ResponseEntity.created(URI.create("/api/competitions/" + slug + "/teams/" + team.id())).body(team);
	}

	record TeamRequest(String name, List<String> members) {
	}

	@GetMapping("/teams/{team}")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "A team and its members")
	Team show(@PathVariable String slug, @PathVariable UUID team) {
		return this.teams.find(slug, team);
	}

	@PostMapping("/teams/{team}/members")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Add a participant who competes alone; their submissions become the team's")
	@ApiResponse(responseCode = "404", description = "No such competition, team or participant")
	@ApiResponse(responseCode = "409",
			description = "Already in a team, the team full, the merge deadline passed, or too many submissions together")
	Team addMember(@PathVariable String slug, @PathVariable UUID team, @RequestBody MemberRequest request,
			@AuthenticationPrincipal PodiumUser organizer) {
		if (request == null || request.participant() == null) {
			throw ProblemException.badRequest("invalid-request", "'participant' names the participant to add");
		}
		return this.teams.addMember(slug, team, request.participant(), organizer);
	}

	record MemberRequest(String participant) {
	}

	@PostMapping("/teams/{team}/merge")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Merge another team into this one (Kaggle's rule), recorded",
			description = "Allowed before the merge deadline, while the merged team does not exceed maxTeamSize and, for every task, "
					+ "the two teams' submissions together (cancelled and platform-failed ones aside) do not exceed the daily limit "
					+ "times the competition's days so far. The other team's final selections are cleared.")
	@ApiResponse(responseCode = "404", description = "No such competition or team")
	@ApiResponse(responseCode = "409", description = "Too large, too late, or too many submissions together")
	Team merge(@PathVariable String slug, @PathVariable UUID team, @RequestBody MergeRequest request,
			@AuthenticationPrincipal PodiumUser organizer) {
		if (request == null || request.team() == null) {
			throw ProblemException.badRequest("invalid-request", "'team' is the id of the team to merge into this one");
		}
		return this.teams.merge(slug, team, request.team(), organizer);
	}

	record MergeRequest(UUID team) {
	}

	@GetMapping("/teams/changes")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Every team creation, member, merge and settings change, oldest first")
	List<TeamChange> changes(@PathVariable String slug) {
		return this.teams.changes(slug);
	}

	@GetMapping("/team-settings")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "How the competition's teams form")
	TeamSettings settings(@PathVariable String slug) {
		return this.teams.settings(slug);
	}

	@PutMapping("/team-settings")
	@PreAuthorize("@competitionAccess.canManage(authentication, #slug)")
	@Operation(summary = "Let participants form teams themselves or not, the largest team, the merge deadline")
	@ApiResponse(responseCode = "400", description = "maxTeamSize out of range")
	TeamSettings updateSettings(@PathVariable String slug, @RequestBody SettingsRequest request,
			@AuthenticationPrincipal PodiumUser organizer) {
		TeamSettings settings = new TeamSettings(Boolean.TRUE.equals(request.selfService()),
				(request.maxTeamSize() != null) ? request.maxTeamSize() : TeamSettings.DEFAULTS.maxTeamSize(),
				request.teamMergeDeadline());
		return this.teams.updateSettings(slug, settings, organizer);
	}

	record SettingsRequest(Boolean selfService, Integer maxTeamSize, Instant teamMergeDeadline) {
	}

}
