package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.ClaimedJob;
import dev.podium.submission.Submissions;

import org.springframework.stereotype.Component;

/**
 * Scores INLINE tasks' CSVs inside Podium: no sandbox, no budget. Each submission is
 * claimed, scored with nothing open, and recorded, on its own: one that cannot be scored
 * goes back to the queue as a platform fault and holds up nothing else.
 */
@Component
class InlineScoring {

	private static final Logger log = LoggerFactory.getLogger(InlineScoring.class);

	/** How long a claim lasts before another instance may take it over. */
	static final Duration CLAIM = Duration.ofMinutes(5);

	private final SubmissionQueue queue;

	private final Submissions submissions;

	private final Competitions competitions;

	private final SandboxJobDesk desk;

	private final RetryPolicy retries;

	private final Clock clock;

	InlineScoring(SubmissionQueue queue, Submissions submissions, Competitions competitions, SandboxJobDesk desk,
			RetryPolicy retries, Clock clock) {
		this.queue = queue;
		this.submissions = submissions;
		this.competitions = competitions;
		this.desk = desk;
		this.retries = retries;
		this.clock = clock;
	}

	/**
	 * @return how many it scored or failed
	 */
	int scoreWaiting(int limit) {
		this.queue.expireInlineClaims(this.retries);
		int done = 0;
		for (; done < limit; done++) {
			Optional<ClaimedJob> claimed = this.queue.claimInline(this.clock.instant().plus(CLAIM));
			if (claimed.isEmpty()) {
				break;
			}
			ClaimedJob job = claimed.get();
			try {
				Task task = this.competitions.findTask(job.taskId()).orElseThrow();
				byte[] csv = this.submissions.file(job.submissionId()).orElse(new byte[0]);
				this.desk.record(job.submissionId(), job.attemptId(), task, csv, false);
			}
			catch (RuntimeException ex) {
				log.error("submission={} could not be scored inline; it will be retried", job.submissionId(), ex);
				this.queue.returnAfterPlatformFault(job.submissionId(), job.attemptId(),
						"it could not be scored (an internal error)", this.retries);
			}
		}
		return done;
	}

}
