package dev.podium.security.web;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.podium.security.Accounts;
import dev.podium.security.IssuedAccount;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
class UserController {

	private final Accounts accounts;

	UserController(Accounts accounts) {
		this.accounts = accounts;
	}

	@PostMapping("/api/users")
	@PreAuthorize("hasRole('OPERATOR')")
	@Operation(summary = "Create an operator or organizer; the answer carries the token, shown this once")
	@ApiResponse(responseCode = "201", description = "Created")
	@ApiResponse(responseCode = "400", description = "Invalid name or role (participants are created per competition)")
	@ApiResponse(responseCode = "409", description = "The name is taken")
	ResponseEntity<NewUser> create(@Valid @RequestBody UserRequest request) {
		IssuedAccount issued = this.accounts.createStaff(request.name(), request.role());
		PodiumUser user = issued.user();
		return ResponseEntity.created(URI.create("/api/users/" + user.id()))
			.body(new NewUser(user.id().toString(), user.name(), user.role(), issued.token()));
	}

	@GetMapping("/api/me")
	@Operation(summary = "Who the token belongs to")
	Me me(@AuthenticationPrincipal PodiumUser user) {
		return new Me(user.id().toString(), user.name(), user.role());
	}

	record UserRequest(@NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}",
			message = "must be 1-100 letters, digits, '.', '_' or '-'") String name, @NotNull Role role) {
	}

	record NewUser(String id, String name, Role role, String token) {
	}

	record Me(String id, String name, Role role) {
	}

}
