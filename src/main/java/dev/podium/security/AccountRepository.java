package dev.podium.security;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AccountRepository extends JpaRepository<Account, UUID> {

	Optional<Account> findByTokenHash(String tokenHash);

	@Query("select a from Account a where a.name = ?1 and a.competitionId is null")
	Optional<Account> findStaff(String name);

	@Query("select count(a) > 0 from Account a where a.name = ?2 and a.competitionId = ?1")
	boolean existsParticipant(UUID competitionId, String name);

	@Query("select a from Account a where a.competitionId = ?1 order by a.name")
	List<Account> findParticipants(UUID competitionId);

	@Query("select a from Account a where a.competitionId = ?1 and a.hfUserId = ?2")
	Optional<Account> findByHubUser(UUID competitionId, String hfUserId);

	@Query("select count(a) from Account a where a.competitionId = ?1")
	long countParticipants(UUID competitionId);

}
