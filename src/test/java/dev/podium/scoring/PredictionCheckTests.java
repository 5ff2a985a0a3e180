package dev.podium.scoring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.podium.scoring.Rows.csv;
import static dev.podium.scoring.Rows.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PredictionCheckTests {

	private static final Solution LABELS = Solution
		.parse(csv("id,split,label", "a,public,cat", "b,public,dog", "c,private,cat", "d,private,dog"), "id");

	private static final Solution NUMBERS = Solution
		.parse(csv("id,split,y,z", "a,public,1,2", "b,public,3,4", "c,private,5,6"), "id");

	private static final Solution CLASSES = Solution.parse(csv("id,split,cat,dog", "a,public,1,0", "b,private,0,1"),
			"id");

	private static List<String> checkLabels(String... lines) {
		return LABELS.check(csv(lines), metric("accuracy_score"), 20);
	}

	@Test
	void acceptsValidPredictionsInAnyColumnOrder() {
		assertThat(checkLabels("label,id", "dog,d", "cat,a", "cat,b", "cat,c")).isEmpty();
		assertThat(NUMBERS.check(csv("z,id,y", "0,a,1", "1e-3,b,-2", "7,c,3.5"), metric("mean_squared_error"), 20))
			.isEmpty();
	}

	@Test
	void reportsAnEmptyFile() {
		assertThat(LABELS.check(new byte[0], metric("accuracy_score"), 20)).containsExactly("The file is empty.");
		assertThat(LABELS.check(" \n\r\n".getBytes(StandardCharsets.UTF_8), metric("accuracy_score"), 20))
			.containsExactly("The file is empty.");
		assertThat(LABELS.check("\uFEFF".getBytes(StandardCharsets.UTF_8), metric("accuracy_score"), 20))
			.containsExactly("The file is empty.");
	}

	@Test
	void reportsAFileThatIsNotUtf8Text() {
		byte[] zip = { 0x50, 0x4B, 0x03, 0x04, (byte) 0xC3, 0x28, (byte) 0xFF, 0x00 };
		assertThat(LABELS.check(zip, metric("accuracy_score"), 20)).singleElement()
			.asString()
			.startsWith("The file is not UTF-8 text.");
	}

	@Test
	void reportsUnparseableCsv() {
		assertThat(checkLabels("id,label", "a,\"cat", "b,dog"))
			.containsExactly("The file is not valid CSV: the quoted value that starts on line 2 is never closed.");
		assertThat(checkLabels("id,label", "a,\"cat\"s", "b,dog"))
			.containsExactly("The file is not valid CSV: on line 2 a closing quote is followed by other characters; "
					+ "write a quote inside a quoted value as two quotes.");
	}

	@Test
	void reportsRowsOfTheWrongWidth() {
		assertThat(checkLabels("id,label", "a,cat", "b", "c,cat,extra", "d,dog")).containsExactly(
				"Row 2 has 1 value but the header has 2 columns.", "Row 3 has 3 values but the header has 2 columns.");
	}

	@Test
	void reportsRepeatedOrUnnamedHeaderColumns() {
		assertThat(checkLabels("id,label,label,", "a,cat,cat,", "b,dog,dog,", "c,cat,cat,", "d,dog,dog,"))
			.containsExactly("Column 4 of the header has no name.",
					"Column 'label' appears more than once in the header.");
	}

	@Test
	void reportsAMissingIdColumn() {
		assertThat(checkLabels("key,label", "a,cat")).containsExactly("Missing the id column 'id'.",
				"Unexpected column 'key'; the columns must be 'id', 'label', in any order.");
		assertThat(checkLabels("Id,label", "a,cat")).first()
			.isEqualTo("Missing the id column 'id' (found 'Id': column names are case-sensitive).");
		assertThat(checkLabels("id;label", "a;cat")).first()
			.isEqualTo("Missing the id column 'id'; the header reads as a single column, "
					+ "so the file seems not to be comma-separated.");
	}

	@Test
	void namesMissingTargetColumns() {
		assertThat(NUMBERS.check(csv("id", "a", "b", "c"), metric("mean_squared_error"), 20))
			.containsExactly("Missing 2 target columns: 'y', 'z'.");
		assertThat(NUMBERS.check(csv("id,Z,y", "a,1,1", "b,1,1", "c,1,1"), metric("mean_squared_error"), 20))
			.containsExactly("Missing the target column 'z' (found 'Z': column names are case-sensitive).",
					"Unexpected column 'Z'; the columns must be 'id', 'y', 'z', in any order.");
	}

	@Test
	void namesUnexpectedColumnsIncludingSplit() {
		assertThat(checkLabels("id,label,split,score", "a,cat,public,1", "b,dog,public,1", "c,cat,private,1",
				"d,dog,private,1"))
			.containsExactly("Unexpected columns 'split', 'score'; the columns must be 'id', 'label', in any order.");
	}

	@Test
	void namesDuplicateIds() {
		assertThat(checkLabels("id,label", "a,cat", "a,dog", "b,dog", "b,cat", "c,cat", "d,dog")).containsExactly(
				"2 ids appear on more than one row, e.g. 'a', 'b'.",
				"Expected 4 rows, one per id of the solution, but got 6.");
	}

	@Test
	void countsAndNamesIdsNotInTheSolution() {
		assertThat(checkLabels("id,label", "a,cat", "b,dog", "c,cat", "d,dog", "x,cat", "y,dog", "z,cat"))
			.containsExactly("3 ids are not in the solution, e.g. 'x', 'y', 'z'.",
					"Expected 4 rows, one per id of the solution, but got 7.");
		assertThat(checkLabels("id,label", "a,cat", "b,dog", "c,cat", "zz,dog")).containsExactly(
				"The id 'zz' is not in the solution.", "The id 'd' of the solution is missing from the predictions.");
	}

	@Test
	void countsIdsMissingFromThePredictionsInSolutionOrder() {
		assertThat(checkLabels("id,label", "b,cat")).containsExactly(
				"3 ids of the solution are missing from the predictions; the first are 'a', 'c', 'd'.",
				"Expected 4 rows, one per id of the solution, but got 1.");
	}

	@Test
	void namesAFewOfManyIds() {
		List<String> lines = new ArrayList<>(List.of("id,label"));
		for (int i = 0; i < 12; i++) {
			lines.add("x" + i + ",cat");
		}
		assertThat(checkLabels(lines.toArray(String[]::new))).startsWith(
				"12 ids are not in the solution, e.g. 'x0', 'x1', 'x2', 'x3', 'x4' and 7 more.",
				"4 ids of the solution are missing from the predictions; the first are 'a', 'b', 'c', 'd'.");
	}

	@Test
	void reportsEmptyIds() {
		assertThat(checkLabels("id,label", "a,cat", ",dog", "c,cat", "d,dog")).containsExactly("Row 2 has an empty id.",
				"The id 'b' of the solution is missing from the predictions.");
	}

	@Test
	void reportsNonNumericAndNonFiniteValuesByRowAndColumn() {
		assertThat(NUMBERS.check(csv("id,y,z", "a,1,two", "b,nan,4", "c,1e999,"), metric("r2_score"), 20))
			.containsExactly("Row 1 (id 'a'), column 'z': 'two' is not a finite number.",
					"Row 2 (id 'b'), column 'y': 'nan' is not a finite number.",
					"Row 3 (id 'c'), column 'y': '1e999' is not a finite number.",
					"Row 3 (id 'c'), column 'z': '' is not a finite number.");
	}

	@Test
	void summarisesValueProblemsAfterTheFirstFew() {
		List<String> lines = new ArrayList<>(List.of("id,y,z", "a,x,x", "b,x,x", "c,x,x"));
		assertThat(NUMBERS.check(csv(lines.toArray(String[]::new)), metric("mean_absolute_error"), 20)).hasSize(6)
			.last()
			.isEqualTo("6 values in total are invalid; only the first 5 are listed.");
	}

	@Test
	void reportsProbabilitiesOutsideTheUnitInterval() {
		assertThat(CLASSES.check(csv("id,cat,dog", "a,1.2,-0.2", "b,0,1"), metric("log_loss"), 20)).containsExactly(
				"Row 1 (id 'a'), column 'cat': '1.2' is outside [0, 1].",
				"Row 1 (id 'a'), column 'dog': '-0.2' is outside [0, 1].");
		assertThat(CLASSES.check(csv("id,cat,dog", "a,1,0", "b,0,1"), metric("roc_auc_score"), 20)).isEmpty();
		// Ranking metrics take margins and decision-function values, as scikit-learn.
		assertThat(CLASSES.check(csv("id,cat,dog", "a,2.5,-1", "b,-0.3,17"), metric("roc_auc_score"), 20)).isEmpty();
		assertThat(CLASSES.check(csv("id,cat,dog", "a,2.5,-1", "b,-0.3,17"), metric("average_precision_score"), 20))
			.isEmpty();
	}

	@Test
	void acceptsAnyNumberForRegression() {
		assertThat(NUMBERS.check(csv("id,y,z", "a,-12,1.5", "b,1e6,0", "c,+3,.5"), metric("mean_squared_error"), 20))
			.isEmpty();
	}

	@Test
	void reportsEmptyLabels() {
		assertThat(checkLabels("id,label", "a,cat", "b,", "c,cat", "d,dog"))
			.containsExactly("Row 2 (id 'b'), column 'label': empty value.");
	}

	@Test
	void needsIndicatorValuesForMultilabelMetrics() {
		assertThat(CLASSES.check(csv("id,cat,dog", "a,1,0", "b,yes,0.5"), metric("f1_score"), 20)).containsExactly(
				"Row 2 (id 'b'), column 'cat': 'yes' is not 0 or 1.",
				"Row 2 (id 'b'), column 'dog': '0.5' is not 0 or 1.");
	}

	@Test
	void needsIndicatorValuesForSubsetAccuracy() {
		assertThat(CLASSES.check(csv("id,cat,dog", "a,1,0", "b,cat,0"), metric("accuracy_score"), 20))
			.containsExactly("Row 2 (id 'b'), column 'cat': 'cat' is not 0 or 1.");
	}

	@Test
	void reportsMissingLabels() {
		assertThat(checkLabels("id,label", "a,cat", "b,NaN", "c,cat", "d,dog")).containsExactly(
				"Row 2 (id 'b'), column 'label': 'NaN' reads as a missing or infinite number, not a label.");
	}

	@Test
	void stopsAtMaxProblems() {
		assertThat(checkLabels("key,label,extra", "x,cat,1", "y,cat,1")).hasSize(2);
		assertThat(LABELS.check(csv("id,label,extra", "x,cat,1", "y,cat,1"), metric("accuracy_score"), 2))
			.containsExactly("Unexpected column 'extra'; the columns must be 'id', 'label', in any order.",
					"2 ids are not in the solution, e.g. 'x', 'y'.");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LABELS.check(csv("id,label"), metric("accuracy_score"), 0));
	}

	@Test
	void truncatesLongValuesInMessages() {
		String longId = "i".repeat(1000);
		List<String> problems = checkLabels("id,label", longId + ",cat", "b,dog", "c,cat", "d,dog");
		assertThat(problems).first().isEqualTo("The id '" + "i".repeat(40) + "...' is not in the solution.");
		assertThat(String.join("\n", problems)).hasSizeLessThan(400);
	}

	@Test
	void keepsMessagesOnOneLine() {
		assertThat(checkLabels("id,label", "\"x\ny\",cat", "b,dog", "c,cat", "d,dog")).first()
			.isEqualTo("The id 'x\\ny' is not in the solution.");
	}

	@Test
	void readsBomCrlfWhitespaceAndQuotes() {
		byte[] bytes = "\uFEFF \"label\" , id \r\n\"cat\",\"a\"\r\n dog , b\r\n\"cat\",c\r\n\"d,o,g\",d\r\n"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(LABELS.check(bytes, metric("accuracy_score"), 20)).isEmpty();
	}

	@Test
	void checksRowsReturnedByASandbox() {
		assertThat(LABELS.check(List.of("id", "label"), List.of(List.of("a", "cat"), List.of("b")),
				metric("accuracy_score"), 20))
			.containsExactly("Row 2 has 1 value but the header has 2 columns.");
		assertThat(LABELS.check(List.of("id", "label"), List.of(List.of("a", "cat"), List.of("e", "dog")),
				metric("accuracy_score"), 20))
			.contains("The id 'e' is not in the solution.");
	}

}
