/**
 * Teams: a team belongs to one competition and a participant is in at most one team per
 * competition; a participant without a team is a team of one, whose entrant id is their
 * own account id. The module decides every submission's entrant (it implements
 * {@code dev.podium.submission.Entrants}), so daily limits, the fair order, the in-flight
 * cap, selections and leaderboard rows count teams. It owns team creation, members,
 * participants' self-service and merges (with Kaggle's rule), each change recorded.
 */
package dev.podium.team;
