package dev.podium.evaluation;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param schedulerEnabled whether this instance claims and drives work on its own (tests
 * drive it by hand)
 * @param pollInterval how often the scheduler looks for work besides being woken by new
 * submissions
 * @param leaseDuration how long a sandbox stays with an instance that stopped renewing it
 * (leases are renewed every third of it, on their own thread)
 * @param workers how many sandbox steps (each a provider call) run at once; kept below
 * the connection pool's size
 * @param maxAttempts how many times a submission is tried before a platform failure is
 * final
 * @param retryBaseDelay the first retry's delay; each further retry doubles it, with
 * jitter
 * @param retryMaxDelay the longest delay between retries
 * @param maxPlatformFaultsPerParticipantDay platform faults of one participant's
 * submissions in a day beyond which their work waits for an operator instead of creating
 * more sandboxes
 * @param reapInterval how often orphaned sandboxes (made but no longer tracked) are
 * looked for
 * @param createTimeout the longest a sandbox may stay CREATING before its creation is
 * resolved by name (adopted or given up)
 * @param downloadTimeout the longest a job may take to download what it needs before it
 * starts
 * @param timeLimitMargin how far past a job's time limit Podium waits for the sandbox to
 * report before it fails the job itself
 * @param jobWait the longest a sandbox's request for its next job is held open
 * @param preflightCacheTtl how long a pre-flight verdict for a model, revision and token
 * is reused
 * @param targetWait the wait beyond which the planner creates a further sandbox for a
 * scope, budget permitting
 * @param maxSandboxesPerScope the most sandboxes serving one scope at once
 * @param sandboxLifetime a sandbox's longest life when its task sets none
 * @param freeIdleTimeout how long an idle sandbox on free hardware waits for work when
 * its task sets nothing
 * @param paidIdleTimeout the same on paid hardware, which is billed by the minute
 * @param queueSnapshotInterval how often the scheduler recounts the queue's fair rounds,
 * from which queue positions and start estimates read the earlier rounds: at most once in
 * this interval over all instances, whatever the traffic
 */
@ConfigurationProperties("podium.evaluation")
@Validated
public record EvaluationProperties(@DefaultValue("true") boolean schedulerEnabled,
		@DefaultValue("2s") Duration pollInterval, @DefaultValue("60s") Duration leaseDuration,
		@DefaultValue("4") @Min(1) @Max(64) int workers, @DefaultValue("3") @Min(1) @Max(20) int maxAttempts,
		@DefaultValue("30s") Duration retryBaseDelay, @DefaultValue("10m") Duration retryMaxDelay,
		@DefaultValue("20") @Min(1) int maxPlatformFaultsPerParticipantDay, @DefaultValue("5m") Duration reapInterval,
		@DefaultValue("10m") Duration createTimeout, @DefaultValue("30m") Duration downloadTimeout,
		@DefaultValue("2m") Duration timeLimitMargin, @DefaultValue("20s") Duration jobWait,
		@DefaultValue("5m") Duration preflightCacheTtl, @DefaultValue("10m") Duration targetWait,
		@DefaultValue("3") @Min(1) @Max(100) int maxSandboxesPerScope, @DefaultValue("6h") Duration sandboxLifetime,
		@DefaultValue("2h") Duration freeIdleTimeout, @DefaultValue("5m") Duration paidIdleTimeout,
		@DefaultValue("5s") Duration queueSnapshotInterval) {
}
