package dev.podium.submission.web;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.security.PodiumUser;
import dev.podium.submission.Exclusions;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Organizers take participants or single submissions off the boards, and back. */
@RestController
@Tag(name = "Exclusions", description = "Participants and submissions taken off the boards, with a reason")
@SecurityRequirement(name = "bearer")
class ExclusionController {

	private static final String MANAGERS = "@competitionAccess.canManage(authentication, #slug)";

	private final Competitions competitions;

	private final Exclusions exclusions;

	private final SubmissionViews views;

	ExclusionController(Competitions competitions, Exclusions exclusions, SubmissionViews views) {
		this.competitions = competitions;
		this.exclusions = exclusions;
		this.views = views;
	}

	@PutMapping("/api/competitions/{slug}/submissions/{id}/exclusion")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "Take a submission off the boards, saying why (its participant sees the reason)")
	SubmissionResponse excludeSubmission(@PathVariable String slug, @PathVariable UUID id,
			@Valid @RequestBody ExclusionRequest request, @AuthenticationPrincipal PodiumUser user) {
		Competition competition = this.competitions.get(slug);
		return this.views.of(this.exclusions.excludeSubmission(competition, id, request.reason().strip(), user.name()),
				user);
	}

	@DeleteMapping("/api/competitions/{slug}/submissions/{id}/exclusion")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "Put an excluded submission back on the boards")
	SubmissionResponse readmitSubmission(@PathVariable String slug, @PathVariable UUID id,
			@AuthenticationPrincipal PodiumUser user) {
		Competition competition = this.competitions.get(slug);
		return this.views.of(this.exclusions.readmitSubmission(competition, id, user.name()), user);
	}

	@PutMapping("/api/competitions/{slug}/participants/{participantId}/exclusion")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "Take every submission of a participant off the competition's boards, saying why")
	ResponseEntity<Void> excludeParticipant(@PathVariable String slug, @PathVariable UUID participantId,
			@Valid @RequestBody ExclusionRequest request, @AuthenticationPrincipal PodiumUser user) {
		this.exclusions.excludeParticipant(this.competitions.get(slug), participantId, request.reason().strip(),
				user.name());
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping("/api/competitions/{slug}/participants/{participantId}/exclusion")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "Put an excluded participant back on the boards")
	ResponseEntity<Void> readmitParticipant(@PathVariable String slug, @PathVariable UUID participantId,
			@AuthenticationPrincipal PodiumUser user) {
		this.exclusions.readmitParticipant(this.competitions.get(slug), participantId, user.name());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/api/competitions/{slug}/exclusions")
	@PreAuthorize(MANAGERS)
	@Operation(summary = "The competition's excluded participants")
	List<Exclusions.ParticipantExclusion> excluded(@PathVariable String slug) {
		return this.exclusions.participants(this.competitions.get(slug));
	}

	record ExclusionRequest(@NotBlank @Size(max = 500) String reason) {
	}

}
