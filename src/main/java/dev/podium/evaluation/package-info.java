/**
 * The evaluation pipeline: the scheduler that claims queued submissions, the sandboxes it
 * drives through their lives under leases, the callbacks through which sandboxes report,
 * the retry policy for platform failures, and the reaper that leaves nothing behind.
 */
package dev.podium.evaluation;
