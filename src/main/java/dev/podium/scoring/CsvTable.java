package dev.podium.scoring;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file read into a header and rows of the same width, every name and value stripped
 * of surrounding whitespace. Anything that keeps the file from being such a table is a
 * problem worded for the person who uploaded it.
 *
 * @param header the column names, unique and non-empty
 * @param rows the data rows, each as wide as the header
 */
record CsvTable(List<String> header, List<String[]> rows) {

	private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
		.setIgnoreEmptyLines(true)
		.setIgnoreSurroundingSpaces(true)
		.get();

	private static final int ROWS_NAMED = 5;

	private static final Pattern START_LINE = Pattern.compile("\\(startline (\\d+)\\)");

	/**
	 * Reads UTF-8 CSV bytes, with or without a byte order mark, with LF or CRLF line
	 * ends.
	 * @throws InvalidCsvException with at most {@code maxProblems} problems
	 */
	static CsvTable parse(byte[] csv, int maxProblems) {
		String text = decode(csv);
		int nul = text.indexOf('\u0000');
		if (nul >= 0) {
			throw new InvalidCsvException("The file contains a NUL character (line "
					+ (text.substring(0, nul).chars().filter((c) -> c == '\n').count() + 1)
					+ "): it is not a text CSV. Save it as CSV with UTF-8 encoding.");
		}
		if (text.isBlank()) {
			throw new InvalidCsvException("The file is empty.");
		}
		List<List<String>> records = new ArrayList<>();
		try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
			try {
				for (CSVRecord record : parser) {
					if (!isBlank(record)) {
						records.add(record.stream().map(String::strip).toList());
					}
				}
			}
			catch (UncheckedIOException | IllegalStateException ex) {
				throw new InvalidCsvException(syntaxProblem(reason(ex), parser.getCurrentLineNumber()));
			}
		}
		catch (IOException ex) {
			throw new InvalidCsvException("The file is not valid CSV (" + reason(ex) + ").");
		}
		if (records.isEmpty()) {
			throw new InvalidCsvException("The file is empty.");
		}
		return of(records.get(0), records.subList(1, records.size()), maxProblems);
	}

	/**
	 * Checks rows that did not come from a file, such as predictions a sandbox returned.
	 * @throws InvalidCsvException with at most {@code maxProblems} problems
	 */
	static CsvTable of(List<String> header, List<List<String>> rows, int maxProblems) {
		ProblemList problems = new ProblemList(maxProblems);
		List<String> names = header.stream().map(CsvTable::stripped).toList();
		checkHeader(names, problems);
		List<String[]> table = new ArrayList<>(rows.size());
		int misshapen = 0;
		for (int i = 0; i < rows.size(); i++) {
			List<String> row = rows.get(i);
			if (row.size() != names.size()) {
				misshapen++;
				if (misshapen <= ROWS_NAMED) {
					problems.add("Row " + (i + 1) + " has " + row.size() + ((row.size() == 1) ? " value" : " values")
							+ " but the header has " + names.size() + " columns.");
				}
				continue;
			}
			table.add(row.stream().map(CsvTable::stripped).toArray(String[]::new));
		}
		if (misshapen > ROWS_NAMED) {
			problems.add(misshapen + " rows in total have a different number of values than the header.");
		}
		if (!problems.isEmpty()) {
			throw new InvalidCsvException(problems.toList());
		}
		return new CsvTable(names, table);
	}

	private static void checkHeader(List<String> names, ProblemList problems) {
		Set<String> seen = new HashSet<>();
		Set<String> repeated = new LinkedHashSet<>();
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			if (name.isEmpty()) {
				problems.add("Column " + (i + 1) + " of the header has no name.");
			}
			else if (!seen.add(name)) {
				repeated.add(name);
			}
		}
		for (String name : repeated) {
			problems.add("Column " + Excerpt.quoted(name) + " appears more than once in the header.");
		}
	}

	private static String decode(byte[] csv) {
		if (csv == null) {
			return "";
		}
		int start = (csv.length >= 3 && csv[0] == (byte) 0xEF && csv[1] == (byte) 0xBB && csv[2] == (byte) 0xBF) ? 3
				: 0;
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(csv, start, csv.length - start))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InvalidCsvException(
					"The file is not UTF-8 text. Save it as CSV with UTF-8 encoding (not a spreadsheet or an archive).");
		}
	}

	private static boolean isBlank(CSVRecord record) {
		return record.size() == 1 && record.get(0).isBlank();
	}

	private static String stripped(String value) {
		return (value != null) ? value.strip() : "";
	}

	/**
	 * Rewords the parser's two common complaints, which name tokens and encapsulators, in
	 * terms a participant can act on.
	 */
	private static String syntaxProblem(String reason, long line) {
		Matcher startLine = START_LINE.matcher(reason);
		if (reason.contains("EOF reached before encapsulated token finished") && startLine.find()) {
			return "The file is not valid CSV: the quoted value that starts on line " + startLine.group(1)
					+ " is never closed.";
		}
		if (reason.contains("Invalid character between encapsulated token and delimiter")) {
			return "The file is not valid CSV: on line " + line
					+ " a closing quote is followed by other characters; write a quote inside a quoted value as two quotes.";
		}
		return "The file is not valid CSV: the problem is near line " + line + " (" + reason + ").";
	}

	private static String reason(Exception ex) {
		Throwable cause = (ex instanceof UncheckedIOException && ex.getCause() != null) ? ex.getCause() : ex;
		String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
		// Parser messages quote no cell values, but they can nest exception names; keep
		// them short.
		message = message.replaceAll("[a-zA-Z.]*Exception: ", "").replaceAll("\\s+", " ").strip();
		return (message.length() > 160) ? message.substring(0, 160) + "..." : message;
	}

}
