package dev.podium.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A competition's hidden solution: an id column, a {@code split} column whose values are
 * {@code public} or {@code private} (in any case), and target columns, which are all the
 * other columns. Checks participants' predictions against it and scores them on the
 * public and the private rows, joining predictions to solution rows by id, never by row
 * order. Immutable and safe to share between threads.
 */
public final class Solution {

	private static final String SPLIT = "split";

	/**
	 * How many problems {@link #parse} and {@link #score} report at most.
	 */
	private static final int REPORTED_PROBLEMS = 20;

	/**
	 * How many examples a message names: enough to spot the pattern, short enough to
	 * read.
	 */
	private static final int EXAMPLES = 5;

	private static final int COLUMNS_NAMED = 10;

	private final String idColumn;

	private final List<String> targetColumns;

	private final List<String> ids;

	private final Map<String, Integer> rowById;

	private final List<String[]> truth;

	private final boolean[] publicRows;

	private final long publicRowCount;

	private Solution(String idColumn, List<String> targetColumns, List<String> ids, List<String[]> truth,
			boolean[] publicRows) {
		this.idColumn = idColumn;
		this.targetColumns = List.copyOf(targetColumns);
		this.ids = List.copyOf(ids);
		this.truth = truth;
		this.publicRows = publicRows;
		this.rowById = new HashMap<>(ids.size() * 2);
		for (int row = 0; row < ids.size(); row++) {
			this.rowById.put(ids.get(row), row);
		}
		long publicCount = 0;
		for (boolean isPublic : publicRows) {
			publicCount += isPublic ? 1 : 0;
		}
		this.publicRowCount = publicCount;
	}

	/**
	 * Parses a solution CSV (UTF-8, optional byte order mark, LF or CRLF line ends).
	 * @param csv the file's bytes
	 * @param idColumn the name of the id column
	 * @return the solution
	 * @throws InvalidCsvException when the file is not CSV, has no such id column, no
	 * {@code split} column, a split value other than public or private, duplicate or
	 * empty ids, no target column or no rows
	 */
	public static Solution parse(byte[] csv, String idColumn) throws InvalidCsvException {
		if (idColumn == null || idColumn.isBlank()) {
			throw new IllegalArgumentException("idColumn must not be blank");
		}
		String id = idColumn.strip();
		CsvTable table = CsvTable.parse(csv, REPORTED_PROBLEMS);
		List<String> header = table.header();
		ProblemList problems = new ProblemList(REPORTED_PROBLEMS);
		int idIndex = header.indexOf(id);
		if (idIndex < 0) {
			problems.add("The solution has no id column " + Excerpt.quoted(id) + caseHint(header, id)
					+ "; its columns are " + Excerpt.quotedList(header, COLUMNS_NAMED) + ".");
		}
		List<Integer> splitIndexes = new ArrayList<>();
		for (int column = 0; column < header.size(); column++) {
			if (column != idIndex && header.get(column).equalsIgnoreCase(SPLIT)) {
				splitIndexes.add(column);
			}
		}
		if (id.equalsIgnoreCase(SPLIT)) {
			problems
				.add("The id column cannot be named 'split': that name is for the column saying public or private.");
		}
		else if (splitIndexes.isEmpty()) {
			problems.add("The solution has no 'split' column saying whether each row is public or private.");
		}
		else if (splitIndexes.size() > 1) {
			problems.add("The solution has several split columns: "
					+ Excerpt.quotedList(splitIndexes.stream().map(header::get).toList(), COLUMNS_NAMED) + ".");
		}
		List<Integer> targetIndexes = new ArrayList<>();
		for (int column = 0; column < header.size(); column++) {
			if (column != idIndex && !header.get(column).equalsIgnoreCase(SPLIT)) {
				targetIndexes.add(column);
			}
		}
		if (targetIndexes.isEmpty()) {
			problems.add("The solution has no target column besides the id and split columns.");
		}
		if (table.rows().isEmpty()) {
			problems.add("The solution has no rows.");
		}
		if (!problems.isEmpty()) {
			throw new InvalidCsvException(problems.toList());
		}
		return fromRows(id, table, idIndex, splitIndexes.get(0), targetIndexes);
	}

