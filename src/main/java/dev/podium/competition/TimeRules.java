package dev.podium.competition;

import java.time.Instant;

/**
 * When a board freezes, when the private board opens and until when selections may
 * change; {@code null} where unset (a task's unset rules are its competition's, a
 * competition's unset reveal and deadline are its end).
 *
 * @param leaderboardFreezesAt from then on participants see the public board as it stood
 * then; organizers still see it live
 * @param privateRevealAt the private board opens to everyone then
 * @param selectionDeadline after it, final selections cannot change
 */
public record TimeRules(Instant leaderboardFreezesAt, Instant privateRevealAt, Instant selectionDeadline) {

	public static final TimeRules NONE = new TimeRules(null, null, null);

	/** This rule where set, the other one's where not. */
	TimeRules or(TimeRules fallback) {
		return new TimeRules(first(this.leaderboardFreezesAt, fallback.leaderboardFreezesAt),
				first(this.privateRevealAt, fallback.privateRevealAt),
				first(this.selectionDeadline, fallback.selectionDeadline));
	}

	private static Instant first(Instant value, Instant fallback) {
		return (value != null) ? value : fallback;
	}

}
