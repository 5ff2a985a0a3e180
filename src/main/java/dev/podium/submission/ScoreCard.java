package dev.podium.submission;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an evaluation scored: the primary metric on the public and the private rows, and
 * each secondary metric the same way ({@code null} where a split has no rows or the
 * metric is undefined for them).
 */
public record ScoreCard(Double publicScore, Double privateScore, Map<String, Split> secondary) {

	public ScoreCard {
		secondary = (secondary != null) ? new LinkedHashMap<>(secondary) : Map.of();
	}

	public static ScoreCard primaryOnly(Double publicScore, Double privateScore) {
		return new ScoreCard(publicScore, privateScore, Map.of());
	}

	/** One metric's scores. */
	public record Split(Double publicScore, Double privateScore) {
	}

}
