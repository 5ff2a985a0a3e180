package dev.podium.importing.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.podium.importing.HubSignIn;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Open without a Podium token (it is how a participant gets one); the Hugging Face token
 * travels in the body, where no bearer filter mistakes it for a Podium token.
 */
@RestController
@Tag(name = "Participants")
class HubSignInController {

	static final String PATH = "/api/competitions/{slug}/sign-in/huggingface";

	private final HubSignIn signIn;

	HubSignInController(HubSignIn signIn) {
		this.signIn = signIn;
	}

	@PostMapping(PATH)
	@Operation(summary = "Exchange a Hugging Face token for this competition's Podium participant token "
			+ "(the Hub token is checked with whoami-v2 and never stored)")
	@ApiResponse(responseCode = "200",
			description = "A new Podium token, shown this once; an earlier one of the participant stops working")
	@ApiResponse(responseCode = "401", description = "The Hub does not accept the token")
	@ApiResponse(responseCode = "403", description = "The Hub user does not take part in this competition")
	@ApiResponse(responseCode = "503", description = "The Hub could not be asked now")
	SignInResponse signIn(@PathVariable String slug, @Valid @RequestBody SignInRequest request) {
		HubSignIn.SignedIn signedIn = this.signIn.signIn(slug, request.hubToken().strip());
		return new SignInResponse(signedIn.account().user().id().toString(), signedIn.account().user().name(),
				signedIn.hubUser().id(), signedIn.hubUser().name(), signedIn.account().token(), signedIn.created());
	}

	record SignInRequest(@NotBlank @Size(max = 500) String hubToken) {

		@Override
		public String toString() {
			return "SignInRequest[hubToken=<redacted>]";
		}

	}

	record SignInResponse(String participantId, String name, String hfUserId, String hfName, String token,
			boolean created) {

		@Override
		public String toString() {
			return "SignInResponse[participantId=" + this.participantId + ", token=<redacted>]";
		}

	}

}
