package dev.podium.leaderboard;

/** Which scores rank a leaderboard. */
public enum LeaderboardView {

	/** Each participant's best public score. */
	PUBLIC,

	/**
	 * Each participant's selected submissions (or best public ones when none is
	 * selected), ranked by private score.
	 */
	PRIVATE

}
