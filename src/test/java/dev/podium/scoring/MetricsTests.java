package dev.podium.scoring;

import org.junit.jupiter.api.Test;

import static dev.podium.scoring.Rows.metric;
import static org.assertj.core.api.Assertions.assertThat;

class MetricsTests {

	@Test
	void namesEverySupportedMetricInOrder() {
		assertThat(Metrics.names()).containsExactly("accuracy_score", "average_precision_score",
				"balanced_accuracy_score", "cohen_kappa_score", "f1_score", "log_loss", "matthews_corrcoef",
				"mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error", "median_absolute_error",
				"precision_score", "r2_score", "recall_score", "roc_auc_score", "root_mean_squared_error");
		Metrics.names()
			.forEach((name) -> assertThat(Metrics.find(name)).get().extracting(Metric::name).isEqualTo(name));
	}

	@Test
	void findsNothingForAnUnknownName() {
		assertThat(Metrics.find("accuracy")).isEmpty();
		assertThat(Metrics.find(null)).isEmpty();
	}

	@Test
	void saysWhichMetricsNeedNumbersOrProbabilities() {
		assertThat(metric("accuracy_score").needsNumbers()).isFalse();
		assertThat(metric("f1_score").needsNumbers()).isFalse();
		assertThat(metric("r2_score").needsNumbers()).isTrue();
		assertThat(metric("r2_score").needsProbabilities()).isFalse();
		assertThat(metric("log_loss").needsProbabilities()).isTrue();
		// Ranking metrics take any real score, as scikit-learn: margins, decision values.
		assertThat(metric("roc_auc_score").needsNumbers()).isTrue();
		assertThat(metric("roc_auc_score").needsProbabilities()).isFalse();
		assertThat(metric("average_precision_score").needsProbabilities()).isFalse();
		assertThat(metric("roc_auc_score").checkPredictedValue("-3.5", 1)).isEmpty();
		assertThat(metric("average_precision_score").checkPredictedValue("12", 1)).isEmpty();
		assertThat(metric("roc_auc_score").checkPredictedValue("nan", 1)).contains("'nan' is not a finite number");
	}

	@Test
	void readsKeywordArgumentsAsAPythonCall() {
		assertThat(Metrics.find(" f1_score( average = \"weighted\" ) ")).get()
			.extracting(Metric::name)
			.isEqualTo("f1_score(average='weighted')");
		assertThat(Metrics.find("precision_score(pos_label='spam', average='binary')")).get()
			.extracting(Metric::name)
			.isEqualTo("precision_score(average='binary', pos_label='spam')");
		assertThat(Metrics.find("recall_score(pos_label=0)")).get()
			.extracting(Metric::name)
			.isEqualTo("recall_score(pos_label=0)");
		assertThat(Metrics.find("f1_score()")).get().extracting(Metric::name).isEqualTo("f1_score");
		assertThat(Metrics.find("roc_auc_score(average='weighted')")).isPresent();
		assertThat(Metrics.find("average_precision_score(pos_label='yes')")).isPresent();
	}

	@Test
	void refusesArgumentsTheFunctionDoesNotTake() {
		assertThat(Metrics.find("f1_score(average='mean')")).isEmpty();
		assertThat(Metrics.find("f1_score(average=None)")).isEmpty();
		assertThat(Metrics.find("f1_score(beta=2)")).isEmpty();
		assertThat(Metrics.find("f1_score(average='macro', average='micro')")).isEmpty();
		assertThat(Metrics.find("f1_score(average='macro'")).isEmpty();
		assertThat(Metrics.find("roc_auc_score(average='binary')")).isEmpty();
		assertThat(Metrics.find("roc_auc_score(pos_label=1)")).isEmpty();
		assertThat(Metrics.find("accuracy_score(average='macro')")).isEmpty();
		assertThat(Metrics.find("log_loss(pos_label=1)")).isEmpty();
	}

	@Test
	void saysWhyASpecNamesNoMetric() {
		assertThat(Metrics.problem("f1_score(average='macro')")).isEmpty();
		assertThat(Metrics.problem("f1_score(average='mean')"))
			.contains("average='mean' is not one of f1_score's averages: binary, macro, micro, samples, weighted");
		assertThat(Metrics.problem("accuracy_score(average='macro')"))
			.contains("accuracy_score takes no average argument");
		assertThat(Metrics.problem("roc_auc_score(pos_label=1)")).contains("roc_auc_score takes no pos_label argument");
		assertThat(Metrics.problem("f1_score(beta=2)")).get().asString().startsWith("cannot read 'f1_score(beta=2)'");
		assertThat(Metrics.problem("accuracy")).get().asString().startsWith("unknown metric 'accuracy'; known: ");
		assertThat(Metrics.problem(null)).isPresent();
	}

	@Test
	void ranksErrorsAndLossesLowerIsBetter() {
		assertThat(metric("accuracy_score").greaterIsBetter()).isTrue();
		assertThat(metric("r2_score").greaterIsBetter()).isTrue();
		assertThat(metric("matthews_corrcoef").greaterIsBetter()).isTrue();
		assertThat(metric("log_loss").greaterIsBetter()).isFalse();
		assertThat(metric("root_mean_squared_error").greaterIsBetter()).isFalse();
		assertThat(metric("f1_score(average='macro')").greaterIsBetter()).isTrue();
	}

	@Test
	void checksOnePredictedValue() {
		assertThat(metric("mean_squared_error").checkPredictedValue("1e3", 1)).isEmpty();
		assertThat(metric("mean_squared_error").checkPredictedValue("abc", 1)).contains("'abc' is not a finite number");
		assertThat(metric("mean_squared_error").checkPredictedValue("NaN", 1)).contains("'NaN' is not a finite number");
		assertThat(metric("mean_squared_error").checkPredictedValue("1e999", 1))
			.contains("'1e999' is not a finite number");
		assertThat(metric("log_loss").checkPredictedValue("1.5", 1)).contains("'1.5' is outside [0, 1]");
		assertThat(metric("log_loss").checkPredictedValue("-0.01", 1)).contains("'-0.01' is outside [0, 1]");
		assertThat(metric("log_loss").checkPredictedValue("1", 1)).isEmpty();
		assertThat(metric("accuracy_score").checkPredictedValue("", 1)).contains("empty value");
		assertThat(metric("f1_score").checkPredictedValue("cat", 1)).isEmpty();
		assertThat(metric("f1_score").checkPredictedValue("cat", 3)).contains("'cat' is not 0 or 1");
		assertThat(metric("f1_score").checkPredictedValue("1.0", 3)).isEmpty();
	}

}