	private static Solution fromRows(String idColumn, CsvTable table, int idIndex, int splitIndex,
			List<Integer> targetIndexes) {
		ProblemList problems = new ProblemList(REPORTED_PROBLEMS);
		List<String> ids = new ArrayList<>(table.rows().size());
		List<String[]> truth = new ArrayList<>(table.rows().size());
		boolean[] publicRows = new boolean[table.rows().size()];
		Set<String> seen = new HashSet<>();
		Set<String> repeated = new LinkedHashSet<>();
		List<Integer> rowsWithoutId = new ArrayList<>();
		int badSplits = 0;
		for (int row = 0; row < table.rows().size(); row++) {
			String[] values = table.rows().get(row);
			String id = values[idIndex];
			if (id.isEmpty()) {
				rowsWithoutId.add(row + 1);
			}
			else if (!seen.add(id)) {
				repeated.add(id);
			}
			String split = values[splitIndex];
			if (split.equalsIgnoreCase("public") || split.equalsIgnoreCase("private")) {
				publicRows[row] = split.equalsIgnoreCase("public");
			}
			else if (++badSplits <= EXAMPLES) {
				problems.add("Row " + (row + 1) + " (id " + Excerpt.quoted(id) + "): the split " + Excerpt.quoted(split)
						+ " is neither 'public' nor 'private'.");
			}
			ids.add(id);
			truth.add(targetIndexes.stream().map((column) -> values[column]).toArray(String[]::new));
		}
		if (badSplits > EXAMPLES) {
			problems.add(badSplits + " rows in total have a split other than 'public' or 'private'.");
		}
		addRowsWithoutId(rowsWithoutId, problems);
		if (!repeated.isEmpty()) {
			problems.add((repeated.size() == 1)
					? "The id " + Excerpt.quoted(repeated.iterator().next()) + " appears on more than one row."
					: repeated.size() + " ids appear on more than one row, e.g. "
							+ Excerpt.quotedList(repeated, EXAMPLES) + ".");
		}
		if (!problems.isEmpty()) {
			throw new InvalidCsvException(problems.toList());
		}
		List<String> targetColumns = targetIndexes.stream().map(table.header()::get).toList();
		return new Solution(idColumn, targetColumns, ids, truth, publicRows);
	}

	public String idColumn() {
		return this.idColumn;
	}

	/**
	 * The target columns in the solution's order, which is the order of the values
	 * {@link Metric#compute} receives.
	 */
	public List<String> targetColumns() {
		return this.targetColumns;
	}

	/**
	 * The ids in the solution's row order.
	 */
	public List<String> ids() {
		return this.ids;
	}

	public int rowCount() {
		return this.ids.size();
	}

	public long publicRowCount() {
		return this.publicRowCount;
	}

	public long privateRowCount() {
		return rowCount() - this.publicRowCount;
	}

	/**
	 * Whether a row has this id, compared after stripping surrounding whitespace as the
	 * CSV reader does.
	 */
	public boolean hasId(String id) {
		return id != null && this.rowById.containsKey(id.strip());
	}

	/**
	 * Checks a participant's predictions CSV against this solution.
	 * @param predictionsCsv the file's bytes
	 * @param metric the competition's metric, which decides what values are valid
	 * @param maxProblems how many problems to return at most (1 or more)
	 * @return human-readable problems, empty when the predictions can be scored
	 */
	public List<String> check(byte[] predictionsCsv, Metric metric, int maxProblems) {
		ProblemList problems = new ProblemList(maxProblems);
		try {
			check(CsvTable.parse(predictionsCsv, maxProblems), metric, problems);
		}
		catch (InvalidCsvException ex) {
			problems.addAll(ex.problems());
		}
		return problems.toList();
	}

	/**
	 * Checks predictions that did not come from a file, such as those a sandbox returned.
	 * @param header the column names: the id column and every target column
	 * @param rows one list of values per row, in the header's order
	 * @param metric the competition's metric
	 * @param maxProblems how many problems to return at most (1 or more)
	 * @return human-readable problems, empty when the predictions can be scored
	 */
	public List<String> check(List<String> header, List<List<String>> rows, Metric metric, int maxProblems) {
		ProblemList problems = new ProblemList(maxProblems);
		try {
			check(CsvTable.of(header, rows, maxProblems), metric, problems);
		}
		catch (InvalidCsvException ex) {
			problems.addAll(ex.problems());
		}
		return problems.toList();
	}

	/**
	 * Checks a predictions CSV, then scores its public and private rows.
	 * @throws InvalidCsvException with the first problems when the predictions are
	 * invalid
	 * @throws ScoringException when the metric is undefined on a split, e.g. ROC AUC when
	 * the truth of the split holds a single class
	 */
	public Scores score(byte[] predictionsCsv, Metric metric) throws InvalidCsvException {
		return score(CsvTable.parse(predictionsCsv, REPORTED_PROBLEMS), metric);
	}

