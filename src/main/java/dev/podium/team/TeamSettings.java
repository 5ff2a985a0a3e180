package dev.podium.team;

import java.time.Instant;

/**
 * How a competition's teams form.
 *
 * @param selfService whether participants create and join teams themselves (otherwise
 * only its organizers do)
 * @param maxTeamSize the most members a team may have
 * @param mergeDeadline after it no team takes in submissions of another entrant (a
 * merge), and participants no longer join; {@code null}: until the competition ends
 */
public record TeamSettings(boolean selfService, int maxTeamSize, Instant mergeDeadline) {

	public static final TeamSettings DEFAULTS = new TeamSettings(false, 5, null);

	public static final int LARGEST_TEAM = 100;

}
