package dev.podium.scoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Random cases for every metric Podium names, each computed by scikit-learn itself and by
 * Podium: both must give the same number (within 1e-9, relative to the larger of 1 and
 * the numbers), or both must refuse. scikit-learn refuses by raising or by returning NaN,
 * which no leaderboard can rank; Podium refuses with a {@link ScoringException} or a
 * problem in the predictions check.
 * <p>
 * The reference is scikit-learn's function of the same name called with the spec's
 * keyword arguments on the columns as a CSV reader that knows numbers (pandas, as in
 * huggingface/competitions) types them: a column of integers is int64, of numbers
 * (including {@code nan} and {@code inf}) float64, anything else text. One target column
 * is a 1-D array, several a 2-D array. Two rules are newer than Debian bookworm's
 * scikit-learn 1.2.1 and emulated there by the script: {@code root_mean_squared_error}
 * (1.4) is {@code mean_squared_error(squared=False)}, and {@code log_loss} refuses values
 * outside [0, 1] (1.5; 1.2 clipped them).
 * <p>
 * Skipped, with a message, where no {@code python3} with scikit-learn is found;
 * {@code PODIUM_PYTHON} names another interpreter. {@code -Dpodium.parity.seed=N} replays
 * other cases, {@code -Dpodium.parity.cases=N} sets how many per metric.
 */
class ScikitLearnParityTests {

	private static final long SEED = Long.getLong("podium.parity.seed", 20261201L);

	private static final int CASES_PER_SPEC = Integer.getInteger("podium.parity.cases", 60);

	private static final double TOLERANCE = 1e-9;

	private static final List<String> LABEL_SPECS = List.of("accuracy_score", "balanced_accuracy_score",
			"matthews_corrcoef", "cohen_kappa_score");

	private static final List<String> AVERAGED_SPECS = List.of("f1_score", "precision_score", "recall_score");

	private static final List<String> AVERAGES = List.of("", "average='binary'", "average='micro'", "average='macro'",
			"average='weighted'", "average='samples'", "pos_label=0", "pos_label='b'",
			"average='macro', pos_label='b'");

	private static final List<String> SCORE_SPECS = List.of("roc_auc_score", "roc_auc_score(average='micro')",
			"roc_auc_score(average='weighted')", "roc_auc_score(average='samples')", "average_precision_score",
			"average_precision_score(average='micro')", "average_precision_score(average='weighted')",
			"average_precision_score(average='samples')", "average_precision_score(pos_label=0)",
			"average_precision_score(pos_label='b')", "log_loss");

	private static final List<String> REGRESSION_SPECS = List.of("mean_squared_error", "root_mean_squared_error",
			"mean_absolute_error", "median_absolute_error", "mean_absolute_percentage_error", "r2_score");

	@TestFactory
	Stream<DynamicTest> agreesWithScikitLearn() throws Exception {
		String python = findScikitLearn();
		assumeThat(python)
			.as("no python3 with scikit-learn found (apt-get install python3-sklearn, "
					+ "or set PODIUM_PYTHON): the scikit-learn parity suite is skipped")
			.isNotNull();
		Random random = new Random(SEED);
		List<Case> cases = new ArrayList<>();
		for (String spec : specs()) {
			for (int i = 0; i < CASES_PER_SPEC; i++) {
				Data data = generate(spec, random);
				cases.add(new Case(spec, data.truth(), data.predicted()));
			}
		}
		Reference reference = runScikitLearn(python, cases);
		Map<String, List<String>> disagreements = new LinkedHashMap<>();
		for (int i = 0; i < cases.size(); i++) {
			Case each = cases.get(i);
			Outcome podium = podium(each);
			Outcome sklearn = reference.outcomes().get(i);
			List<String> list = disagreements.computeIfAbsent(each.spec(), (spec) -> new ArrayList<>());
			if (!podium.agreesWith(sklearn) && deliberate(each, sklearn, podium).isEmpty()) {
				list.add("truth " + show(each.truth()) + " predicted " + show(each.predicted()) + ": scikit-learn "
						+ sklearn + ", Podium " + podium);
			}
		}
		return disagreements.entrySet()
			.stream()
			.map((entry) -> DynamicTest.dynamicTest(entry.getKey() + " as scikit-learn " + reference.version(),
					() -> assertThat(entry.getValue().stream().limit(12).toList())
						.as("%d of %d cases where Podium and scikit-learn %s disagree on %s (seed %d), the first",
								entry.getValue().size(), CASES_PER_SPEC, reference.version(), entry.getKey(), SEED)
						.isEmpty()));
	}

