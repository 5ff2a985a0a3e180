/**
 * Leaderboards: public, frozen and private rankings of a task's entrants, read from
 * stored standings that the transactions which change scores, selections, exclusions and
 * rules keep up to date; the declared tie-break (primary metric, secondary metrics,
 * earlier submission); baselines and late entries shown apart; and the CSV export.
 */
package dev.podium.leaderboard;
