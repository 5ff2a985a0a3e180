package dev.podium.submission;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface SubmissionRepository extends JpaRepository<Submission, UUID> {

	Optional<Submission> findByParticipantIdAndIdempotencyKey(UUID participantId, String idempotencyKey);

	/**
	 * Submissions charged to the daily limit: all but the cancelled and the
	 * platform-failed.
	 */
	@Query("""
			select count(s) from Submission s
			where s.participantId = ?1 and s.taskId = ?2 and s.quotaDay = ?3
			  and s.status <> dev.podium.submission.SubmissionStatus.CANCELLED
			  and not (s.status = dev.podium.submission.SubmissionStatus.FAILED
			           and s.failureCategory = dev.podium.submission.FailureCategory.PLATFORM)
			""")
	long countTowardLimit(UUID participantId, UUID taskId, LocalDate day);

	@Query("""
			select s from Submission s
			where s.participantId = ?1
			  and (?2 is null or s.competitionId = ?2)
			  and (?3 is null or s.taskId = ?3)
			order by s.submittedAt desc, s.id desc
			""")
	Page<Submission> findOwn(UUID participantId, UUID competitionId, UUID taskId, Pageable pageable);

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select s from Submission s where s.id = ?1")
	Optional<Submission> findForUpdate(UUID id);

	@Query("""
			select s from Submission s where s.sandboxId = ?1
			  and s.status in (dev.podium.submission.SubmissionStatus.PROVISIONING,
			                   dev.podium.submission.SubmissionStatus.EVALUATING)
			order by s.submittedAt
			""")
	List<Submission> findUnfinishedInSandbox(UUID sandboxId);

	@Query("select count(s) from Submission s where s.participantId = ?1 and s.taskId = ?2 and s.selected = true")
	long countSelected(UUID participantId, UUID taskId);

	/**
	 * Sets the sealed token of a submission just inserted: the token is sealed with the
	 * submission's id, known only once it exists. Clears the persistence context, so that
	 * the submission is read again with its token rather than written back without it.
	 */
	@Modifying(flushAutomatically = true, clearAutomatically = true)
	@Query("update Submission s set s.accessTokenSealed = ?2 where s.id = ?1")
	void storeSealedAccessToken(UUID id, byte[] sealed);

}