	/**
	 * Why Podium refuses where scikit-learn scores, for the one such case it keeps: a
	 * one-column accuracy whose truth and predictions are labels of different kinds
	 * (numbers against text), where scikit-learn compares 0 with '0' as unequal and
	 * scores without a word (unless both hold at most two labels, where it raises as
	 * every other label metric does). A participant is better told than ranked at 0.
	 */
	static Optional<String> deliberate(Case each, Outcome sklearn, Outcome podium) {
		if (each.spec().equals("accuracy_score") && sklearn.score() != null && podium.refusal() != null
				&& podium.refusal().contains("compares labels of one kind")) {
			return Optional.of("accuracy_score on labels of different kinds");
		}
		if (each.spec().equals("r2_score") && podium.score() != null && hasConstantColumn(each.truth())) {
			return Optional.of("r2_score on a constant truth column whose mean NumPy rounds");
		}
		return Optional.empty();
	}

	private static boolean hasConstantColumn(List<String[]> truth) {
		for (int column = 0; column < truth.get(0).length; column++) {
			int at = column;
			if (truth.stream().allMatch((row) -> row[at].equals(truth.get(0)[at]))) {
				return true;
			}
		}
		return false;
	}

	private static List<String> specs() {
		List<String> specs = new ArrayList<>(LABEL_SPECS);
		for (String metric : AVERAGED_SPECS) {
			for (String arguments : AVERAGES) {
				specs.add(arguments.isEmpty() ? metric : metric + "(" + arguments + ")");
			}
		}
		specs.addAll(SCORE_SPECS);
		specs.addAll(REGRESSION_SPECS);
		return specs;
	}

	// Podium's side: the check a participant's file goes through, then the metric.

	private static Outcome podium(Case each) {
		Optional<Metric> found = Metrics.find(each.spec());
		if (found.isEmpty()) {
			return Outcome.refused("unknown metric spec");
		}
		Metric metric = found.get();
		int width = each.truth().get(0).length;
		for (String[] row : each.predicted()) {
			for (String value : row) {
				Optional<String> problem = metric.checkPredictedValue(value.strip(), width);
				if (problem.isPresent()) {
					return Outcome.refused("check: " + problem.get());
				}
			}
		}
		try {
			double score = metric.compute(each.truth(), each.predicted());
			return Double.isFinite(score) ? Outcome.scored(score) : Outcome.refused("returned " + score);
		}
		catch (ScoringException ex) {
			return Outcome.refused(ex.getMessage());
		}
	}

	// Generators: each spec draws a kind of data at random, edge cases included.

	private static Data generate(String spec, Random random) {
		if (REGRESSION_SPECS.contains(spec)) {
			return regression(random);
		}
		if (spec.startsWith("roc_auc_score") || spec.startsWith("average_precision_score") || spec.equals("log_loss")) {
			return scores(random, spec.equals("log_loss"));
		}
		return labels(random);
	}

	private static Data labels(Random random) {
		int rows = 1 + random.nextInt(random.nextInt(8) == 0 ? 3 : 25);
		int kind = random.nextInt(14);
		if (kind < 3) {
			int columns = ((kind == 2) ? 3 : 2) + random.nextInt(3);
			String[] values = (kind == 2) ? new String[] { "0", "1", "2" } : new String[] { "0", "1" };
			List<String[]> truth = grid(rows, columns, random, values);
			List<String[]> predicted = grid(rows, columns, random,
					random.nextBoolean() ? new String[] { "0", "1" } : new String[] { "0.0", "1.0" });
			if (kind == 2) {
				// Three values: multiclass-multioutput, which no metric here takes. (Two
				// whole numbers other than 0 and 1 are multilabel to scikit-learn; Podium
				// asks for 0/1, and these cases do not draw them.)
				String[] mixed = fill(columns, "0");
				mixed[0] = "2";
				mixed[1] = "1";
				truth.set(0, mixed);
			}
			return new Data(truth, predicted);
		}
		String[][] vocabularies = { { "0", "1" }, { "0", "1" }, { "a", "b" }, { "1", "2" }, { "-1", "1" },
				{ "0", "1", "2" }, { "cat", "dog", "bird" }, { "b", "a", "c", "d" }, { "1", "10", "9" },
				{ "0.5", "1.5" }, { "1", "cat" } };
		String[] vocabulary = vocabularies[random.nextInt(vocabularies.length)];
		List<String[]> truth = column(rows, random, vocabulary);
		List<String[]> predicted = column(rows, random, vocabulary);
		switch (kind) {
			case 3 -> truth = column(rows, random, vocabulary[0]); // a single class
																	// present
			case 4 -> predicted = column(rows, random, vocabulary[random.nextInt(vocabulary.length)]);
			case 5 -> predicted = respell(predicted, random); // 1 as 1.0, 01, +1
			case 6 -> predicted.set(random.nextInt(rows), new String[] { "zebra" }); // a
																						// label
																						// never
																						// true
			case 7 -> pick(truth, predicted, random)[0] = random.nextBoolean() ? "nan" : "inf";
			case 8 -> truth = column(rows, random, "a", "b"); // text truth, maybe number
																// predictions
			case 9 -> predicted = new ArrayList<>(truth); // perfect
			default -> {
			}
		}
		return new Data(truth, predicted);
	}

