package dev.podium.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic data for the demo competition: solutions and predictions of varying
 * quality, so that leaderboards have something to rank.
 */
final class DemoData {

	static final int ROWS = 200;

	private DemoData() {
	}

	/** Binary labels with a public/private split. */
	static byte[] labelSolution() {
		Random random = new Random(7);
		StringBuilder csv = new StringBuilder("id,label,split\n");
		for (int i = 0; i < ROWS; i++) {
			csv.append(i).append(',').append(random.nextInt(2)).append(',').append(split(i)).append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Labels that agree with the solution with the given probability. */
	static byte[] labelPredictions(double accuracy, long seed) {
		Random truth = new Random(7);
		Random random = new Random(seed);
		StringBuilder csv = new StringBuilder("id,label\n");
		for (int i = 0; i < ROWS; i++) {
			int label = truth.nextInt(2);
			csv.append(i).append(',').append((random.nextDouble() < accuracy) ? label : 1 - label).append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** House prices in thousands. */
	static byte[] priceSolution() {
		Random random = new Random(11);
		StringBuilder csv = new StringBuilder("id,price,split\n");
		for (int i = 0; i < ROWS; i++) {
			csv.append(i).append(',').append(format(price(random))).append(',').append(split(i)).append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Prices off by noise of the given spread. */
	static byte[] pricePredictions(double noise, long seed) {
		Random truth = new Random(11);
		Random random = new Random(seed);
		StringBuilder csv = new StringBuilder("id,price\n");
		for (int i = 0; i < ROWS; i++) {
			double predicted = Double.parseDouble(format(price(truth))) + random.nextGaussian() * noise;
			csv.append(i).append(',').append(format(predicted)).append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static double price(Random random) {
		return 150 + random.nextDouble() * 350;
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	/** Scores of the positive class, sharper with higher skill. */
	static byte[] scorePredictions(double skill, long seed) {
		Random truth = new Random(7);
		Random random = new Random(seed);
		StringBuilder csv = new StringBuilder("id,label\n");
		for (int i = 0; i < ROWS; i++) {
			int label = truth.nextInt(2);
			double score = Math.min(1, Math.max(0, 0.5 + (label - 0.5) * skill + random.nextGaussian() * 0.25));
			csv.append(i).append(',').append(String.format(Locale.ROOT, "%.4f", score)).append('\n');
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String split(int row) {
		return (row % 2 == 0) ? "public" : "private";
	}

}
