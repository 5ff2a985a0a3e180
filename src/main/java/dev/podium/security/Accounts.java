package dev.podium.security;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.podium.problem.ProblemException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issues and checks the bearer tokens of operators, organizers and participants. */
@Service
public class Accounts {

	static final String TOKEN_PREFIX = "pod_";

	/**
	 * The name an imported participant has until they sign in: the files hold only their
	 * Hugging Face id.
	 */
	public static final String HUB_NAME_PREFIX = "hf-";

	/** What a participant's name may be (the API's rule). */
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

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

	/**
	 * A participant moved over from huggingface/competitions, known by their Hugging Face
	 * user id: they get a token when they sign in with a Hub token of theirs
	 * ({@link #signInWithHub}). The token made here is never shown.
	 */
	@Transactional
	public PodiumUser createHubParticipant(UUID competitionId, String name, String hfUserId) {
		if (this.repository.findByHubUser(competitionId, hfUserId).isPresent()) {
			throw ProblemException.conflict("hub-user-taken",
					"The Hugging Face user '" + hfUserId + "' already takes part in this competition");
		}
		IssuedAccount issued = createParticipant(competitionId, name);
		Account account = this.repository.findById(issued.user().id()).orElseThrow();
		account.linkHubUser(hfUserId);
		this.repository.saveAndFlush(account);
		return issued.user();
	}

	/** The participant of a competition whose Hugging Face user id this is. */
	@Transactional(readOnly = true)
	public Optional<PodiumUser> findHubParticipant(UUID competitionId, String hfUserId) {
		return this.repository.findByHubUser(competitionId, hfUserId).map(Account::toUser);
	}

	/**
	 * Issues a new token to the participant whose Hugging Face user id the Hub vouched
	 * for; their earlier token stops working (Podium keeps only one hash per account).
	 * Without such a participant, one is created when {@code open} (anyone with a Hub
	 * account could join the imported challenge). Either way the participant takes their
	 * Hub name when it is free, in place of the import's {@code hf-<id>}.
	 * @return empty when there is no such participant and the competition is not open
	 */
	@Transactional
	public Optional<IssuedAccount> signInWithHub(UUID competitionId, String hfUserId, String hubName, boolean open) {
		// Two first sign-ins of the same person at once create one account.
		this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))",
				"hub-user:" + competitionId + ":" + hfUserId);
		Optional<Account> existing = this.repository.findByHubUser(competitionId, hfUserId);
		String token = Tokens.generate(TOKEN_PREFIX);
		boolean nameFree = hubName != null && NAME.matcher(hubName).matches()
				&& !this.repository.existsParticipant(competitionId, hubName);
		if (existing.isPresent()) {
			existing.get().replaceTokenHash(Tokens.hash(token));
			if (nameFree && existing.get().name().equals(HUB_NAME_PREFIX + hfUserId)) {
				existing.get().rename(hubName);
			}
			return Optional.of(new IssuedAccount(this.repository.saveAndFlush(existing.get()).toUser(), token));
		}
		if (!open) {
			return Optional.empty();
		}
		String name = nameFree ? hubName : HUB_NAME_PREFIX + hfUserId;
		Account account = new Account(name, Role.PARTICIPANT, competitionId, Tokens.hash(token), this.clock.instant());
		account.linkHubUser(hfUserId);
		return Optional.of(new IssuedAccount(this.repository.saveAndFlush(account).toUser(), token));
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

	/**
	 * Names by account id, for views that show who submitted. One plain query, in the
	 * caller's transaction if it has one: every API answer about submissions asks it, and
	 * a repository's find-all-by-ids builds its query anew on each call.
	 */
	public Map<UUID, String> names(Collection<UUID> ids) {
		Map<UUID, String> names = new HashMap<>();
		if (ids.isEmpty()) {
			return names;
		}
		UUID[] distinct = ids.stream().distinct().toArray(UUID[]::new);
		this.jdbc.query("select id, name from accounts where id = any(?)",
				(statement) -> statement.setArray(1, statement.getConnection().createArrayOf("uuid", distinct)),
				(RowCallbackHandler) (row) -> names.put(row.getObject(1, UUID.class), row.getString(2)));
		return names;
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
