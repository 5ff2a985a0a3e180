package dev.podium.evaluation;

import java.time.Instant;

import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionLifecycle;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.SubmissionQueue.Waiting;
import dev.podium.submission.Submissions;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Scores INLINE tasks' CSVs inside Podium: no sandbox, no budget. */
@Component
class InlineEvaluator {

	private static final int BATCH = 20;

	private final SubmissionQueue queue;

	private final SubmissionLifecycle lifecycle;

	private final Submissions submissions;

	private final Competitions competitions;

	private final SandboxDesk desk;

	InlineEvaluator(SubmissionQueue queue, SubmissionLifecycle lifecycle, Submissions submissions,
			Competitions competitions, SandboxDesk desk) {
		this.queue = queue;
		this.lifecycle = lifecycle;
		this.submissions = submissions;
		this.competitions = competitions;
		this.desk = desk;
	}

	@Transactional
	public void evaluateWaiting(Instant now) {
		for (Waiting waiting : this.queue.lockNext("INLINE", now, BATCH)) {
			Submission submission = this.lifecycle.lock(waiting.id()).orElseThrow();
			Task task = this.competitions.findTask(submission.taskId()).orElseThrow();
			this.lifecycle.startProvisioning(submission, null);
			this.lifecycle.startEvaluating(submission);
			this.desk.score(submission, task, this.submissions.file(submission.id()).orElse(new byte[0]));
		}
	}

}
