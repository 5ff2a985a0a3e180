package dev.podium.dashboard;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param refresh how often open pages refresh their live parts
 * @param queueRows how many waiting submissions the queue page lists, first in line first
 */
@ConfigurationProperties("podium.dashboard")
@Validated
record DashboardProperties(@DefaultValue("5s") @DurationMin(seconds = 1) Duration refresh,
		@DefaultValue("50") @Min(1) @Max(5000) int queueRows) {
}
