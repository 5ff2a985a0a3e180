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
 * Fixtures are scikit-learn's docstring examples; expected numbers come from scikit-learn
 * 1.2.1 (Debian bookworm's python3-sklearn) with default arguments, and the one-column
 * ones are also worked out in comments.
 */
class RegressionMetricsTests {

	// Errors 0.5, -0.5, 0, -1.
	private static final List<String[]> TRUTH = column("3", "-0.5", "2", "7");

	private static final List<String[]> PREDICTED = column("2.5", "0.0", "2", "8");

	private static final List<String[]> TRUTH_2D = table(row("0.5", "1"), row("-1", "1"), row("7", "-6"));

	private static final List<String[]> PREDICTED_2D = table(row("0", "2"), row("-1", "2"), row("8", "-5"));

	@Test
	void meanSquaredError() {
		// (0.25 + 0.25 + 0 + 1) / 4 = 0.375
		assertThat(metric("mean_squared_error").compute(TRUTH, PREDICTED)).isCloseTo(0.375, within(1e-9));
		assertThat(metric("mean_squared_error").compute(TRUTH_2D, PREDICTED_2D)).isCloseTo(0.7083333333333334,
				within(1e-9));
	}

	@Test
	void rootMeanSquaredErrorAveragesPerColumnRoots() {
		// sqrt(0.375) = 0.6123724356957945. Two columns: (sqrt(0.41666) + sqrt(1)) / 2 =
		// 0.8227486121839513,
		// sklearn mean_squared_error(squared=False), which root_mean_squared_error
		// replaced in 1.4.
		assertThat(metric("root_mean_squared_error").compute(TRUTH, PREDICTED)).isCloseTo(0.6123724356957945,
				within(1e-9));
		assertThat(metric("root_mean_squared_error").compute(TRUTH_2D, PREDICTED_2D)).isCloseTo(0.8227486121839513,
				within(1e-9));
	}

	@Test
	void meanAbsoluteError() {
		// (0.5 + 0.5 + 0 + 1) / 4 = 0.5
		assertThat(metric("mean_absolute_error").compute(TRUTH, PREDICTED)).isCloseTo(0.5, within(1e-9));
		assertThat(metric("mean_absolute_error").compute(TRUTH_2D, PREDICTED_2D)).isCloseTo(0.75, within(1e-9));
	}

	@Test
	void medianAbsoluteErrorAveragesTheMiddlePairOfAnEvenCount() {
		// Sorted errors 0, 0.5, 0.5, 1: median 0.5.
		assertThat(metric("median_absolute_error").compute(TRUTH, PREDICTED)).isCloseTo(0.5, within(1e-9));
		assertThat(metric("median_absolute_error").compute(TRUTH_2D, PREDICTED_2D)).isCloseTo(0.75, within(1e-9));
		// Errors 1, 0, 2, 4 sorted 0, 1, 2, 4: (1 + 2) / 2.
		assertThat(metric("median_absolute_error").compute(column("1", "2", "3", "4"), column("2", "2", "5", "8")))
			.isCloseTo(1.5, within(1e-9));
	}

	@Test
	void meanAbsolutePercentageErrorIsAFraction() {
		// (0.5/3 + 0.5/0.5 + 0/2 + 1/7) / 4 = 0.3273809523809524
		assertThat(metric("mean_absolute_percentage_error").compute(TRUTH, PREDICTED)).isCloseTo(0.3273809523809524,
				within(1e-9));
		assertThat(metric("mean_absolute_percentage_error").compute(TRUTH_2D, PREDICTED_2D))
			.isCloseTo(0.5515873015873016, within(1e-9));
	}

	@Test
	void meanAbsolutePercentageErrorDividesAZeroTruthByEpsilon() {
		// (1 / 2.220446049250313e-16 + 0) / 2 = 2251799813685248.0, as sklearn.
		assertThat(metric("mean_absolute_percentage_error").compute(column("0", "1"), column("1", "1")))
			.isEqualTo(2251799813685248.0);
	}

	@Test
	void r2Score() {
		// Residual 1.5; mean 2.875, total 29.1875; 1 - 1.5 / 29.1875 = 0.9486081370449679
		assertThat(metric("r2_score").compute(TRUTH, PREDICTED)).isCloseTo(0.9486081370449679, within(1e-9));
		assertThat(metric("r2_score").compute(TRUTH_2D, PREDICTED_2D)).isCloseTo(0.9368005266622779, within(1e-9));
	}

	@Test
	void r2OfAConstantTruthIsOneWhenExactAndZeroOtherwise() {
		assertThat(metric("r2_score").compute(column("2", "2", "2"), column("2", "2", "2"))).isEqualTo(1.0);
		assertThat(metric("r2_score").compute(column("2", "2", "2"), column("2", "2", "3"))).isEqualTo(0.0);
		// A constant truth 0.1 whose float mean is not exactly 0.1 still counts as
		// constant.
		assertThat(metric("r2_score").compute(column("0.1", "0.1", "0.1"), column("0.1", "0.1", "0.2"))).isEqualTo(0.0);
		// Column 1 is constant and exact: 1.0. Column 2: residual 0.25 + 0 + 1 = 1.25,
		// total 2,
		// 1 - 1.25 / 2 = 0.375. Uniform average (1.0 + 0.375) / 2 = 0.6875, as sklearn.
		assertThat(metric("r2_score").compute(table(row("2", "1"), row("2", "2"), row("2", "3")),
				table(row("2", "1.5"), row("2", "2"), row("2", "2"))))
			.isCloseTo(0.6875, within(1e-9));
	}

	@Test
	void r2SumsAsNumPyDoes() {
		// 300 rows near 1e12 with a spread of 0.1: a plain running sum rounds the mean
		// enough to score 0.7997245368468578; NumPy's pairwise sums, and so sklearn,
		// give 0.7997123073619776.
		String[] truth = new String[300];
		String[] predicted = new String[300];
		for (int i = 0; i < 300; i++) {
			double value = 1e12 + ((i * 37) % 11) * 0.01;
			truth[i] = String.valueOf(value);
			predicted[i] = String.valueOf(value + ((i * 3) % 5 - 2) * 0.01);
		}
		assertThat(metric("r2_score").compute(column(truth), column(predicted))).isCloseTo(0.7997123073619776,
				within(1e-12));
	}

	@Test
	void r2OfAConstantTruthIsZeroUnlessPredictedExactly() {
		// sklearn gives about -5.19e31 here: the mean of three 0.1s rounds, so its sum of
		// squares is tiny, not zero, and force_finite does not apply.
		assertThat(metric("r2_score").compute(column("0.1", "0.1", "0.1"), column("0.2", "0.2", "0.2"))).isZero();
		assertThat(metric("r2_score").compute(column("0.1", "0.1"), column("0.1", "0.1"))).isEqualTo(1.0);
	}

	@Test
	void r2NeedsTwoRows() {
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("r2_score").compute(column("1"), column("2")))
			.withMessageContaining("fewer than two rows");
	}

	@Test
	void aNonNumericSolutionValueIsReported() {
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> metric("mean_squared_error").compute(column("1", "n/a"), column("1", "2")))
			.withMessage("The solution value 'n/a' is not a finite number.");
	}

}
