package dev.podium.evaluation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxWork;
import dev.podium.scoring.InvalidCsvException;
import dev.podium.scoring.Metrics;
import dev.podium.scoring.Scores;
import dev.podium.scoring.ScoringException;
import dev.podium.scoring.Solution;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionLifecycle;
import dev.podium.submission.SubmissionStatus;
import dev.podium.submission.Submissions;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where running sandboxes fetch their job and hand in results. A sandbox reaches only the
 * submissions of its current attempt and only while it lives; predictions are scored here
 * against the hidden solution, which never leaves Podium.
 */
@Component
class SandboxDesk implements SandboxCallbacks {

	private final SandboxRepository sandboxes;

	private final SubmissionLifecycle lifecycle;

	private final Submissions submissions;

	private final Competitions competitions;

	private final RetryPolicy retries;

	private final Clock clock;

	SandboxDesk(SandboxRepository sandboxes, SubmissionLifecycle lifecycle, Submissions submissions,
			Competitions competitions, RetryPolicy retries, Clock clock) {
		this.sandboxes = sandboxes;
		this.lifecycle = lifecycle;
		this.submissions = submissions;
		this.competitions = competitions;
		this.retries = retries;
		this.clock = clock;
	}

	@Override
	@Transactional
	public SandboxWork job(UUID sandboxId) {
		Sandbox sandbox = live(sandboxId);
		Task task = this.competitions.findTask(sandbox.taskId()).orElseThrow();
		List<Submission> work = this.lifecycle.unfinishedIn(sandboxId);
		for (Submission submission : work) {
			if (submission.status() == SubmissionStatus.PROVISIONING) {
				this.lifecycle.startEvaluating(this.lifecycle.lock(submission.id()).orElseThrow());
			}
		}
		return new SandboxWork(sandboxId, Jobs.taskInfo(task), work.stream().map(Jobs::item).toList());
	}

	@Override
	@Transactional
	public byte[] submissionFile(UUID sandboxId, UUID submissionId) {
		Submission submission = own(sandboxId, submissionId);
		return this.submissions.file(submission.id())
			.orElseThrow(() -> new SandboxAccessDenied("Submission " + submissionId + " has no file"));
	}

	@Override
	@Transactional
	public void predictions(UUID sandboxId, UUID submissionId, byte[] csv) {
		Submission submission = evaluating(sandboxId, submissionId);
		Task task = this.competitions.findTask(submission.taskId()).orElseThrow();
		score(submission, task, csv);
	}

	/** Scores predictions, or fails the submission with what is wrong with them. */
	void score(Submission submission, Task task, byte[] csv) {
		Solution solution = this.competitions.solution(task).orElse(null);
		if (solution == null) {
			this.retries.platformFault(submission, "the task has no solution to score against", this.clock.instant());
			return;
		}
		try {
			Scores scores = solution.score(csv, Metrics.find(task.metric()).orElseThrow());
			this.lifecycle.markScored(submission, scores.publicScore(), scores.privateScore());
		}
		catch (InvalidCsvException ex) {
			this.retries.submissionFault(submission, "invalid predictions: " + String.join("; ", ex.problems()));
		}
		catch (ScoringException ex) {
			this.retries.submissionFault(submission,
					"the metric is undefined for these predictions: " + ex.getMessage());
		}
	}

	@Override
	@Transactional
	public void failure(UUID sandboxId, UUID submissionId, boolean submissionFault, String message) {
		Submission submission = evaluating(sandboxId, submissionId);
		String safe = (message == null || message.isBlank()) ? "the evaluation failed" : message.strip();
		if (submissionFault) {
			this.retries.submissionFault(submission, truncate(safe));
		}
		else {
			this.retries.platformFault(submission, truncate(safe), this.clock.instant());
		}
	}

	/** Whether the token is the one this live sandbox was created with. */
	@Transactional(readOnly = true)
	Authentication authenticate(UUID sandboxId, String tokenHash) {
		return this.sandboxes.findById(sandboxId)
			.filter(Sandbox::isLive)
			.map((sandbox) -> MessageDigest.isEqual(sandbox.tokenHash().getBytes(StandardCharsets.US_ASCII),
					tokenHash.getBytes(StandardCharsets.US_ASCII)) ? Authentication.OK : Authentication.WRONG_TOKEN)
			.orElse(Authentication.UNKNOWN);
	}

	enum Authentication {

		OK, WRONG_TOKEN, UNKNOWN

	}

	private Sandbox live(UUID sandboxId) {
		return this.sandboxes.findById(sandboxId)
			.filter((sandbox) -> sandbox.status() == SandboxStatus.STARTING
					|| sandbox.status() == SandboxStatus.RUNNING)
			.orElseThrow(() -> new SandboxAccessDenied("No live sandbox " + sandboxId));
	}

	private Submission own(UUID sandboxId, UUID submissionId) {
		live(sandboxId);
		return this.lifecycle.lock(submissionId)
			.filter((submission) -> sandboxId.equals(submission.sandboxId()))
			.filter((submission) -> !submission.status().isFinal())
			.orElseThrow(() -> new SandboxAccessDenied("Submission " + submissionId + " is not this sandbox's work"));
	}

	private Submission evaluating(UUID sandboxId, UUID submissionId) {
		Submission submission = own(sandboxId, submissionId);
		if (submission.status() == SubmissionStatus.PROVISIONING) {
			// The sandbox got to work before the job call was recorded: catch up.
			this.lifecycle.startEvaluating(submission);
		}
		return submission;
	}

	private static String truncate(String message) {
		return (message.length() > 1900) ? message.substring(0, 1900) : message;
	}

}
