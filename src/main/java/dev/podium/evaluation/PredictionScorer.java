package dev.podium.evaluation;

import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.scoring.InvalidCsvException;
import dev.podium.scoring.Metrics;
import dev.podium.scoring.Scores;
import dev.podium.scoring.ScoringException;
import dev.podium.scoring.Solution;

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

		record Scored(Scores scores) implements Verdict {
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
			return new Verdict.Scored(solution.score(csv, Metrics.find(task.metric()).orElseThrow()));
		}
		catch (InvalidCsvException ex) {
			return new Verdict.Rejected("invalid predictions: " + String.join("; ", ex.problems()));
		}
		catch (ScoringException ex) {
			return new Verdict.Rejected("the metric is undefined for these predictions: " + ex.getMessage());
		}
	}

}
