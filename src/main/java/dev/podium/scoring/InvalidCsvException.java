package dev.podium.scoring;

import java.util.List;

/**
 * A CSV file that cannot be used, with the problems found in it. The problems are worded
 * for the person who uploaded the file and never echo long cell values.
 */
public class InvalidCsvException extends RuntimeException {

	private final List<String> problems;

	public InvalidCsvException(List<String> problems) {
		super(problems.isEmpty() ? "Invalid CSV" : "Invalid CSV: " + String.join(" ", problems));
		this.problems = List.copyOf(problems);
	}

	public InvalidCsvException(String problem) {
		this(List.of(problem));
	}

	/**
	 * The first problems found, in the order they were found.
	 */
	public List<String> problems() {
		return this.problems;
	}

}
