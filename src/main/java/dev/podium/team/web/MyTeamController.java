package dev.podium.team.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.podium.security.PodiumUser;
import dev.podium.team.Team;
import dev.podium.team.TeamSettings;
import dev.podium.team.Teams;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A participant's own team: seeing it and, when the competition allows, forming it. */
@RestController
@RequestMapping("/api/me/team")
@Tag(name = "Teams")
@SecurityRequirement(name = "bearer")
class MyTeamController {

	private final Teams teams;

	MyTeamController(Teams teams) {
		this.teams = teams;
	}

	@GetMapping
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "The caller's team, or the caller alone as a team of one, and how teams form here")
	MyTeam mine(@AuthenticationPrincipal PodiumUser participant) {
		return view(participant, null);
	}

	@PostMapping
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Found a team (teams.selfService); the answer carries its join code, shown once")
	@ApiResponse(responseCode = "201", description = "Founded; the caller's submissions are now the team's")
	@ApiResponse(responseCode = "403", description = "The organizers form this competition's teams")
	@ApiResponse(responseCode = "409", description = "Already in a team, or the name is taken")
	ResponseEntity<MyTeam> found(@RequestBody NameRequest request, @AuthenticationPrincipal PodiumUser participant) {
		Teams.Founded founded = this.teams.found(participant, (request != null) ? request.name() : null);
		return ResponseEntity.status(HttpStatus.CREATED).body(view(participant, founded.joinCode()));
	}

	record NameRequest(String name) {
	}

	@PostMapping("/join")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Join the team of a join code; a caller in a team already merges their whole team into it")
	@ApiResponse(responseCode = "403", description = "The organizers form this competition's teams")
	@ApiResponse(responseCode = "404", description = "No team has this code")
	@ApiResponse(responseCode = "409", description = "Too large, too late, or too many submissions together")
	MyTeam join(@RequestBody CodeRequest request, @AuthenticationPrincipal PodiumUser participant) {
		this.teams.join(participant, (request != null) ? request.code() : null);
		return view(participant, null);
	}

	record CodeRequest(String code) {
	}

	@PostMapping("/join-code")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "A new join code for the caller's team (the old one stops working), shown once")
	@ApiResponse(responseCode = "409", description = "The caller is not in a team")
	MyTeam rotate(@AuthenticationPrincipal PodiumUser participant) {
		return view(participant, this.teams.rotateJoinCode(participant).joinCode());
	}

	private MyTeam view(PodiumUser participant, String joinCode) {
		TeamSettings settings = this.teams.settings(participant.competitionId());
		return this.teams.teamOf(participant)
			.map((team) -> new MyTeam(team.id().toString(), team.name(), false, team.members(), joinCode, settings))
			.orElseGet(() -> new MyTeam(participant.id().toString(), participant.name(), true,
					List.of(new Team.Member(participant.id(), participant.name(), null)), null, settings));
	}

	/**
	 * @param id the entrant id the caller's submissions count toward
	 * @param solo whether the caller competes alone (a team of one)
	 * @param joinCode only in the answer that created it
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record MyTeam(String id, String name, boolean solo, List<Team.Member> members, String joinCode,
			TeamSettings settings) {

		@Override
		public String toString() {
			return "MyTeam[id=%s, joinCode=<redacted>]".formatted(this.id);
		}

	}

}
