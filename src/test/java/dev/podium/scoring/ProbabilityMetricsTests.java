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
 * Expected numbers come from scikit-learn 1.2.1 (Debian bookworm's python3-sklearn) with
 * default arguments, unless a comment works them out.
 */
class ProbabilityMetricsTests {

	// Positives score 0.35, 0.8, 0.4, 0.9; negatives 0.1, 0.4, 0.4, 0.2. Three rows tie
	// at 0.4.
	private static final List<String[]> BINARY = column("0", "0", "1", "1", "0", "1", "1", "0");

	private static final List<String[]> SCORES = column("0.1", "0.4", "0.35", "0.8", "0.4", "0.4", "0.9", "0.2");

	private static final List<String[]> ONE_HOT = table(row("1", "0", "0"), row("0", "1", "0"), row("0", "0", "1"),
			row("1", "0", "0"), row("0", "1", "0"), row("0", "0", "1"));

	private static final List<String[]> CLASS_PROBABILITIES = table(row("0.7", "0.2", "0.1"), row("0.3", "0.4", "0.3"),
			row("0.2", "0.5", "0.3"), row("0.4", "0.4", "0.2"), row("0.1", "0.8", "0.1"), row("0.3", "0.3", "0.4"));

	@Test
	void rocAucCountsTiesAsHalf() {
		// Pairs (positive, negative) ranked right: 0.35 beats 0.1 and 0.2 (2); 0.8 and
		// 0.9 beat
		// all 4 (8); 0.4 beats 0.1 and 0.2 and ties twice (2 + 2 * 0.5). 13 / 16 =
		// 0.8125.
		assertThat(metric("roc_auc_score").compute(BINARY, SCORES)).isCloseTo(0.8125, within(1e-9));
	}

	@Test
	void rocAucTakesTheGreaterLabelAsPositive() {
		List<String[]> numeric = column("1", "1", "2", "2", "1", "2", "2", "1");
		List<String[]> text = column("neg", "neg", "pos", "pos", "neg", "pos", "pos", "neg");
		// sklearn roc_auc_score([1,1,2,2,1,2,2,1], scores): 0.8125.
		assertThat(metric("roc_auc_score").compute(numeric, SCORES)).isCloseTo(0.8125, within(1e-9));
		assertThat(metric("roc_auc_score").compute(text, SCORES)).isCloseTo(0.8125, within(1e-9));
	}

	@Test
	void rocAucOfASingleClassIsUndefined() {
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("roc_auc_score").compute(column("1", "1.0"), column("0.2", "0.6")))
			.withMessageContaining("single class")
			.withMessageContaining("'1'");
	}

	@Test
	void rocAucWithOneColumnRejectsMoreThanTwoClasses() {
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("roc_auc_score").compute(column("a", "b", "c"), column("0.2", "0.6", "0.1")))
			.withMessageContaining("needs two classes")
			.withMessageContaining("holds 3 ('a', 'b', 'c')");
	}

	@Test
	void rocAucOfSeveralColumnsIsTheMacroAverage() {
		// sklearn roc_auc_score(one_hot, probabilities): 0.9166666666666666.
		assertThat(metric("roc_auc_score").compute(ONE_HOT, CLASS_PROBABILITIES)).isCloseTo(0.9166666666666666,
				within(1e-9));
	}

	@Test
	void rocAucNamesTheColumnWithASingleClass() {
		List<String[]> truth = table(row("1", "0"), row("0", "0"));
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("roc_auc_score").compute(truth, table(row("0.9", "0.1"), row("0.2", "0.3"))))
			.withMessageContaining("target column 2 of 2");
	}

	@Test
	void rankingMetricsTakeAnyRealScores() {
		// Decision-function values rank as the probabilities they map to: a logistic
		// transform keeps the order, so both metrics score the same as on SCORES' logits.
		List<String[]> margins = SCORES.stream()
			.map((row) -> new String[] {
					String.valueOf(Math.log(Double.parseDouble(row[0]) / (1 - Double.parseDouble(row[0])))) })
			.toList();
		assertThat(metric("roc_auc_score").compute(BINARY, margins)).isCloseTo(0.8125, within(1e-9));
		assertThat(metric("average_precision_score").compute(BINARY, margins)).isCloseTo(0.8166666666666667,
				within(1e-9));
		// sklearn roc_auc_score([0, 1, 1], [-7, 250, 3]) == 1.0
		assertThat(metric("roc_auc_score").compute(column("0", "1", "1"), column("-7", "250", "3"))).isEqualTo(1.0);
	}

	@Test
	void averagePrecisionScoresThePositiveLabelItIsGiven() {
		// sklearn average_precision_score(['a','b','b'], [0.1,0.8,0.3], pos_label='b'):
		// 1.0;
		// the default pos_label=1 is not a label here, which sklearn refuses.
		assertThat(metric("average_precision_score(pos_label='b')").compute(column("a", "b", "b"),
				column("0.1", "0.8", "0.3")))
			.isEqualTo(1.0);
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(
					() -> metric("average_precision_score").compute(column("a", "b", "b"), column("0.1", "0.8", "0.3")))
			.withMessageContaining("average_precision_score(pos_label='b')");
	}

	@Test
	void averagePrecisionStepsOverDistinctThresholds() {
		// Thresholds 0.9, 0.8: P=1, R=1/4, 2/4; 0.4: 3 rows, 1 positive, P=3/5 R=3/4;
		// 0.35: P=4/6
		// R=1; AP = 1/4 + 1/4 + 1/4 * 3/5 + 1/4 * 2/3 = 0.8166666666666667.
		assertThat(metric("average_precision_score").compute(BINARY, SCORES)).isCloseTo(0.8166666666666667,
				within(1e-9));
		assertThat(metric("average_precision_score").compute(ONE_HOT, CLASS_PROBABILITIES)).isCloseTo(0.861111111111111,
				within(1e-9));
	}

	@Test
	void averagePrecisionFollowsScikitLearnWithoutNegativesOrPositives() {
		// sklearn: average_precision_score([1,1,1], ...) == 1.0 and [0,0,0] gives -0.0.
		assertThat(metric("average_precision_score").compute(column("1", "1", "1"), column("0.1", "0.5", "0.2")))
			.isEqualTo(1.0);
		assertThat(metric("average_precision_score").compute(column("0", "0", "0"), column("0.1", "0.5", "0.2")))
			.isZero();
	}

	@Test
	void logLossOfOneColumnIsBinaryCrossEntropy() {
		// -(ln 0.9 + ln 0.9 + ln 0.8 + ln 0.65) / 4 = 0.21616187468057912, sklearn's
		// docstring example.
		assertThat(metric("log_loss").compute(column("0", "1", "1", "0"), column("0.1", "0.9", "0.8", "0.35")))
			.isCloseTo(0.21616187468057912, within(1e-9));
		assertThat(metric("log_loss").compute(column("no", "yes", "yes", "no"), column("0.1", "0.9", "0.8", "0.35")))
			.isCloseTo(0.21616187468057912, within(1e-9));
	}

	@Test
	void logLossClipsWithDoubleMachineEpsilon() {
		// Row 1 predicts 0 for a positive: clipped to eps = 2.220446049250313e-16, -ln
		// eps = 36.04365338911715;
		// the other rows are right and cost ~eps. 36.04365338911715 / 3 =
		// 12.014551129705717 (sklearn 1.2.1,
		// eps='auto'). With the older eps=1e-15 it would be 11.51.
		assertThat(metric("log_loss").compute(column("1", "0", "1"), column("0", "0", "1")))
			.isCloseTo(12.014551129705717, within(1e-9));
	}

	@Test
	void logLossOfSeveralColumnsRenormalisesEachRow() {
		// sklearn log_loss(one_hot, probabilities): 0.7554439158668905.
		assertThat(metric("log_loss").compute(ONE_HOT, CLASS_PROBABILITIES)).isCloseTo(0.7554439158668905,
				within(1e-9));
		// Row 1 sums to 1.2 and becomes 0.7/1.2; row 4 gives 0 to its true class, clipped
		// to eps.
		// sklearn 1.2.1 (clip, then renormalise): 6.64039128487305.
		List<String[]> skewed = table(row("0.7", "0.4", "0.1"), row("0.3", "0.4", "0.3"), row("0.2", "0.5", "0.3"),
				row("0.0", "0.5", "0.5"), row("0.1", "0.8", "0.1"), row("0.3", "0.3", "0.4"));
		assertThat(metric("log_loss").compute(ONE_HOT, skewed)).isCloseTo(6.64039128487305, within(1e-9));
	}

	@Test
	void logLossOfASingleClassIsUndefined() {
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("log_loss").compute(column("1", "1"), column("0.2", "0.6")))
			.withMessageContaining("single class");
	}

	@Test
	void probabilityMetricsRejectNonIndicatorTruthColumns() {
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("log_loss").compute(table(row("2", "0"), row("0", "1")),
					table(row("0.5", "0.5"), row("0.5", "0.5"))))
			.withMessageContaining("solution value '2'");
	}

}
