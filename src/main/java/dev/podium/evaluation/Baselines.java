package dev.podium.evaluation;

import dev.podium.competition.Task;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;
import dev.podium.submission.Submission;
import dev.podium.submission.Submissions;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Organizers' baselines: predictions scored at once against the task's solution, inside
 * Podium (no sandbox, no budget), then shown on the boards marked as baselines, never
 * ranked.
 */
@Component
public class Baselines {

	private final PredictionScorer scorer;

	private final Submissions submissions;

	Baselines(PredictionScorer scorer, Submissions submissions) {
		this.scorer = scorer;
		this.submissions = submissions;
	}

	/** Scores with nothing open, then records the baseline in one transaction. */
	public Submission submit(Task task, PodiumUser organizer, String name, byte[] csv) {
		if (csv.length > task.maxFileBytes()) {
			throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "file-too-large", "File too large",
					"The predictions exceed the task's limit of " + task.maxFileBytes() + " bytes");
		}
		PredictionScorer.Verdict verdict = this.scorer.score(task, csv);
		if (verdict instanceof PredictionScorer.Verdict.NoSolution) {
			throw ProblemException.conflict("no-solution", "Task '" + task.slug() + "' has no solution yet");
		}
		if (verdict instanceof PredictionScorer.Verdict.Rejected rejected) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-predictions", "Invalid predictions",
					rejected.message());
		}
		return this.submissions.recordBaseline(task, organizer, name, "baseline.csv", csv,
				((PredictionScorer.Verdict.Scored) verdict).scores());
	}

}
