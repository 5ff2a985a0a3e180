package dev.podium.scoring;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static dev.podium.scoring.Rows.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SolutionParseTests {

	@Test
	void readsIdSplitAndTargetColumns() {
		Solution solution = Solution.parse(csv("id,Split,y1,y2", "a,public,1,2", "b,PRIVATE,3,4", "c,Public,5,6"),
				"id");
		assertThat(solution.idColumn()).isEqualTo("id");
		assertThat(solution.targetColumns()).containsExactly("y1", "y2");
		assertThat(solution.rowCount()).isEqualTo(3);
		assertThat(solution.publicRowCount()).isEqualTo(2);
		assertThat(solution.privateRowCount()).isEqualTo(1);
		assertThat(solution.ids()).containsExactly("a", "b", "c");
		assertThat(solution.hasId("b")).isTrue();
		assertThat(solution.hasId(" b ")).isTrue();
		assertThat(solution.hasId("d")).isFalse();
	}

	@Test
	void readsBomCrlfAndQuotedFields() {
		byte[] bytes = ("\uFEFF\"id\" , split ,\"label, long\"\r\n\" x,1 \",public,\"a \"\"quoted\"\" label\"\r\n")
			.getBytes(StandardCharsets.UTF_8);
		Solution solution = Solution.parse(bytes, "id");
		assertThat(solution.targetColumns()).containsExactly("label, long");
		assertThat(solution.ids()).containsExactly("x,1");
	}

	@Test
	void rejectsAnEmptyFile() {
		assertThatExceptionOfType(InvalidCsvException.class).isThrownBy(() -> Solution.parse(new byte[0], "id"))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly("The file is empty."));
	}

	@Test
	void rejectsAMissingIdColumnListingTheColumns() {
		assertThatExceptionOfType(InvalidCsvException.class)
			.isThrownBy(() -> Solution.parse(csv("ID,split,y", "a,public,1"), "id"))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"The solution has no id column 'id' (found 'ID': column names are case-sensitive); its columns are 'ID', 'split', 'y'."));
	}

	@Test
	void rejectsAMissingSplitColumn() {
		assertThatExceptionOfType(InvalidCsvException.class).isThrownBy(() -> Solution.parse(csv("id,y", "a,1"), "id"))
			.satisfies((ex) -> assertThat(ex.problems())
				.containsExactly("The solution has no 'split' column saying whether each row is public or private."));
	}

	@Test
	void rejectsSplitValuesOtherThanPublicOrPrivate() {
		assertThatExceptionOfType(InvalidCsvException.class)
			.isThrownBy(() -> Solution.parse(csv("id,split,y", "a,public,1", "b,test,2", "c,,3"), "id"))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly(
					"Row 2 (id 'b'): the split 'test' is neither 'public' nor 'private'.",
					"Row 3 (id 'c'): the split '' is neither 'public' nor 'private'."));
	}

	@Test
	void rejectsDuplicateAndEmptyIds() {
		assertThatExceptionOfType(InvalidCsvException.class)
			.isThrownBy(() -> Solution.parse(csv("id,split,y", "a,public,1", "a,private,2", ",public,3"), "id"))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly("Row 3 has an empty id.",
					"The id 'a' appears on more than one row."));
	}

	@Test
	void rejectsASolutionWithoutTargetColumn() {
		assertThatExceptionOfType(InvalidCsvException.class)
			.isThrownBy(() -> Solution.parse(csv("id,split", "a,public"), "id"))
			.satisfies((ex) -> assertThat(ex.problems())
				.containsExactly("The solution has no target column besides the id and split columns."));
	}

	@Test
	void rejectsASolutionWithoutRows() {
		assertThatExceptionOfType(InvalidCsvException.class).isThrownBy(() -> Solution.parse(csv("id,split,y"), "id"))
			.satisfies((ex) -> assertThat(ex.problems()).containsExactly("The solution has no rows."));
	}

	@Test
	void rejectsRowsOfTheWrongWidth() {
		assertThatExceptionOfType(InvalidCsvException.class)
			.isThrownBy(() -> Solution.parse(csv("id,split,y", "a,public,1", "b,private"), "id"))
			.satisfies((ex) -> assertThat(ex.problems())
				.containsExactly("Row 2 has 2 values but the header has 3 columns."));
	}

	@Test
	void needsAnIdColumnName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Solution.parse(csv("id,split,y", "a,public,1"), " "));
	}

}
