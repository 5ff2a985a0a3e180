package dev.podium.dashboard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Leaderboards show scores the same way in every locale. */
class ScoreLabelTests {

	@Test
	void scoresShowWithFiveDecimalsAtMostAndNoTrailingZeros() {
		assertThat(LeaderboardPages.score(0.8)).isEqualTo("0.8");
		assertThat(LeaderboardPages.score(1.0)).isEqualTo("1");
		assertThat(LeaderboardPages.score(0.123456789)).isEqualTo("0.12346");
		assertThat(LeaderboardPages.score(1234.5)).isEqualTo("1234.5");
		assertThat(LeaderboardPages.score(100)).isEqualTo("100");
		assertThat(LeaderboardPages.score(-0.25)).isEqualTo("-0.25");
	}

}
