package dev.podium.dashboard;

import dev.podium.notification.EntrantWebhooks;
import dev.podium.notification.NotificationAddresses;
import dev.podium.notification.NotificationSettings;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The participant page's "Told when done" panel: their team's webhook, their own mail
 * address, set and removed through the same services as the API. A new webhook's secret
 * is shown once, right after it was made.
 */
@Controller
@PreAuthorize("hasRole('PARTICIPANT')")
class NotificationsPanel {

	private final EntrantWebhooks webhooks;

	private final NotificationAddresses addresses;

	private final NotificationSettings settings;

	NotificationsPanel(EntrantWebhooks webhooks, NotificationAddresses addresses, NotificationSettings settings) {
		this.webhooks = webhooks;
		this.addresses = addresses;
		this.settings = settings;
	}

	void addTo(Model model, PodiumUser participant) {
		NotificationSettings.Settings current = this.settings.of(participant);
		model.addAttribute("webhook", current.webhook());
		model.addAttribute("lastDelivery", current.lastDelivery());
		model.addAttribute("email", current.email());
		model.addAttribute("mailEnabled", current.mailEnabled());
	}

	@PostMapping("/me/notifications/webhook")
	String setWebhook(@RequestParam(required = false) String url, @AuthenticationPrincipal PodiumUser participant,
			RedirectAttributes redirect) {
		try {
			EntrantWebhooks.Webhook made = this.webhooks.register(participant, url);
			redirect.addFlashAttribute("webhookSecret", made.secret());
			redirect.addFlashAttribute("notice", "Webhook set. Copy its signing secret now: it is not shown again.");
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("problem", ex.getBody().getDetail());
		}
		return "redirect:/me#notifications";
	}

	@PostMapping("/me/notifications/webhook/removal")
	String removeWebhook(@AuthenticationPrincipal PodiumUser participant, RedirectAttributes redirect) {
		this.webhooks.remove(participant);
		redirect.addFlashAttribute("notice", "Webhook removed.");
		return "redirect:/me#notifications";
	}

	@PostMapping("/me/notifications/email")
	String setEmail(@RequestParam(required = false) String address, @AuthenticationPrincipal PodiumUser participant,
			RedirectAttributes redirect) {
		try {
			this.addresses.set(participant, address);
			redirect.addFlashAttribute("notice", "You will be mailed your submissions' outcomes.");
		}
		catch (ProblemException ex) {
			redirect.addFlashAttribute("problem", ex.getBody().getDetail());
		}
		return "redirect:/me#notifications";
	}

	@PostMapping("/me/notifications/email/removal")
	String removeEmail(@AuthenticationPrincipal PodiumUser participant, RedirectAttributes redirect) {
		this.addresses.remove(participant);
		redirect.addFlashAttribute("notice", "You will not be mailed any more.");
		return "redirect:/me#notifications";
	}

}
