package dev.podium.importing.web;

import java.io.IOException;
import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.podium.importing.CompetitionImport;
import dev.podium.importing.ImportReport;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/competitions/import")
@Tag(name = "Competitions")
@SecurityRequirement(name = "bearer")
class ImportController {

	private final CompetitionImport imports;

	ImportController(CompetitionImport imports) {
		this.imports = imports;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize("hasAnyRole('OPERATOR', 'ORGANIZER')")
	@Operation(summary = "Import a huggingface/competitions competition from its private dataset repo on the Hub, "
			+ "read with Podium's Hub token")
	@ApiResponse(responseCode = "201", description = "Imported whole; the report says how every setting was mapped")
	@ApiResponse(responseCode = "200", description = "Dry run: what would be created; nothing was written")
	@ApiResponse(responseCode = "409",
			description = "Imported already, the slug is taken, or Podium has no Hub token (upload an archive)")
	@ApiResponse(responseCode = "422",
			description = "The repo cannot be imported as it is: 'report.problems' names what to fix; nothing was written")
	ResponseEntity<ImportReport> fromHub(@Valid @RequestBody HubImport request,
			@RequestParam(name = "dryRun", required = false) Boolean dryRunParam,
			@AuthenticationPrincipal PodiumUser user) {
		boolean dryRun = Boolean.TRUE.equals(request.dryRun()) || Boolean.TRUE.equals(dryRunParam);
		return respond(this.imports.fromHub(request.repo(),
				new CompetitionImport.Request(request.slug(), request.title(), dryRun), user));
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@PreAuthorize("hasAnyRole('OPERATOR', 'ORGANIZER')")
	@Operation(summary = "Import a huggingface/competitions competition from a zip archive of its dataset repo's files")
	@ApiResponse(responseCode = "201", description = "Imported whole; the report says how every setting was mapped")
	@ApiResponse(responseCode = "200", description = "Dry run: what would be created; nothing was written")
	@ApiResponse(responseCode = "400", description = "Not a readable zip archive")
	@ApiResponse(responseCode = "409", description = "Imported already, or the slug is taken")
	@ApiResponse(responseCode = "422",
			description = "The files cannot be imported as they are: 'report.problems' names what to fix")
	ResponseEntity<ImportReport> fromArchive(@RequestPart("archive") MultipartFile archive,
			@RequestParam(name = "slug", required = false) String slug,
			@RequestParam(name = "title", required = false) String title,
			@RequestParam(name = "dryRun", required = false) Boolean dryRun, @AuthenticationPrincipal PodiumUser user)
			throws IOException {
		if (title != null && title.length() > 200) {
			throw ProblemException.badRequest("invalid-title", "'title' takes at most 200 characters");
		}
		return respond(this.imports.fromArchive(archive.getBytes(), archive.getOriginalFilename(),
				new CompetitionImport.Request(slug, title, Boolean.TRUE.equals(dryRun)), user));
	}

	private static ResponseEntity<ImportReport> respond(ImportReport report) {
		if (!report.created()) {
			return ResponseEntity.ok(report);
		}
		return ResponseEntity.status(HttpStatus.CREATED)
			.location(URI.create("/api/competitions/" + report.competition().slug()))
			.body(report);
	}

	record HubImport(
			@NotBlank @Size(max = 200) @Pattern(regexp = "[\\w\\-.]{1,96}/[\\w\\-.]{1,96}",
					message = "must be a dataset repo id 'namespace/name'") String repo,
			@Size(max = 63) String slug, @Size(max = 200) String title, Boolean dryRun) {
	}

}
