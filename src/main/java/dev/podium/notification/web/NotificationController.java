package dev.podium.notification.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.podium.notification.EntrantWebhooks;
import dev.podium.notification.NotificationAddresses;
import dev.podium.notification.NotificationSettings;
import dev.podium.security.PodiumUser;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Being told when a submission is done: the caller's team's webhook and the caller's own
 * mail address.
 */
@RestController
@RequestMapping("/api/me/notifications")
@Tag(name = "Notifications",
		description = "submission.scored and submission.failed, for each submission of the caller's team (webhook) "
				+ "or of the caller (mail). Each carries the submission's id, competition, task, status, the scores "
				+ "its page shows (the private one only once the task reveals it), a failure's category and message, "
				+ "and a link to the page. Webhook deliveries are JSON POSTs signed as Standard Webhooks "
				+ "(webhook-id, the same on every retry; webhook-timestamp; webhook-signature: v1,<base64 "
				+ "HMAC-SHA256 of id.timestamp.body> with the webhook's secret); they are retried with backoff "
				+ "until the receiver answers 2xx")
@SecurityRequirement(name = "bearer")
class NotificationController {

	static final List<String> EVENTS = List.of("submission.scored", "submission.failed");

	private final EntrantWebhooks webhooks;

	private final NotificationAddresses addresses;

	private final NotificationSettings settings;

	NotificationController(EntrantWebhooks webhooks, NotificationAddresses addresses, NotificationSettings settings) {
		this.webhooks = webhooks;
		this.addresses = addresses;
		this.settings = settings;
	}

	@GetMapping
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "How the caller is told: their team's webhook (never its secret) and their mail address")
	Notifications show(@AuthenticationPrincipal PodiumUser participant) {
		NotificationSettings.Settings current = this.settings.of(participant);
		Webhook webhook = (current.webhook() != null)
				? new Webhook(current.webhook().url(), current.webhook().registeredAt(), null, current.lastDelivery())
				: null;
		return new Notifications(EVENTS, webhook, current.email(), current.mailEnabled());
	}

	@PutMapping("/webhook")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Set the caller's team's webhook (any member may); the answer carries its new signing "
			+ "secret, shown once. Setting it again replaces it and its secret")
	@ApiResponse(responseCode = "400",
			description = "Not an https URL on a public address (podium.notifications.webhook-allowed-hosts exempts "
					+ "hosts), or it carries credentials")
	Notifications setWebhook(@RequestBody WebhookRequest request, @AuthenticationPrincipal PodiumUser participant) {
		EntrantWebhooks.Webhook made = this.webhooks.register(participant, (request != null) ? request.url() : null);
		// the answer shows what this call set, even if a teammate replaced it meanwhile
		return new Notifications(EVENTS, new Webhook(made.url(), made.registeredAt(), made.secret(), null),
				this.addresses.find(participant).orElse(null), this.settings.mailEnabled());
	}

	record WebhookRequest(String url) {
	}

	@DeleteMapping("/webhook")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Remove the caller's team's webhook; deliveries still waiting for it are given up")
	@ApiResponse(responseCode = "204", description = "Removed, or there was none")
	ResponseEntity<Void> removeWebhook(@AuthenticationPrincipal PodiumUser participant) {
		this.webhooks.remove(participant);
		return ResponseEntity.noContent().build();
	}

	@PutMapping("/email")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Mail the caller their own submissions' outcomes at this address (sent when the server "
			+ "has an SMTP server: spring.mail.host)")
	@ApiResponse(responseCode = "400", description = "Not one plain address")
	Notifications setEmail(@RequestBody EmailRequest request, @AuthenticationPrincipal PodiumUser participant) {
		this.addresses.set(participant, (request != null) ? request.address() : null);
		return show(participant);
	}

	record EmailRequest(String address) {

		@Override
		public String toString() {
			return "EmailRequest[address=<redacted>]";
		}

	}

	@DeleteMapping("/email")
	@PreAuthorize("hasRole('PARTICIPANT')")
	@Operation(summary = "Stop mailing the caller")
	@ApiResponse(responseCode = "204", description = "Removed, or there was none")
	ResponseEntity<Void> removeEmail(@AuthenticationPrincipal PodiumUser participant) {
		this.addresses.remove(participant);
		return ResponseEntity.noContent().build();
	}

	/**
	 * @param mailEnabled whether this server sends mail at all
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Notifications(List<String> events, Webhook webhook, String email, boolean mailEnabled) {

		@Override
		public String toString() {
			return "Notifications[webhook=%s, email=<redacted>]".formatted(this.webhook);
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Webhook(URI url, Instant registeredAt,
			@Schema(description = "Only in the answer that set it: sign-checking key, whsec_<base64>") String secret,
			EntrantWebhooks.LastDelivery lastDelivery) {

		@Override
		public String toString() {
			return "Webhook[host=%s, secret=<redacted>]".formatted(this.url.getHost());
		}

	}

}
