package dev.podium.dashboard;

import dev.podium.security.PodiumUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in form; Spring Security handles what it posts (the token never appears in a
 * URL, a log line or a page).
 */
@Controller
class SignInPage {

	@GetMapping("/login")
	String signIn(@RequestParam(required = false) String error,
			@RequestParam(name = "signed-out", required = false) String signedOut,
			@AuthenticationPrincipal PodiumUser user, Model model) {
		if (user != null) {
			return user.isStaff() ? "redirect:/" : "redirect:/me";
		}
		if (error != null) {
			model.addAttribute("error", "That token is not valid. Paste the token that Podium issued to you.");
		}
		else if (signedOut != null) {
			model.addAttribute("notice", "You are signed out.");
		}
		return "login";
	}

}
