package dev.podium.notification;

import dev.podium.security.PodiumUser;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

/**
 * How a participant is told, as their page and the API show it: their team's webhook
 * (never its secret) with its latest delivery, their mail address, and whether this
 * server sends mail at all.
 */
@Service
public class NotificationSettings {

	private final EntrantWebhooks webhooks;

	private final NotificationAddresses addresses;

	private final ObjectProvider<JavaMailSender> mail;

	NotificationSettings(EntrantWebhooks webhooks, NotificationAddresses addresses,
			ObjectProvider<JavaMailSender> mail) {
		this.webhooks = webhooks;
		this.addresses = addresses;
		this.mail = mail;
	}

	/**
	 * @param lastDelivery {@code null} without a webhook or before its first delivery
	 */
	public record Settings(EntrantWebhooks.Webhook webhook, EntrantWebhooks.LastDelivery lastDelivery, String email,
			boolean mailEnabled) {

		@Override
		public String toString() {
			return "Settings[webhook=%s, email=<redacted>, mailEnabled=%s]".formatted(this.webhook, this.mailEnabled);
		}

	}

	public Settings of(PodiumUser participant) {
		EntrantWebhooks.Webhook webhook = this.webhooks.find(participant).orElse(null);
		return new Settings(webhook, (webhook != null) ? this.webhooks.lastDelivery(participant).orElse(null) : null,
				this.addresses.find(participant).orElse(null), mailEnabled());
	}

	/** Whether an SMTP server is configured ({@code spring.mail.host}). */
	public boolean mailEnabled() {
		return this.mail.getIfAvailable() != null;
	}

}
