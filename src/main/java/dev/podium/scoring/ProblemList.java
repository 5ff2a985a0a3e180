package dev.podium.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Problems found in a file, up to a maximum: a participant needs the first few problems,
 * not a million identical lines.
 */
final class ProblemList {

	private final int max;

	private final List<String> problems = new ArrayList<>();

	ProblemList(int max) {
		if (max < 1) {
			throw new IllegalArgumentException("maxProblems must be at least 1, got " + max);
		}
		this.max = max;
	}

	void add(String problem) {
		if (!isFull()) {
			this.problems.add(problem);
		}
	}

	void addAll(List<String> problems) {
		problems.forEach(this::add);
	}

	boolean isFull() {
		return this.problems.size() >= this.max;
	}

	boolean isEmpty() {
		return this.problems.isEmpty();
	}

	List<String> toList() {
		return List.copyOf(this.problems);
	}

}
