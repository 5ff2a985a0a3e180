/**
 * Submission intake and the submission state machine. A submission row is at once the
 * participant's record and the evaluation queue entry; daily limits are charged in the
 * same transaction that writes it.
 */
package dev.podium.submission;
