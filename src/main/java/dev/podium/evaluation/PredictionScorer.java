package dev.podium.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.scoring.InvalidCsvException;
import dev.podium.scoring.Metric;
import dev.podium.scoring.Metrics;
import dev.podium.scoring.Scores;
import dev.podium.scoring.ScoringException;
import dev.podium.scoring.Solution;
import dev.podium.submission.ScoreCard;

import org.springframework.stereotype.Component;

/**
 * Scores predictions against a task's hidden solution, which never leaves Podium. Pure
 * computation on a cached solution: called with no transaction open, before the outcome
 * is recorded.
 */
@Component
class PredictionScorer {

	private final Competitions competitions;

	PredictionScorer(Competitions competitions) {
		this.competitions = competitions;
	}

	sealed interface Verdict {

		record Scored(ScoreCard scores) implements Verdict {
		}

		/** The predictions are the submission's fault. */
		record Rejected(String message) implements Verdict {
		}

		/** Nothing to score against: the platform's (the organizer's) fault. */
		record NoSolution() implements Verdict {
		}

	}

	Verdict score(Task task, byte[] csv) {
		Solution solution = this.competitions.solution(task).orElse(null);
		if (solution == null) {
			return new Verdict.NoSolution();
		}
		try {
			Scores primary = solution.score(csv, Metrics.find(task.metric()).orElseThrow());
			return new Verdict.Scored(
					new ScoreCard(primary.publicScore(), primary.privateScore(), secondary(solution, task, csv)));
		}
		catch (InvalidCsvException ex) {
			return new Verdict.Rejected("invalid predictions: " + String.join("; ", ex.problems()));
		}
		catch (ScoringException ex) {
			return new Verdict.Rejected("the metric is undefined for these predictions: " + ex.getMessage());
		}
	}

	/**
	 * The secondary metrics: one undefined for these predictions (a single class in a
	 * split) is shown as missing and ranks last among equals, it does not reject what the
	 * primary metric accepted. (Each parses the CSV again: a few metrics, a bounded
	 * file.)
	 */
	private static Map<String, ScoreCard.Split> secondary(Solution solution, Task task, byte[] csv)
			throws InvalidCsvException {
		Map<String, ScoreCard.Split> scores = new LinkedHashMap<>();
		for (String name : task.secondaryMetrics()) {
			Metric metric = Metrics.find(name).orElse(null);
			if (metric == null) {
				continue;
			}
			try {
				Scores split = solution.score(csv, metric);
				scores.put(name, new ScoreCard.Split(split.publicScore(), split.privateScore()));
			}
			catch (ScoringException | InvalidCsvException ex) {
				scores.put(name, new ScoreCard.Split(null, null));
			}
		}
		return scores;
	}

}
