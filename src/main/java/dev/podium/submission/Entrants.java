package dev.podium.submission;

import dev.podium.security.PodiumUser;

/**
 * Who a participant competes for. The module that owns teams implements it; the
 * submission module asks it, and nothing else, whenever it counts something per entrant.
 */
public interface Entrants {

	/** The participant's team, or the participant as a team of one. */
	QuotaHolder holderOf(PodiumUser participant);

}
