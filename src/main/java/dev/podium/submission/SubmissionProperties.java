package dev.podium.submission;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Defaults of the queue's per-task rules; organizers set a task's own values through
 * {@code PUT /api/competitions/{slug}/tasks/{task}/queue-limits}.
 *
 * @param defaultMaxInFlight how many of one team's submissions to a task are evaluated at
 * once, where the task sets none
 * @param refuseDuplicates whether a team's duplicate (the same file, or the same model at
 * the same pinned commit) is refused, where the task sets nothing
 */
@ConfigurationProperties("podium.submission")
@Validated
public record SubmissionProperties(@DefaultValue("2") @Min(1) @Max(1000) int defaultMaxInFlight,
		@DefaultValue("true") boolean refuseDuplicates) {
}
