package dev.podium.competition;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface CompetitionRepository extends JpaRepository<Competition, UUID> {

	Optional<Competition> findBySlug(String slug);

	boolean existsBySlug(String slug);

	Optional<Competition> findByImportedFrom(String importedFrom);

	@Query("select c from Competition c order by c.startsAt desc, c.slug")
	List<Competition> findAllNewestFirst();

}
