package dev.podium.leaderboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** A task's ranking. */
public record Leaderboard(String competition, String task, LeaderboardView view, List<Entry> entries) {

	static final String[] CSV_HEADER = { "rank", "participant", "score", "submission_id", "submitted_at",
			"submissions" };

	/** The ranking as CSV, one row per entry, for the API and the dashboard alike. */
	public String toCsv() {
		StringBuilder csv = new StringBuilder();
		try (CSVPrinter printer = new CSVPrinter(csv,
				CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).setRecordSeparator('\n').get())) {
			for (Entry entry : this.entries) {
				printer.printRecord(entry.rank(), asText(entry.participant()), entry.score(), entry.submissionId(),
						entry.submittedAt(), entry.submissions());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return csv.toString();
	}

	/**
	 * A cell a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
	 * carriage return) is written as text, with a leading apostrophe.
	 */
	static String asText(String cell) {
		if (cell == null || cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0) {
			return cell;
		}
		return "'" + cell;
	}

	/** e.g. {@code demo-sentiment-public.csv} */
	public String csvFileName() {
		return "%s-%s-%s.csv".formatted(this.competition, this.task, this.view.name().toLowerCase(Locale.ROOT));
	}

	/**
	 * @param submissions how many submissions the participant made to the task (cancelled
	 * ones aside)
	 */
	public record Entry(int rank, String participant, double score, UUID submissionId, Instant submittedAt,
			long submissions) {
	}

}