	/**
	 * Scores predictions that did not come from a file, such as those a sandbox returned;
	 * checked and scored as {@link #score(byte[], Metric)} does.
	 * @param header the column names: the id column and every target column
	 * @param rows one list of values per row, in the header's order
	 * @param metric the competition's metric
	 */
	public Scores score(List<String> header, List<List<String>> rows, Metric metric) throws InvalidCsvException {
		return score(CsvTable.of(header, rows, REPORTED_PROBLEMS), metric);
	}

	private Scores score(CsvTable predictions, Metric metric) {
		ProblemList problems = new ProblemList(REPORTED_PROBLEMS);
		check(predictions, metric, problems);
		if (!problems.isEmpty()) {
			throw new InvalidCsvException(problems.toList());
		}
		int idIndex = predictions.header().indexOf(this.idColumn);
		int[] targetIndexes = this.targetColumns.stream().mapToInt(predictions.header()::indexOf).toArray();
		Map<String, String[]> predictedById = new HashMap<>(predictions.rows().size() * 2);
		for (String[] row : predictions.rows()) {
			String[] values = new String[targetIndexes.length];
			for (int column = 0; column < values.length; column++) {
				values[column] = row[targetIndexes[column]];
			}
			predictedById.put(row[idIndex], values);
		}
		List<String[]> publicTruth = new ArrayList<>();
		List<String[]> publicPredicted = new ArrayList<>();
		List<String[]> privateTruth = new ArrayList<>();
		List<String[]> privatePredicted = new ArrayList<>();
		for (int row = 0; row < rowCount(); row++) {
			String[] predicted = predictedById.get(this.ids.get(row));
			if (this.publicRows[row]) {
				publicTruth.add(this.truth.get(row));
				publicPredicted.add(predicted);
			}
			else {
				privateTruth.add(this.truth.get(row));
				privatePredicted.add(predicted);
			}
		}
		return new Scores(scoreSplit("public", metric, publicTruth, publicPredicted),
				scoreSplit("private", metric, privateTruth, privatePredicted));
	}

	private static Double scoreSplit(String split, Metric metric, List<String[]> truth, List<String[]> predicted) {
		if (truth.isEmpty()) {
			return null;
		}
		try {
			return metric.compute(Collections.unmodifiableList(truth), Collections.unmodifiableList(predicted));
		}
		catch (ScoringException ex) {
			throw new ScoringException("Cannot score the " + split + " rows: " + ex.getMessage(), ex);
		}
	}

	private void check(CsvTable predictions, Metric metric, ProblemList problems) {
		Objects.requireNonNull(metric, "metric");
		List<String> header = predictions.header();
		int idIndex = header.indexOf(this.idColumn);
		if (idIndex < 0) {
			problems.add("Missing the id column " + Excerpt.quoted(this.idColumn) + caseHint(header, this.idColumn)
					+ separatorHint(header) + ".");
		}
		List<String> missing = this.targetColumns.stream().filter((column) -> !header.contains(column)).toList();
		if (!missing.isEmpty()) {
			problems.add((missing.size() == 1)
					? "Missing the target column " + Excerpt.quoted(missing.get(0)) + caseHint(header, missing.get(0))
							+ "."
					: "Missing " + missing.size() + " target columns: " + Excerpt.quotedList(missing, COLUMNS_NAMED)
							+ ".");
		}
		Set<String> expected = new LinkedHashSet<>();
		expected.add(this.idColumn);
		expected.addAll(this.targetColumns);
		List<String> unexpected = header.stream().filter((column) -> !expected.contains(column)).toList();
		if (!unexpected.isEmpty()) {
			problems.add(((unexpected.size() == 1) ? "Unexpected column " : "Unexpected columns ")
					+ Excerpt.quotedList(unexpected, COLUMNS_NAMED) + "; the columns must be "
					+ Excerpt.quotedList(expected, COLUMNS_NAMED) + ", in any order.");
		}
		if (idIndex < 0) {
			return;
		}
		checkIds(predictions.rows(), idIndex, problems);
		checkValues(predictions, idIndex, metric, problems);
	}