	private static Data scores(Random random, boolean probabilities) {
		int rows = 1 + random.nextInt(random.nextInt(8) == 0 ? 3 : 30);
		int kind = random.nextInt(12);
		if (kind < 3) {
			int columns = 2 + random.nextInt(3);
			List<String[]> truth = new ArrayList<>();
			for (int row = 0; row < rows; row++) {
				String[] values = fill(columns, "0");
				values[random.nextInt(columns)] = "1"; // one-hot: multiclass as columns
				if (kind == 1) {
					for (int column = 0; column < columns; column++) {
						values[column] = random.nextBoolean() ? "1" : "0"; // multilabel
					}
				}
				truth.add(values);
			}
			List<String[]> predicted = new ArrayList<>();
			for (int row = 0; row < rows; row++) {
				String[] values = new String[columns];
				for (int column = 0; column < columns; column++) {
					values[column] = score(random, probabilities, kind == 2);
				}
				predicted.add(values);
			}
			return new Data(truth, predicted);
		}
		String[][] vocabularies = { { "0", "1" }, { "0", "1" }, { "0", "1" }, { "a", "b" }, { "-1", "1" }, { "1", "2" },
				{ "0", "1", "2" }, { "0.0", "1.0" }, { "0.5", "1.5" } };
		String[] vocabulary = vocabularies[random.nextInt(vocabularies.length)];
		List<String[]> truth = column(rows, random, vocabulary);
		boolean ties = kind == 3 || kind == 4;
		List<String[]> predicted = new ArrayList<>();
		String constant = score(random, probabilities, ties);
		for (int row = 0; row < rows; row++) {
			predicted.add(new String[] { (kind == 5) ? constant : score(random, probabilities, ties) });
		}
		switch (kind) {
			case 6 -> truth = column(rows, random, vocabulary[0]); // a single class
																	// present
			case 7 -> predicted.set(random.nextInt(rows),
					new String[] { List.of("nan", "inf", "-inf", "NaN").get(random.nextInt(4)) });
			case 8 -> predicted.set(random.nextInt(rows), new String[] { random.nextBoolean() ? "1.5" : "-0.25" });
			case 9 -> truth.set(random.nextInt(rows), new String[] { "nan" });
			default -> {
			}
		}
		return new Data(truth, predicted);
	}

	private static String score(Random random, boolean probabilities, boolean ties) {
		if (ties) {
			return String.valueOf(random.nextInt(probabilities ? 3 : 5) / (probabilities ? 2.0 : 1.0));
		}
		if (probabilities) {
			int edge = random.nextInt(20);
			return (edge == 0) ? "0" : (edge == 1) ? "1" : String.valueOf(random.nextDouble());
		}
		// Margins and decision-function values: any real number ranks.
		return String.valueOf((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(5) - 1));
	}

	private static Data regression(Random random) {
		int kind = random.nextInt(11);
		// Long columns with a large offset and a small spread, where the order of sums
		// shows in the score.
		int rows = (kind <= 1) ? 1 + random.nextInt(600) : 1 + random.nextInt(random.nextInt(8) == 0 ? 3 : 30);
		int columns = (random.nextInt(4) == 0) ? 2 + random.nextInt(2) : 1;
		double offset = (kind == 0) ? 1e12 : (kind == 1) ? -1e15 : 0;
		double spread = (kind <= 1) ? List.of(1e-3, 1.0, 10.0).get(random.nextInt(3)) : 10;
		double noise = (kind <= 1) ? spread * List.of(0.01, 1.0, 10.0).get(random.nextInt(3)) : 1;
		List<String[]> truth = new ArrayList<>();
		List<String[]> predicted = new ArrayList<>();
		for (int row = 0; row < rows; row++) {
			String[] actual = new String[columns];
			String[] guessed = new String[columns];
			for (int column = 0; column < columns; column++) {
				double value = (kind == 2) ? 3 : (kind == 9) ? 0.1 : offset + random.nextGaussian() * spread;
				actual[column] = (kind == 3) ? String.valueOf(random.nextInt(3)) : String.valueOf(value);
				guessed[column] = (kind == 4) ? "2.5"
						: (kind == 5) ? actual[column] : String.valueOf(value + random.nextGaussian() * noise);
			}
			truth.add(actual);
			predicted.add(guessed);
		}
		switch (kind) {
			case 6 -> pick(truth, predicted, random)[0] = List.of("nan", "inf", "-inf", "NaN").get(random.nextInt(4));
			case 7 -> predicted.get(random.nextInt(rows))[0] = "1e400";
			case 8 -> truth.get(0)[0] = "0"; // a zero in the denominator of the
												// percentage error
			default -> {
			}
		}
		return new Data(truth, predicted);
	}

