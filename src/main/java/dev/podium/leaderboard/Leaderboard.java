package dev.podium.leaderboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A page of a task's ranking, with the entries shown apart from it: organizers'
 * baselines, and late submissions.
 *
 * @param frozen whether this is the public board as it stood when it froze
 * @param metric the primary metric, which ranks
 * @param secondaryMetrics shown beside it, and breaking its ties in this order
 * @param rankedBy the declared order, primary first, the earlier submission last
 * @param total how many entrants rank
 */
public record Leaderboard(String competition, String task, LeaderboardView view, boolean frozen, Instant frozenAt,
		String metric, List<String> secondaryMetrics, List<String> rankedBy, int page, int size, long total,
		List<Entry> entries, List<Entry> baselines, List<Entry> late) {

	/** The declared order in one sentence, for people. */
	public String tieBreak() {
		if (this.rankedBy.size() <= 1) {
			return "Ranked by " + this.metric + ".";
		}
		return "Ranked by %s; ties go to %s.".formatted(this.rankedBy.get(0),
				String.join(", then to ", this.rankedBy.subList(1, this.rankedBy.size())));
	}

	/** The ranking as CSV, one row per entry, for the API and the dashboard alike. */
	public String toCsv() {
		List<String> header = new ArrayList<>(List.of("rank", "participant", "score"));
		header.addAll(this.secondaryMetrics);
		header.addAll(List.of("submission_id", "submitted_at", "submissions"));
		StringBuilder csv = new StringBuilder();
		try (CSVPrinter printer = new CSVPrinter(csv,
				CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).setRecordSeparator('\n').get())) {
			for (Entry entry : this.entries) {
				List<Object> record = new ArrayList<>(
						List.of(entry.rank(), asText(entry.participant()), entry.score()));
				this.secondaryMetrics.forEach((metric) -> record.add(entry.metrics().get(metric)));
				record.addAll(List.of(entry.submissionId(), entry.submittedAt(), entry.submissions()));
				printer.printRecord(record);
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
	 * @param rank the place, {@code null} for entries that do not rank (baselines, late
	 * ones)
	 * @param participant the entrant's name (a baseline's description)
	 * @param metrics the secondary metrics of the standing submission, on the board's
	 * split; {@code null} where undefined
	 * @param submissions how many submissions the entrant made to the task (cancelled
	 * ones aside)
	 */
	public record Entry(Integer rank, String participant, double score, Map<String, Double> metrics, UUID submissionId,
			Instant submittedAt, long submissions) {
	}

}
