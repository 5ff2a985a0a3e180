package dev.podium.scoring;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.podium.scoring.SklearnMetric.Values;

/**
 * The metrics competitions can choose, by scikit-learn function name.
 */
public final class Metrics {

	private static final Map<String, Metric> BY_NAME = List
		.<Metric>of(new SklearnMetric("accuracy_score", Values.LABELS, false, LabelMetrics::accuracy),
				new SklearnMetric("balanced_accuracy_score", Values.LABELS, false, LabelMetrics::balancedAccuracy),
				new SklearnMetric("f1_score", Values.LABELS, true, LabelMetrics::f1),
				new SklearnMetric("precision_score", Values.LABELS, true, LabelMetrics::precision),
				new SklearnMetric("recall_score", Values.LABELS, true, LabelMetrics::recall),
				new SklearnMetric("matthews_corrcoef", Values.LABELS, false, LabelMetrics::matthewsCorrelation),
				new SklearnMetric("cohen_kappa_score", Values.LABELS, false, LabelMetrics::cohenKappa),
				new SklearnMetric("roc_auc_score", Values.PROBABILITIES, false, ProbabilityMetrics::rocAuc),
				new SklearnMetric("average_precision_score", Values.PROBABILITIES, false,
						ProbabilityMetrics::averagePrecision),
				new SklearnMetric("log_loss", Values.PROBABILITIES, false, ProbabilityMetrics::logLoss),
				new SklearnMetric("mean_squared_error", Values.NUMBERS, false, RegressionMetrics::meanSquaredError),
				new SklearnMetric("root_mean_squared_error", Values.NUMBERS, false,
						RegressionMetrics::rootMeanSquaredError),
				new SklearnMetric("mean_absolute_error", Values.NUMBERS, false, RegressionMetrics::meanAbsoluteError),
				new SklearnMetric("median_absolute_error", Values.NUMBERS, false,
						RegressionMetrics::medianAbsoluteError),
				new SklearnMetric("mean_absolute_percentage_error", Values.NUMBERS, false,
						RegressionMetrics::meanAbsolutePercentageError),
				new SklearnMetric("r2_score", Values.NUMBERS, false, RegressionMetrics::r2))
		.stream()
		.collect(Collectors.toUnmodifiableMap(Metric::name, Function.identity()));

	private static final SortedSet<String> NAMES = Collections.unmodifiableSortedSet(new TreeSet<>(BY_NAME.keySet()));

	private Metrics() {
	}

	/**
	 * The metric with this scikit-learn function name, e.g. {@code "f1_score"}.
	 */
	public static Optional<Metric> find(String name) {
		return (name != null) ? Optional.ofNullable(BY_NAME.get(name.strip())) : Optional.empty();
	}

	/**
	 * Every supported name, sorted.
	 */
	public static SortedSet<String> names() {
		return NAMES;
	}

}
