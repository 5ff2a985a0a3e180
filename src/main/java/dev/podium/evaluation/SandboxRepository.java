package dev.podium.evaluation;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface SandboxRepository extends JpaRepository<Sandbox, UUID> {

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select s from Sandbox s where s.id = ?1")
	Optional<Sandbox> findForUpdate(UUID id);

	@Query("select count(s) from Sandbox s where s.status <> dev.podium.evaluation.SandboxStatus.DESTROYED")
	long countLive();

	@Query("select count(s) > 0 from Sandbox s where s.name = ?1 and s.status <> dev.podium.evaluation.SandboxStatus.DESTROYED")
	boolean isLive(String name);

	@Query("select s from Sandbox s where s.status <> dev.podium.evaluation.SandboxStatus.DESTROYED order by s.createdAt")
	List<Sandbox> findLive();

	@Query("select s from Sandbox s where s.id in ?1")
	List<Sandbox> findAllByIds(Collection<UUID> ids);

}
