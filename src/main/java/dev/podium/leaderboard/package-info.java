/**
 * Leaderboards: public and private rankings of a task's participants, and their CSV
 * export.
 */
package dev.podium.leaderboard;
