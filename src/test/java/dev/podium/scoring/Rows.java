package dev.podium.scoring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds fixtures: one-column rows from values, several-column rows from arrays, CSV
 * bytes from lines.
 */
final class Rows {

	private Rows() {
	}

	static List<String[]> column(String... values) {
		return Arrays.stream(values).map((value) -> new String[] { value }).toList();
	}

	static List<String[]> table(String[]... rows) {
		return List.of(rows);
	}

	static String[] row(String... values) {
		return values;
	}

	static byte[] csv(String... lines) {
		return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
	}

	static Metric metric(String name) {
		return Metrics.find(name).orElseThrow();
	}

}