	private static String[] pick(List<String[]> truth, List<String[]> predicted, Random random) {
		return (random.nextBoolean() ? truth : predicted).get(random.nextInt(truth.size()));
	}

	private static List<String[]> column(int rows, Random random, String... vocabulary) {
		return grid(rows, 1, random, vocabulary);
	}

	private static List<String[]> grid(int rows, int columns, Random random, String... vocabulary) {
		List<String[]> grid = new ArrayList<>();
		for (int row = 0; row < rows; row++) {
			String[] values = new String[columns];
			for (int column = 0; column < columns; column++) {
				values[column] = vocabulary[random.nextInt(vocabulary.length)];
			}
			grid.add(values);
		}
		return grid;
	}

	private static String[] fill(int columns, String value) {
		String[] values = new String[columns];
		Arrays.fill(values, value);
		return values;
	}

	private static List<String[]> respell(List<String[]> rows, Random random) {
		List<String> spellings = List.of("%s.0", "%s", " %s ", "%s.00");
		String spelling = spellings.get(random.nextInt(spellings.size()));
		return rows.stream().map((row) -> new String[] { String.format(spelling, row[0]) }).toList();
	}

	// scikit-learn's side: one python3 process scores every case.

	private static String findScikitLearn() {
		List<String> candidates = new ArrayList<>();
		Optional.ofNullable(System.getenv("PODIUM_PYTHON")).ifPresent(candidates::add);
		candidates.addAll(List.of("python3", "/usr/bin/python3"));
		for (String candidate : candidates) {
			try {
				Process process = new ProcessBuilder(candidate, "-c", "import sklearn").redirectErrorStream(true)
					.start();
				process.getInputStream().readAllBytes();
				if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
					return candidate;
				}
			}
			catch (IOException ex) {
				// Not installed under this name: try the next.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
		return null;
	}

	private static Reference runScikitLearn(String python, List<Case> cases) throws Exception {
		Path directory = Files.createTempDirectory("podium-sklearn-parity");
		try {
			Path script = Files.writeString(directory.resolve("parity.py"), SCRIPT);
			Path input = directory.resolve("cases.json");
			StringBuilder json = new StringBuilder("[");
			for (Case each : cases) {
				json.append((json.length() > 1) ? ",\n" : "\n")
					.append("{\"spec\":")
					.append(quote(each.spec()))
					.append(",\"truth\":")
					.append(rowsJson(each.truth()))
					.append(",\"pred\":")
					.append(rowsJson(each.predicted()))
					.append('}');
			}
			Files.writeString(input, json.append("]\n"));
			Path output = directory.resolve("outcomes.txt");
			Process process = new ProcessBuilder(python, script.toString(), input.toString(), output.toString())
				.redirectErrorStream(true)
				.start();
			String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as("the scikit-learn script failed: %s", log).isZero();
			List<String> lines = Files.readAllLines(output);
			String version = lines.get(0);
			List<Outcome> outcomes = lines.subList(1, lines.size()).stream().map(Outcome::parse).toList();
			assertThat(outcomes).hasSameSizeAs(cases);
			return new Reference(version, outcomes);
		}
		finally {
			try (Stream<Path> files = Files.list(directory)) {
				for (Path file : files.toList()) {
					Files.deleteIfExists(file);
				}
			}
			Files.deleteIfExists(directory);
		}
	}

	private static String rowsJson(List<String[]> rows) {
		StringBuilder json = new StringBuilder("[");
		for (String[] row : rows) {
			json.append((json.length() > 1) ? "," : "").append('[');
			for (int i = 0; i < row.length; i++) {
				json.append((i > 0) ? "," : "").append(quote(row[i]));
			}
			json.append(']');
		}
		return json.append(']').toString();
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static String show(List<String[]> rows) {
		return rows.stream().map((row) -> (row.length == 1) ? row[0] : Arrays.toString(row)).toList().toString();
	}

	/**
	 * Reads each case's spec as the Python call it spells
	 * ({@code f1_score(average='macro')}), types the columns as pandas would, and writes
	 * the scikit-learn version, then one line per case: {@code ok <repr>} or
	 * {@code error <type>: <message>}.
	 */
	private static final String SCRIPT = """
			import ast, json, re, sys, warnings
			import numpy as np
			import sklearn
			from sklearn import metrics

			warnings.simplefilter("ignore")
			VERSION = tuple(int(part) for part in re.findall(r"[0-9]+", sklearn.__version__)[:2])
			INTEGER = re.compile(r"[+-]?[0-9]+\\Z")
			NUMBER = re.compile(r"[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\Z")
			NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}

			def typed(values):
			    cells = [value.strip() for value in values]
			    if all(INTEGER.match(cell) for cell in cells):
			        return np.array([int(cell) for cell in cells], dtype=np.int64)
			    if all(NUMBER.match(cell) or cell.lower() in NOT_FINITE for cell in cells):
			        return np.array([float(cell) for cell in cells], dtype=np.float64)
			    return np.array([float(cell) if cell.lower() in NOT_FINITE else cell for cell in cells], dtype=object)

			def array(rows):
			    columns = [typed([row[j] for row in rows]) for j in range(len(rows[0]))]
			    return columns[0] if len(columns) == 1 else np.column_stack(columns)

			def call(spec):
			    tree = ast.parse(spec, mode="eval").body
			    if isinstance(tree, ast.Name):
			        return tree.id, {}
			    return tree.func.id, {keyword.arg: ast.literal_eval(keyword.value) for keyword in tree.keywords}

			def compute(spec, y_true, y_pred):
			    name, kwargs = call(spec)
			    if name == "root_mean_squared_error" and not hasattr(metrics, name):
			        return metrics.mean_squared_error(y_true, y_pred, squared=False, **kwargs)
			    if name == "log_loss" and VERSION < (1, 5):
			        probabilities = np.asarray(y_pred, dtype=np.float64)
			        if np.nanmax(probabilities) > 1 or np.nanmin(probabilities) < 0:
			            raise ValueError("y_prob contains values outside [0, 1], refused from scikit-learn 1.5 on")
			    return getattr(metrics, name)(y_true, y_pred, **kwargs)

			with open(sys.argv[1]) as source:
			    cases = json.load(source)
			with open(sys.argv[2], "w") as out:
			    out.write(sklearn.__version__ + "\\n")
			    for case in cases:
			        try:
			            value = float(compute(case["spec"], array(case["truth"]), array(case["pred"])))
			            out.write("ok " + repr(value) + "\\n")
			        except Exception as error:
			            message = str(error).splitlines()[0] if str(error) else ""
			            out.write("error " + type(error).__name__ + ": " + message + "\\n")
			""";

	private record Case(String spec, List<String[]> truth, List<String[]> predicted) {
	}

	private record Data(List<String[]> truth, List<String[]> predicted) {
	}

	private record Reference(String version, List<Outcome> outcomes) {
	}

	/**
	 * A score, or a refusal with its reason. NaN and infinite scores count as refusals.
	 */
	private record Outcome(Double score, String refusal) {

		static Outcome scored(double score) {
			return new Outcome(score, null);
		}

		static Outcome refused(String reason) {
			return new Outcome(null, reason);
		}

		static Outcome parse(String line) {
			if (line.startsWith("ok ")) {
				double value = switch (line.substring(3)) {
					case "nan" -> Double.NaN;
					case "inf" -> Double.POSITIVE_INFINITY;
					case "-inf" -> Double.NEGATIVE_INFINITY;
					default -> Double.parseDouble(line.substring(3));
				};
				return Double.isFinite(value) ? scored(value) : refused("returned " + value);
			}
			return refused(line.substring("error ".length()));
		}

		boolean agreesWith(Outcome other) {
			if (this.score == null || other.score == null) {
				return this.score == null && other.score == null;
			}
			double scale = Math.max(1, Math.max(Math.abs(this.score), Math.abs(other.score)));
			return Math.abs(this.score - other.score) <= TOLERANCE * scale;
		}

		@Override
		public String toString() {
			return (this.score != null) ? String.valueOf(this.score) : "refused (" + this.refusal + ")";
		}

	}

}
