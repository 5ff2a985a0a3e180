package dev.podium.scoring;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts of (true label, predicted label) pairs over the sorted union of the labels seen
 * in either, which is the label set scikit-learn's {@code unique_labels(y_true, y_pred)}
 * gives.
 */
final class ConfusionMatrix {

	private final List<Label> labels;

	private final long[][] counts;

	private ConfusionMatrix(List<Label> labels, long[][] counts) {
		this.labels = labels;
		this.counts = counts;
	}

	static ConfusionMatrix of(List<Label> truth, List<Label> predicted) {
		TreeSet<Label> union = new TreeSet<>(truth);
		union.addAll(predicted);
		List<Label> labels = List.copyOf(union);
		Map<Label, Integer> index = new TreeMap<>();
		for (Label label : labels) {
			index.put(label, index.size());
		}
		long[][] counts = new long[labels.size()][labels.size()];
		for (int row = 0; row < truth.size(); row++) {
			counts[index.get(truth.get(row))][index.get(predicted.get(row))]++;
		}
		return new ConfusionMatrix(labels, counts);
	}

	/**
	 * The labels, sorted.
	 */
	List<Label> labels() {
		return this.labels;
	}

	/**
	 * Where the label sits in {@link #labels()}, -1 when absent.
	 */
	int indexOf(Label label) {
		return this.labels.indexOf(label);
	}

	int size() {
		return this.labels.size();
	}

	/**
	 * Rows whose true label is {@code trueClass} and predicted label
	 * {@code predictedClass}.
	 */
	long count(int trueClass, int predictedClass) {
		return this.counts[trueClass][predictedClass];
	}

	long trueCount(int labelIndex) {
		long sum = 0;
		for (long count : this.counts[labelIndex]) {
			sum += count;
		}
		return sum;
	}

	long predictedCount(int labelIndex) {
		long sum = 0;
		for (long[] row : this.counts) {
			sum += row[labelIndex];
		}
		return sum;
	}

	long total() {
		long sum = 0;
		for (int i = 0; i < size(); i++) {
			sum += trueCount(i);
		}
		return sum;
	}

}
