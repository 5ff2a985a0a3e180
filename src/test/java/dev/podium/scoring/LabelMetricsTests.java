package dev.podium.scoring;

import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.podium.scoring.Rows.column;
import static dev.podium.scoring.Rows.metric;
import static dev.podium.scoring.Rows.row;
import static dev.podium.scoring.Rows.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Expected numbers come from scikit-learn 1.2.1 (Debian bookworm's python3-sklearn)
 * called with the spec's arguments, unless a comment works them out.
 */
class LabelMetricsTests {

	// Classes bird, cat, dog. Confusion matrix (rows truth, columns predicted, order bird
	// cat dog): bird [1 0 1], cat [1 2 1], dog [0 1 1].
	private static final List<String[]> ANIMALS = column("cat", "dog", "cat", "bird", "dog", "cat", "bird", "cat");

	private static final List<String[]> GUESSES = column("cat", "cat", "cat", "dog", "dog", "bird", "bird", "dog");

	@Test
	void accuracyCountsMatchingLabels() {
		// 4 of 8 rows match (rows 1, 3, 5, 7).
		assertThat(metric("accuracy_score").compute(ANIMALS, GUESSES)).isCloseTo(0.5, within(1e-9));
	}

	@Test
	void balancedAccuracyAveragesRecallOverTrueClasses() {
		// Recalls: bird 1/2, cat 2/4, dog 1/2; mean 0.5. sklearn: 0.5.
		assertThat(metric("balanced_accuracy_score").compute(ANIMALS, GUESSES)).isCloseTo(0.5, within(1e-9));
	}

	@Test
	void precisionRecallAndF1AverageAsAsked() {
		// Precision: bird 1/2, cat 2/3, dog 1/3, mean 1/2. Recall: 1/2, 1/2, 1/2.
		// F1 = 2tp/(2tp+fp+fn): bird 2/4, cat 4/7, dog 2/5, mean 0.4904761904761905.
		assertThat(metric("precision_score(average='macro')").compute(ANIMALS, GUESSES)).isCloseTo(0.49999999999999994,
				within(1e-9));
		assertThat(metric("recall_score(average='macro')").compute(ANIMALS, GUESSES)).isCloseTo(0.5, within(1e-9));
		assertThat(metric("f1_score(average='macro')").compute(ANIMALS, GUESSES)).isCloseTo(0.4904761904761905,
				within(1e-9));
		// Micro: 4 of 8 right. Weighted by support (bird 2, cat 4, dog 2):
		// (2/4*2 + 4/7*4 + 2/5*2) / 8 = 0.5107142857142857.
		assertThat(metric("f1_score(average='micro')").compute(ANIMALS, GUESSES)).isCloseTo(0.5, within(1e-9));
		assertThat(metric("f1_score(average='weighted')").compute(ANIMALS, GUESSES)).isCloseTo(0.5107142857142857,
				within(1e-9));
	}

	@Test
	void precisionRecallAndF1AreBinaryByDefault() {
		// sklearn f1_score([0,1,1,0,1], [0,1,0,0,1]): label 1 has tp 2, fp 0, fn 1, F1
		// 0.8;
		// with pos_label=0: tp 2, fp 1, fn 0, F1 0.8 too, precision 2/3.
		List<String[]> truth = column("0", "1", "1", "0", "1");
		List<String[]> predicted = column("0", "1", "0", "0", "1");
		assertThat(metric("f1_score").compute(truth, predicted)).isCloseTo(0.8, within(1e-9));
		assertThat(metric("precision_score").compute(truth, predicted)).isEqualTo(1.0);
		assertThat(metric("precision_score(pos_label=0)").compute(truth, predicted)).isCloseTo(0.6666666666666666,
				within(1e-9));
		assertThatExceptionOfType(ScoringException.class).isThrownBy(() -> metric("f1_score").compute(ANIMALS, GUESSES))
			.withMessageContaining("binary by default")
			.withMessageContaining("f1_score(average='macro')");
	}

	@Test
	void binaryAveragingNeedsThePositiveLabelAmongTwo() {
		// sklearn raises "pos_label=1 is not a valid label" for labels a, b.
		List<String[]> truth = column("a", "b", "b");
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("recall_score").compute(truth, column("a", "b", "a")))
			.withMessageContaining("positive label '1'")
			.withMessageContaining("recall_score(pos_label='b')");
		assertThat(metric("recall_score(pos_label='b')").compute(truth, column("a", "b", "a"))).isEqualTo(0.5);
	}

	@Test
	void matthewsCorrelationUsesTheMulticlassFormula() {
		assertThat(metric("matthews_corrcoef").compute(ANIMALS, GUESSES)).isCloseTo(0.2439750182371333, within(1e-9));
		// Binary: truth 0,1,1,0,1 predicted 0,1,0,0,1: tp 2 tn 2 fp 0 fn 1,
		// (2*2 - 0*1) / sqrt(2*3*2*3) = 4/6. sklearn: 0.6666666666666666.
		assertThat(
				metric("matthews_corrcoef").compute(column("0", "1", "1", "0", "1"), column("0", "1", "0", "0", "1")))
			.isCloseTo(0.6666666666666666, within(1e-9));
	}

	@Test
	void matthewsCorrelationIsZeroForASingleClass() {
		// sklearn returns 0.0 when the denominator is zero.
		assertThat(metric("matthews_corrcoef").compute(column("1", "1", "1"), column("1", "1", "1"))).isZero();
	}

	@Test
	void cohenKappaCorrectsAgreementForChance() {
		assertThat(metric("cohen_kappa_score").compute(ANIMALS, GUESSES)).isCloseTo(0.23809523809523814, within(1e-9));
		// Observed agreement 4/5; chance (2/5*3/5 + 3/5*2/5) = 12/25; (4/5 - 12/25)/(1 -
		// 12/25) = 8/13.
		assertThat(
				metric("cohen_kappa_score").compute(column("0", "1", "1", "0", "1"), column("0", "1", "0", "0", "1")))
			.isCloseTo(0.6153846153846154, within(1e-9));
	}

	@Test
	void cohenKappaOfOneSharedClassIsUndefined() {
		// sklearn returns NaN here, which a leaderboard cannot rank.
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("cohen_kappa_score").compute(column("1", "1"), column("1", "1")))
			.withMessageContaining("single class");
	}

	@Test
	void numericLabelsCompareAsNumbers() {
		// "1" == "1.0" and "2" == "2.00": rows 1, 2 and 4 match. sklearn on [1,0,1,2] vs
		// [1.0,0,2,2.0]: 0.75
		// and f1 macro 0.7777777777777777.
		List<String[]> truth = column("1", "0", "1", "2");
		List<String[]> predicted = column("1.0", " 0 ", "2", "2.00");
		assertThat(metric("accuracy_score").compute(truth, predicted)).isCloseTo(0.75, within(1e-9));
		assertThat(metric("f1_score(average='macro')").compute(truth, predicted)).isCloseTo(0.7777777777777777,
				within(1e-9));
	}

	@Test
	void labelsInAColumnWithTextCompareAsText() {
		// pandas reads ["1", "x"] and ["1.0", "x"] as text columns: "1" != "1.0".
		assertThat(metric("accuracy_score").compute(column("1", "x"), column("1.0", "x"))).isEqualTo(0.5);
	}

	@Test
	void refusesMissingAndContinuousLabels() {
		// sklearn: "Input y_pred contains NaN", "continuous is not supported".
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("accuracy_score").compute(column("0", "1"), column("nan", "1")))
			.withMessageContaining("'nan' reads as a missing or infinite number");
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("cohen_kappa_score").compute(column("0.5", "1.5"), column("0.5", "0.5")))
			.withMessageContaining("continuous");
		assertThat(metric("accuracy_score").checkPredictedValue("NaN", 1))
			.contains("'NaN' reads as a missing or infinite number, not a label");
	}

	@Test
	void refusesLabelsOfDifferentKinds() {
		// sklearn: "Mix of label input types (string and number)".
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("matthews_corrcoef").compute(column("0", "1", "2"), column("0", "x", "2")))
			.withMessageContaining(
					"the solution's labels are numbers (e.g. '0') and the predicted labels are text (e.g. 'x')");
	}

	@Test
	void textLabelsCompareTrimmedAndCaseSensitive() {
		assertThat(metric("accuracy_score").compute(column("Cat", "dog"), column(" Cat ", "Dog"))).isEqualTo(0.5);
	}

	@Test
	void aClassOnlyPredictedCountsAsZeroInMacroAverages() {
		// Labels a, b, c (c only predicted). Precision a 1/1, b 2/2, c 0/1 -> 2/3. Recall
		// a 1/2,
		// b 1, c 0/0 -> 0 (zero_division) -> 1/2. F1 a 2/3, b 1, c 0 -> 5/9.
		// Balanced accuracy ignores c: (1/2 + 1)/2 = 0.75.
		List<String[]> truth = column("a", "a", "b", "b");
		List<String[]> predicted = column("a", "c", "b", "b");
		assertThat(metric("precision_score(average='macro')").compute(truth, predicted)).isCloseTo(0.6666666666666666,
				within(1e-9));
		assertThat(metric("recall_score(average='macro')").compute(truth, predicted)).isCloseTo(0.5, within(1e-9));
		assertThat(metric("f1_score(average='macro')").compute(truth, predicted)).isCloseTo(0.5555555555555555,
				within(1e-9));
		assertThat(metric("balanced_accuracy_score").compute(truth, predicted)).isCloseTo(0.75, within(1e-9));
	}

	@Test
	void severalColumnsAreMultilabelIndicators() {
		// sklearn with y_true/y_pred as 4x3 0/1 arrays.
		List<String[]> truth = table(row("1", "0", "1"), row("0", "1", "0"), row("1", "1", "0"), row("0", "0", "1"));
		List<String[]> predicted = table(row("1", "0", "0"), row("0", "1", "1"), row("1", "0", "0"),
				row("0", "0", "1"));
		// Subset accuracy: only the last row matches whole.
		assertThat(metric("accuracy_score").compute(truth, predicted)).isCloseTo(0.25, within(1e-9));
		assertThat(metric("f1_score(average='macro')").compute(truth, predicted)).isCloseTo(0.7222222222222222,
				within(1e-9));
		assertThat(metric("precision_score(average='macro')").compute(truth, predicted)).isCloseTo(0.8333333333333334,
				within(1e-9));
		assertThat(metric("recall_score(average='macro')").compute(truth, predicted)).isCloseTo(0.6666666666666666,
				within(1e-9));
		// Samples: rows score F1 2/3, 2/3, 2/3 and 1: mean 0.75.
		assertThat(metric("f1_score(average='samples')").compute(truth, predicted)).isCloseTo(0.75, within(1e-9));
		assertThatExceptionOfType(ScoringException.class).isThrownBy(() -> metric("f1_score").compute(truth, predicted))
			.withMessageContaining("multilabel");
	}

	@Test
	void subsetAccuracyNeedsIndicatorColumns() {
		// sklearn: "multiclass-multioutput is not supported".
		List<String[]> truth = table(row("cat", "small"), row("dog", "big"));
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("accuracy_score").compute(truth, table(row("cat", "small"), row("dog", "small"))))
			.withMessageContaining("0/1 values");
	}

	@Test
	void multilabelMetricsNeedIndicatorValues() {
		List<String[]> truth = table(row("cat", "small"), row("dog", "big"));
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("f1_score(average='micro')").compute(truth, truth))
			.withMessageContaining("0/1 values")
			.withMessageContaining("'cat'");
	}

	@Test
	void singleColumnMetricsRejectSeveralColumns() {
		List<String[]> truth = table(row("1", "0"), row("0", "1"));
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("balanced_accuracy_score").compute(truth, truth))
			.withMessage("balanced_accuracy_score needs exactly one target column, but the solution has 2.");
	}

}