	private void checkIds(List<String[]> rows, int idIndex, ProblemList problems) {
		Set<String> seen = new HashSet<>();
		Set<String> repeated = new LinkedHashSet<>();
		Set<String> unknown = new LinkedHashSet<>();
		List<Integer> rowsWithoutId = new ArrayList<>();
		for (int row = 0; row < rows.size(); row++) {
			String id = rows.get(row)[idIndex];
			if (id.isEmpty()) {
				rowsWithoutId.add(row + 1);
			}
			else if (!seen.add(id)) {
				repeated.add(id);
			}
			else if (!this.rowById.containsKey(id)) {
				unknown.add(id);
			}
		}
		addRowsWithoutId(rowsWithoutId, problems);
		if (!repeated.isEmpty()) {
			problems.add((repeated.size() == 1)
					? "The id " + Excerpt.quoted(repeated.iterator().next()) + " appears on more than one row."
					: repeated.size() + " ids appear on more than one row, e.g. "
							+ Excerpt.quotedList(repeated, EXAMPLES) + ".");
		}
		if (!unknown.isEmpty()) {
			problems.add((unknown.size() == 1)
					? "The id " + Excerpt.quoted(unknown.iterator().next()) + " is not in the solution."
					: unknown.size() + " ids are not in the solution, e.g. " + Excerpt.quotedList(unknown, EXAMPLES)
							+ ".");
		}
		List<String> absent = this.ids.stream().filter((id) -> !seen.contains(id)).toList();
		if (!absent.isEmpty()) {
			problems.add((absent.size() == 1)
					? "The id " + Excerpt.quoted(absent.get(0)) + " of the solution is missing from the predictions."
					: absent.size() + " ids of the solution are missing from the predictions; the first are "
							+ Excerpt.quotedList(absent, EXAMPLES) + ".");
		}
		if (rows.size() != rowCount()) {
			problems.add("Expected " + rowCount() + " rows, one per id of the solution, but got " + rows.size() + ".");
		}
	}

	private void checkValues(CsvTable predictions, int idIndex, Metric metric, ProblemList problems) {
		// Solution order, not file order, so each row's problems list targets alike.
		List<String> present = this.targetColumns.stream().filter(predictions.header()::contains).toList();
		int[] indexes = present.stream().mapToInt(predictions.header()::indexOf).toArray();
		int invalid = 0;
		for (int row = 0; row < predictions.rows().size() && !problems.isFull(); row++) {
			String[] values = predictions.rows().get(row);
			for (int column = 0; column < indexes.length; column++) {
				Optional<String> problem = metric.checkPredictedValue(values[indexes[column]],
						this.targetColumns.size());
				if (problem.isPresent() && ++invalid <= EXAMPLES) {
					problems.add("Row " + (row + 1) + " (id " + Excerpt.quoted(values[idIndex]) + "), column "
							+ Excerpt.quoted(present.get(column)) + ": " + problem.get() + ".");
				}
			}
		}
		if (invalid > EXAMPLES) {
			problems.add(invalid + " values in total are invalid; only the first " + EXAMPLES + " are listed.");
		}
	}

	private static void addRowsWithoutId(List<Integer> rowsWithoutId, ProblemList problems) {
		if (rowsWithoutId.size() == 1) {
			problems.add("Row " + rowsWithoutId.get(0) + " has an empty id.");
		}
		else if (!rowsWithoutId.isEmpty()) {
			problems.add(rowsWithoutId.size() + " rows have an empty id, e.g. rows "
					+ rowsWithoutId.stream().limit(EXAMPLES).map(String::valueOf).collect(Collectors.joining(", "))
					+ ".");
		}
	}

	/**
	 * Points at a column whose name differs only in case, the likeliest cause of a
	 * missing column.
	 */
	private static String caseHint(List<String> header, String name) {
		return header.stream()
			.filter((column) -> column.equalsIgnoreCase(name) && !column.equals(name))
			.findFirst()
			.map((column) -> " (found " + Excerpt.quoted(column) + ": column names are case-sensitive)")
			.orElse("");
	}

	/**
	 * A header read as one column holding another separator means the file is not
	 * comma-separated, which is worth saying outright.
	 */
	private static String separatorHint(List<String> header) {
		if (header.size() == 1 && (header.get(0).contains(";") || header.get(0).contains("\t"))) {
			return "; the header reads as a single column, so the file seems not to be comma-separated";
		}
		return "";
	}

	@Override
	public String toString() {
		return "Solution[idColumn=" + this.idColumn + ", targetColumns=" + this.targetColumns + ", rows=" + rowCount()
				+ ", public=" + this.publicRowCount + "]";
	}

}
