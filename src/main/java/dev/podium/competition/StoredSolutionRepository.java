package dev.podium.competition;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface StoredSolutionRepository extends JpaRepository<StoredSolution, UUID> {

	@Query("select s.uploadedAt from StoredSolution s where s.taskId = ?1")
	Optional<Instant> findUploadedAt(UUID taskId);

}
