package dev.podium.leaderboard;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSV export is opened in spreadsheets: a cell that starts like a formula is written
 * as text (a leading apostrophe, as OWASP advises), so that opening a board runs nothing
 * a participant or team wrote.
 */
class LeaderboardCsvTests {

	@Test
	void writesCellsThatLookLikeFormulasAsText() {
		List<String> names = List.of("=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd",
				"alice", "bob-2");
		List<Leaderboard.Entry> entries = names.stream()
			.map((name) -> new Leaderboard.Entry(1, name, 0.5, UUID.randomUUID(), Instant.parse("2026-11-23T10:00:00Z"),
					1))
			.toList();
		String csv = new Leaderboard("c", "t", LeaderboardView.PUBLIC, entries).toCsv();
		assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",", ",'+1+1,", ",'-2+3,", ",'@SUM(A1),",
				",'\tcmd,", ",\"'\rcmd\",", ",alice,", ",bob-2,");
		assertThat(csv.lines().skip(1)).noneMatch((line) -> line.matches("^[^,]*,\"?[=+\\-@\t\r].*"));
	}

}
