package dev.podium.scoring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NumericTextTests {

	@ParameterizedTest
	@ValueSource(strings = { "0", "-0", "+1", "1.", ".5", "1.5e3", "1E-3", " 2.50 ", "007", "-1.5e+10" })
	void readsDecimalNumbers(String text) {
		assertThat(NumericText.parse(text)).hasValue(Double.parseDouble(text.strip()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", ".", "-", "+.", "e5", "1e", "1e+", "1.2.3", "NaN", "nan", "Infinity", "inf",
			"0x1p3", "1d", "1f", "1,5", "1 000", "1e999", "-1e400", "١" })
	void rejectsAnythingElse(String text) {
		assertThat(NumericText.parse(text)).isEmpty();
	}

}
