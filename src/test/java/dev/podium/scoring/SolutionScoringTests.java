package dev.podium.scoring;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.podium.scoring.Rows.csv;
import static dev.podium.scoring.Rows.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class SolutionScoringTests {

	private static final Solution ANIMALS = Solution.parse(csv("id,split,label", "a,public,cat", "b,public,dog",
			"c,private,cat", "d,private,dog", "e,public,cat", "f,private,bird"), "id");

	@Test
	void scoresPublicAndPrivateRowsSeparately() {
		// Public a, b, e all right: 1.0. Private c right, d and f wrong: 1/3.
		Scores scores = ANIMALS.score(csv("id,label", "a,cat", "b,dog", "c,cat", "d,cat", "e,cat", "f,dog"),
				metric("accuracy_score"));
		assertThat(scores.publicScore()).isCloseTo(1.0, within(1e-9));
		assertThat(scores.privateScore()).isCloseTo(1.0 / 3, within(1e-9));
	}

	@Test
	void joinsPredictionsToTheSolutionById() {
		Scores inOrder = ANIMALS.score(csv("id,label", "a,cat", "b,cat", "c,cat", "d,dog", "e,dog", "f,bird"),
				metric("f1_score(average='macro')"));
		Scores shuffled = ANIMALS.score(csv("label,id", "bird,f", "dog,d", "cat,b", "dog,e", "cat,a", "cat,c"),
				metric("f1_score(average='macro')"));
		assertThat(shuffled).isEqualTo(inOrder);
		// Public truth cat, dog, cat vs cat, cat, dog: cat P 1/2 R 1/2, dog P 0 R 0,
		// macro F1 = 0.25.
		assertThat(inOrder.publicScore()).isCloseTo(0.25, within(1e-9));
		// Private truth cat, dog, bird predicted exactly: 1.0.
		assertThat(inOrder.privateScore()).isCloseTo(1.0, within(1e-9));
	}

	@Test
	void givesNullForASplitWithoutRows() {
		Solution allPublic = Solution.parse(csv("id,split,y", "a,public,1", "b,public,3"), "id");
		Scores scores = allPublic.score(csv("id,y", "b,2", "a,1"), metric("mean_absolute_error"));
		assertThat(scores.publicScore()).isCloseTo(0.5, within(1e-9));
		assertThat(scores.privateScore()).isNull();
	}

	@Test
	void scoresSeveralTargetColumnsWhateverTheirOrderInThePredictions() {
		// sklearn's multioutput example: truth [[0.5, 1], [-1, 1], [7, -6]], predicted
		// [[0, 2], [-1, 2],
		// [8, -5]]. MSE per column 0.41666 and 1, uniform average 0.7083333333333334
		// (sklearn 1.2.1).
		Solution solution = Solution
			.parse(csv("id,split,y1,y2", "a,private,0.5,1", "b,private,-1,1", "c,private,7,-6", "d,public,1,1"), "id");
		Scores scores = solution.score(csv("y2,id,y1", "-5,c,8", "2,a,0", "2,b,-1", "1,d,1"),
				metric("mean_squared_error"));
		assertThat(scores.privateScore()).isCloseTo(0.7083333333333334, within(1e-9));
		assertThat(scores.publicScore()).isCloseTo(0.0, within(1e-9));
	}

	@Test
	void scoresOneHotClassProbabilities() {
		// Public: rows a, b of the log loss fixture: -(ln 0.7 + ln 0.4) / 2 =
		// 0.6364828379064438.
		Solution solution = Solution.parse(
				csv("id,split,c0,c1,c2", "a,public,1,0,0", "b,public,0,1,0", "c,private,0,0,1", "d,private,1,0,0"),
				"id");
		Scores scores = solution.score(
				csv("id,c2,c1,c0", "d,0.2,0.4,0.4", "c,0.3,0.5,0.2", "b,0.3,0.4,0.3", "a,0.1,0.2,0.7"),
				metric("log_loss"));
		assertThat(scores.publicScore()).isCloseTo(-(Math.log(0.7) + Math.log(0.4)) / 2, within(1e-9));
		assertThat(scores.privateScore()).isCloseTo(-(Math.log(0.3) + Math.log(0.4)) / 2, within(1e-9));
	}

	@Test
	void scoresAFileWithBomCrlfAndQuotes() {
		byte[] bytes = "\uFEFF\"id\",\" label \"\r\n\"a\",cat\r\nb,\"dog\"\r\n c ,cat\r\nd,dog\r\ne,\"cat\"\r\nf,bird\r\n"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(ANIMALS.score(bytes, metric("accuracy_score"))).isEqualTo(new Scores(1.0, 1.0));
	}

	@Test
	void scoresRowsReturnedByASandbox() {
		List<List<String>> rows = List.of(List.of("f", "bird"), List.of("e", "cat"), List.of("d", "dog"),
				List.of("c", "cat"), List.of("b", "cat"), List.of("a", "cat"));
		Scores scores = ANIMALS.score(List.of("id", "label"), rows, metric("accuracy_score"));
		assertThat(scores.publicScore()).isCloseTo(2.0 / 3, within(1e-9));
		assertThat(scores.privateScore()).isCloseTo(1.0, within(1e-9));
	}

	@Test
	void refusesToScoreInvalidPredictions() {
		assertThatExceptionOfType(InvalidCsvException.class)
			.isThrownBy(() -> ANIMALS.score(csv("id,label", "a,cat", "b,dog"), metric("accuracy_score")))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"4 ids of the solution are missing from the predictions; the first are 'c', 'd', 'e', 'f'.",
					"Expected 6 rows, one per id of the solution, but got 2."))
			.withMessageStartingWith("Invalid CSV: 4 ids of the solution");
		assertThatExceptionOfType(InvalidCsvException.class)
			.isThrownBy(() -> ANIMALS.score(new byte[0], metric("accuracy_score")))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly("The file is empty."));
	}

	@Test
	void namesTheSplitWhereTheMetricIsUndefined() {
		Solution solution = Solution.parse(csv("id,split,y", "a,public,1", "b,public,1", "c,private,0", "d,private,1"),
				"id");
		assertThatExceptionOfType(ScoringException.class)
			.isThrownBy(() -> solution.score(csv("id,y", "a,0.9", "b,0.8", "c,0.1", "d,0.7"), metric("roc_auc_score")))
			.withMessageStartingWith(
					"Cannot score the public rows: roc_auc_score is undefined when the truth holds a single class");
	}

	@Test
	void scoresBinaryRocAucOnTextLabels() {
		// Public: yes 0.9 > no 0.2 -> 1.0. Private: yes 0.4 vs no 0.4 and 0.6 -> (0.5 +
		// 0) / 2 = 0.25.
		Solution solution = Solution.parse(
				csv("id,split,spam", "a,public,yes", "b,public,no", "c,private,yes", "d,private,no", "e,private,no"),
				"id");
		Scores scores = solution.score(csv("id,spam", "a,0.9", "b,0.2", "c,0.4", "d,0.4", "e,0.6"),
				metric("roc_auc_score"));
		assertThat(scores.publicScore()).isCloseTo(1.0, within(1e-9));
		assertThat(scores.privateScore()).isCloseTo(0.25, within(1e-9));
	}

}
