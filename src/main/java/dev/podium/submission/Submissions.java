package dev.podium.submission;

import java.util.Optional;
import java.util.UUID;

import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and changes submissions on behalf of the people who may see them. */
@Service
public class Submissions {

	private final SubmissionRepository repository;

	private final SubmissionFileRepository files;

	private final SubmissionLifecycle lifecycle;

	Submissions(SubmissionRepository repository, SubmissionFileRepository files, SubmissionLifecycle lifecycle) {
		this.repository = repository;
		this.files = files;
		this.lifecycle = lifecycle;
	}

	@Transactional(readOnly = true)
	public Optional<Submission> find(UUID id) {
		return this.repository.findById(id);
	}

	/**
	 * The submission if the user may see it. Another participant's submission is "not
	 * found" rather than forbidden, so that ids do not leak.
	 */
	@Transactional(readOnly = true)
	public Submission visibleTo(PodiumUser user, UUID id) {
		return this.repository.findById(id)
			.filter((submission) -> user.isStaff() || submission.participantId().equals(user.id()))
			.orElseThrow(() -> ProblemException.notFound("Submission " + id));
	}

	@Transactional(readOnly = true)
	public Page<Submission> own(PodiumUser participant, UUID competitionId, UUID taskId, Pageable page) {
		return this.repository.findOwn(participant.id(), competitionId, taskId, page);
	}

	@Transactional
	public Submission cancel(PodiumUser user, UUID id) {
		visibleTo(user, id);
		// Locked, so that the scheduler cannot claim it between the check and the change.
		Submission submission = this.repository.findForUpdate(id).orElseThrow();
		if (submission.status() != SubmissionStatus.QUEUED) {
			throw ProblemException.conflict("submission-started",
					"Only a queued submission can be cancelled. Current status: " + submission.status());
		}
		return this.lifecycle.cancel(submission);
	}

	/** A FILE submission's CSV. */
	@Transactional(readOnly = true)
	public Optional<byte[]> file(UUID submissionId) {
		return this.files.findById(submissionId).map(SubmissionFile::content);
	}

}
