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
import org.springframework.data.jpa.repository.Query;

interface SubmissionRepository extends JpaRepository<Submission, UUID> {

	Optional<Submission> findByParticipantIdAndIdempotencyKey(UUID participantId, String idempotencyKey);

	Optional<Submission> findByAttemptId(UUID attemptId);

	/**
	 * Submissions charged to the daily limit: all but the cancelled and the
	 * platform-failed.
	 */
	@Query("""
			select count(s) from Submission s
			where s.entrantId = ?1 and s.taskId = ?2 and s.quotaDay = ?3
			  and s.status <> dev.podium.submission.SubmissionStatus.CANCELLED
			  and not (s.status = dev.podium.submission.SubmissionStatus.FAILED
			           and s.failureCategory = dev.podium.submission.FailureCategory.PLATFORM)
			""")
	long countTowardLimit(UUID entrantId, UUID taskId, LocalDate day);

	@Query("""
			select s from Submission s
			where s.entrantId = ?1
			  and (?2 is null or s.competitionId = ?2)
			  and (?3 is null or s.taskId = ?3)
			order by s.submittedAt desc, s.id desc
			""")
	Page<Submission> findOwn(UUID entrantId, UUID competitionId, UUID taskId, Pageable pageable);

	/**
	 * As findAllById, as one statement whatever the number of ids: a JPQL {@code in} list
	 * is translated to SQL again on every call (on the queue page, more than half of the
	 * JVM's time for fifty submissions).
	 */
	@Query(value = "select * from submissions where id = any(?1)", nativeQuery = true)
	List<Submission> findAllByIds(UUID[] ids);

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select s from Submission s where s.id = ?1")
	Optional<Submission> findForUpdate(UUID id);

	@Query("select count(s) from Submission s where s.entrantId = ?1 and s.taskId = ?2 and s.selected = true")
	long countSelected(UUID entrantId, UUID taskId);

	/**
	 * The entrant's first submission of this content to the task that is waiting, running
	 * or scored: a failed or cancelled one may be tried again.
	 */
	@Query(value = """
			select id from submissions
			where task_id = ?1 and entrant_id = ?2 and content_key = ?3
			  and status in ('QUEUED', 'EVALUATING', 'SCORED')
			order by submitted_at, id limit 1
			""", nativeQuery = true)
	Optional<UUID> findDuplicate(UUID taskId, UUID entrantId, String contentKey);

	@Query("select s.entrantId from Submission s where s.id = ?1")
	Optional<UUID> findEntrantId(UUID id);

	@Query("select s.taskId from Submission s where s.id = ?1")
	Optional<UUID> findTaskId(UUID id);

}
