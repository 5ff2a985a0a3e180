package dev.podium.notification;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param webhookAllowedHosts hosts a team's webhook may name although they are private or
 * served over plain http (an organizer's own receiver inside their network); every other
 * webhook must be https on a public address
 */
@ConfigurationProperties("podium.notifications")
public record NotificationProperties(@DefaultValue List<String> webhookAllowedHosts) {
}
