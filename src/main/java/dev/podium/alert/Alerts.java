package dev.podium.alert;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Raises alerts for operators. An alert is written in the transaction that raises it, one
 * delivery per webhook, so that it is sent exactly when what it reports happened, and a
 * restart never loses it; {@link AlertDispatcher} delivers it later.
 */
@Service
public class Alerts {

	private final AlertProperties properties;

	private final Deliveries deliveries;

	private final JsonMapper json;

	private final Clock clock;

	Alerts(AlertProperties properties, Deliveries deliveries, JsonMapper json, Clock clock) {
		this.properties = properties;
		this.deliveries = deliveries;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * @param type e.g. {@code budget.threshold}
	 * @param fields the event's fields; {@code type} and {@code at} are added
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void raise(String type, Map<String, Object> fields) {
		Instant now = this.clock.instant();
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", type);
		event.putAll(fields);
		event.put("at", now.toString());
		String payload = this.json.writeValueAsString(event);
		for (URI webhook : this.properties.webhooks()) {
			this.deliveries.toConfiguredWebhook(webhook, type, payload);
		}
	}

}
