package dev.podium.leaderboard;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A task's ranking. */
public record Leaderboard(String competition, String task, LeaderboardView view, List<Entry> entries) {

	/**
	 * @param submissions how many submissions the participant made to the task (cancelled
	 * ones aside)
	 */
	public record Entry(int rank, String participant, double score, UUID submissionId, Instant submittedAt,
			long submissions) {
	}

}
