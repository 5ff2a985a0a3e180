package dev.podium.security;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.podium.problem.ProblemException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issues and checks the bearer tokens of operators, organizers and participants. */
@Service
public class Accounts {

	static final String TOKEN_PREFIX = "pod_";

	private final AccountRepository repository;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	Accounts(AccountRepository repository, JdbcTemplate jdbc, Clock clock) {
		this.repository = repository;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Transactional
	public IssuedAccount createStaff(String name, Role role) {
		if (role == Role.PARTICIPANT) {
			throw ProblemException.badRequest("invalid-role",
					"Participants are created within their competition: POST /api/competitions/{slug}/participants");
		}
		if (this.repository.findStaff(name).isPresent()) {
			throw ProblemException.conflict("name-taken", "A user named '" + name + "' already exists");
		}
		return issue(name, role, null);
	}

	@Transactional
	public IssuedAccount createParticipant(UUID competitionId, String name) {
		if (this.repository.existsParticipant(competitionId, name)) {
			throw ProblemException.conflict("name-taken",
					"A participant named '" + name + "' already exists in this competition");
		}
		return issue(name, Role.PARTICIPANT, competitionId);
	}

	private IssuedAccount issue(String name, Role role, UUID competitionId) {
		String token = Tokens.generate(TOKEN_PREFIX);
		Account account = this.repository
			.saveAndFlush(new Account(name, role, competitionId, Tokens.hash(token), this.clock.instant()));
		return new IssuedAccount(account.toUser(), token);
	}

	@Transactional(readOnly = true)
	public Optional<PodiumUser> authenticate(String token) {
		return this.repository.findByTokenHash(Tokens.hash(token)).map(Account::toUser);
	}

	@Transactional(readOnly = true)
	public Optional<PodiumUser> find(UUID id) {
		return this.repository.findById(id).map(Account::toUser);
	}

	/** An operator or organizer by name. */
	@Transactional(readOnly = true)
	public Optional<PodiumUser> findStaff(String name) {
		return this.repository.findStaff(name).map(Account::toUser);
	}

	@Transactional(readOnly = true)
	public List<PodiumUser> participantsOf(UUID competitionId) {
		return this.repository.findParticipants(competitionId).stream().map(Account::toUser).toList();
	}

	@Transactional(readOnly = true)
	public long countParticipants(UUID competitionId) {
		return this.repository.countParticipants(competitionId);
	}

	/** Names by account id, for views that show who submitted. */
	@Transactional(readOnly = true)
	public Map<UUID, String> names(Collection<UUID> ids) {
		return this.repository.findAllById(ids)
			.stream()
			.map(Account::toUser)
			.collect(Collectors.toMap(PodiumUser::id, PodiumUser::name, (a, b) -> a));
	}

	/**
	 * Makes sure the named operator exists and, when a token is given, that it is theirs.
	 * @return the token to announce when one had to be generated
	 */
	@Transactional
	Optional<String> ensureOperator(String name, String configuredToken) {
		// Replicas starting at once on a fresh database: one creates the operator, the
		// others find it, and only one token is ever generated.
		this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "operator:" + name);
		Optional<Account> existing = this.repository.findStaff(name);
		if (existing.isPresent()) {
			if (configuredToken != null && !existing.get().tokenHash().equals(Tokens.hash(configuredToken))) {
				existing.get().replaceTokenHash(Tokens.hash(configuredToken));
			}
			return Optional.empty();
		}
		String token = (configuredToken != null) ? configuredToken : Tokens.generate(TOKEN_PREFIX);
		this.repository.saveAndFlush(new Account(name, Role.OPERATOR, null, Tokens.hash(token), this.clock.instant()));
		return (configuredToken != null) ? Optional.empty() : Optional.of(token);
	}

}
