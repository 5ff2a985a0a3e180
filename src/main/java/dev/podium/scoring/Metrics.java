package dev.podium.scoring;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import dev.podium.scoring.SklearnMetric.Formula;
import dev.podium.scoring.SklearnMetric.Values;

/**
 * The metrics competitions can choose, by scikit-learn function name, optionally with the
 * keyword arguments scikit-learn takes for averaging and the positive class, written as a
 * Python call: {@code f1_score(average='macro')},
 * {@code precision_score(pos_label='spam')}, {@code roc_auc_score(average='weighted')}. A
 * name alone means the function's defaults, so {@code f1_score} is the binary F1 of the
 * label 1, as in scikit-learn.
 */
public final class Metrics {

	private static final Set<String> LABEL_AVERAGES = Set.of("binary", "micro", "macro", "weighted", "samples");

	private static final Set<String> SCORE_AVERAGES = Set.of("micro", "macro", "weighted", "samples");

	private static final Map<String, Definition> BY_NAME = Map.ofEntries(
			Map.entry("accuracy_score", new Definition(Values.LABELS, true, Set.of(), false, LabelMetrics::accuracy)),
			plain("balanced_accuracy_score", Values.LABELS, LabelMetrics::balancedAccuracy),
			Map.entry("f1_score", new Definition(Values.LABELS, true, LABEL_AVERAGES, true, LabelMetrics::f1)),
			Map.entry("precision_score",
					new Definition(Values.LABELS, true, LABEL_AVERAGES, true, LabelMetrics::precision)),
			Map.entry("recall_score", new Definition(Values.LABELS, true, LABEL_AVERAGES, true, LabelMetrics::recall)),
			plain("matthews_corrcoef", Values.LABELS, LabelMetrics::matthewsCorrelation),
			plain("cohen_kappa_score", Values.LABELS, LabelMetrics::cohenKappa),
			Map.entry("roc_auc_score",
					new Definition(Values.SCORES, false, SCORE_AVERAGES, false, ProbabilityMetrics::rocAuc)),
			Map.entry("average_precision_score",
					new Definition(Values.SCORES, false, SCORE_AVERAGES, true, ProbabilityMetrics::averagePrecision)),
			plain("log_loss", Values.PROBABILITIES, ProbabilityMetrics::logLoss),
			plain("mean_squared_error", Values.NUMBERS, RegressionMetrics::meanSquaredError),
			plain("root_mean_squared_error", Values.NUMBERS, RegressionMetrics::rootMeanSquaredError),
			plain("mean_absolute_error", Values.NUMBERS, RegressionMetrics::meanAbsoluteError),
			plain("median_absolute_error", Values.NUMBERS, RegressionMetrics::medianAbsoluteError),
			plain("mean_absolute_percentage_error", Values.NUMBERS, RegressionMetrics::meanAbsolutePercentageError),
			plain("r2_score", Values.NUMBERS, RegressionMetrics::r2));

	private static final SortedSet<String> NAMES = Collections.unmodifiableSortedSet(new TreeSet<>(BY_NAME.keySet()));

	private Metrics() {
	}

	/**
	 * The metric this spec names: a scikit-learn function name, e.g. {@code "f1_score"},
	 * optionally with {@code average} and {@code pos_label} keyword arguments where the
	 * function takes them, e.g. {@code "f1_score(average='macro')"}.
	 * @return the metric, empty for an unknown name, an argument the function does not
	 * take or an average it does not know
	 */
	public static Optional<Metric> find(String spec) {
		return (problem(spec).isEmpty()) ? Optional.of(resolve(MetricSpec.parse(spec).orElseThrow()))
				: Optional.empty();
	}

	/**
	 * Why {@link #find} finds no metric for this spec, worded for an organizer; empty
	 * when it finds one.
	 */
	public static Optional<String> problem(String spec) {
		if (spec == null || spec.isBlank()) {
			return Optional.of("no metric given; known: " + String.join(", ", NAMES));
		}
		Optional<MetricSpec> parsed = MetricSpec.parse(spec);
		if (parsed.isEmpty()) {
			return Optional.of("cannot read '" + spec.strip() + "' as a scikit-learn function name, optionally called "
					+ "with average= and pos_label= as in f1_score(average='macro')");
		}
		String function = parsed.get().function();
		Arguments arguments = parsed.get().arguments();
		Definition definition = BY_NAME.get(function);
		if (definition == null) {
			return Optional.of("unknown metric '" + function + "'; known: " + String.join(", ", NAMES));
		}
		if (arguments.average() != null && !definition.averages().contains(arguments.average())) {
			return Optional.of(definition.averages().isEmpty() ? function + " takes no average argument"
					: "average='" + arguments.average() + "' is not one of " + function + "'s averages: "
							+ String.join(", ", new TreeSet<>(definition.averages())));
		}
		if (arguments.posLabel() != null && !definition.posLabel()) {
			return Optional.of(function + " takes no pos_label argument");
		}
		return Optional.empty();
	}

	private static Metric resolve(MetricSpec spec) {
		Definition definition = BY_NAME.get(spec.function());
		return new SklearnMetric(spec.arguments().spec(spec.function()), spec.function(), definition.values(),
				definition.indicatorColumns(), spec.arguments(), definition.formula());
	}

	/**
	 * Every supported function name, sorted.
	 */
	public static SortedSet<String> names() {
		return NAMES;
	}

	private static Map.Entry<String, Definition> plain(String name, Values values, Formula formula) {
		return Map.entry(name, new Definition(values, false, Set.of(), false, formula));
	}

	/**
	 * @param averages the {@code average} values the function takes, none when it takes
	 * no such argument
	 * @param posLabel whether it takes {@code pos_label}
	 */
	private record Definition(Values values, boolean indicatorColumns, Set<String> averages, boolean posLabel,
			Formula formula) {
	}

}
