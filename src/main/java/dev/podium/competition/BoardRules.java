package dev.podium.competition;

/**
 * A competition's rules for its leaderboards, as an organizer sets them.
 *
 * @param allowLateSubmissions whether submissions after the end are taken, scored and
 * shown apart from the ranking (otherwise they are refused)
 */
public record BoardRules(PrivateBoardRule privateBoardRule, TimeRules timeRules, boolean allowLateSubmissions) {

	public static final BoardRules DEFAULT = new BoardRules(PrivateBoardRule.BEST_PRIVATE_OF_TOP_SELECTION,
			TimeRules.NONE, false);

	public BoardRules {
		privateBoardRule = (privateBoardRule != null) ? privateBoardRule
				: PrivateBoardRule.BEST_PRIVATE_OF_TOP_SELECTION;
		timeRules = (timeRules != null) ? timeRules : TimeRules.NONE;
	}

}
