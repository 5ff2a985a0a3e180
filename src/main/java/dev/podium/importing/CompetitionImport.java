package dev.podium.importing;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.importing.ImportPlan.Participant;
import dev.podium.importing.ImportPlan.PastSubmission;
import dev.podium.leaderboard.Standings;
import dev.podium.problem.ProblemException;
import dev.podium.sandbox.hub.DatasetOutcome;
import dev.podium.sandbox.hub.HubClient;
import dev.podium.sandbox.hub.Refused;
import dev.podium.sandbox.hub.Unavailable;
import dev.podium.security.Accounts;
import dev.podium.security.PodiumUser;
import dev.podium.submission.SubmissionHistory;
import dev.podium.team.Team;
import dev.podium.team.Teams;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a huggingface/competitions competition: reads its repo (from the Hub with
 * Podium's token, outside any transaction), checks it whole, then writes the competition,
 * its solution, participants and history in one transaction, or nothing at all. A failed
 * import leaves nothing behind, so it runs again once what its report named is fixed; an
 * imported repo is not imported twice (409).
 */
@Service
public class CompetitionImport {

	private static final Logger log = LoggerFactory.getLogger(CompetitionImport.class);

	private final Competitions competitions;

	private final Accounts accounts;

	private final SubmissionHistory history;

	private final Standings standings;

	private final ObjectProvider<HubClient> hub;

	private final TransactionTemplate transactions;

	private final ImportProperties properties;

	private final Clock clock;

	private final Teams teams;

	CompetitionImport(Competitions competitions, Accounts accounts, SubmissionHistory history, Standings standings,
			ObjectProvider<HubClient> hub, TransactionTemplate transactions, ImportProperties properties, Clock clock,
			Teams teams) {
		this.teams = teams;
		this.competitions = competitions;
		this.accounts = accounts;
		this.history = history;
		this.standings = standings;
		this.hub = hub;
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
	}

	/** Where the repo's files come from, and what to call the competition. */
	public record Request(String slug, String title, boolean dryRun) {
	}

	/** Reads a competition's private dataset repo on the Hub with Podium's token. */
	public ImportReport fromHub(String repoId, Request request, PodiumUser user) {
		HubClient client = this.hub.getIfAvailable();
		if (client == null) {
			throw ProblemException.conflict("hub-not-configured",
					"Podium has no Hub token (podium.sandbox.provider=huggingface with podium.hub.token): "
							+ "upload the competition repo as a zip archive instead");
		}
		String source = "hf:" + repoId;
		refuseIfImported(source);
		DatasetOutcome outcome = client.readDataset(repoId, this.properties.maxBytes().toBytes());
		if (outcome instanceof DatasetOutcome.Read read) {
			return run(new RepoFiles(source, repoId, read.files()), request, user);
		}
		if (outcome instanceof DatasetOutcome.NotFound notFound) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "import-repo-not-found", "Repo not found",
					"The dataset repo '" + repoId + "' does not exist or Podium's Hub token cannot read it")
				.with("reason", notFound.reason());
		}
		if (outcome instanceof DatasetOutcome.TooLarge tooLarge) {
			throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "import-too-large", "Import too large",
					"The repo holds more than " + tooLarge.maxBytes() + " bytes (podium.import.max-bytes)")
				.with("maxBytes", tooLarge.maxBytes());
		}
		if (outcome instanceof Refused refused) {
			throw new ProblemException(HttpStatus.BAD_GATEWAY, "hub-refused", "Hub refused",
					"The Hub refused to let Podium's token read '" + repoId + "'")
				.with("reason", refused.describe());
		}
		throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "hub-unavailable", "Hub unavailable",
				"The Hub could not be read now; nothing was imported, try again later")
			.with("reason", ((Unavailable) outcome).reason());
	}

	/** Imports the files of an uploaded zip archive of the repo. */
	public ImportReport fromArchive(byte[] archive, String fileName, Request request, PodiumUser user) {
		String source = "archive:" + sha256(archive);
		refuseIfImported(source);
		String name = (fileName != null && !fileName.isBlank()) ? fileName : "imported";
		return run(RepoFiles.unzip(archive, name, source, this.properties.maxBytes().toBytes()), request, user);
	}

	private ImportReport run(RepoFiles files, Request request, PodiumUser user) {
		ImportPlan plan = HfCompetitionReader.read(files, request.slug(), request.title(), this.clock.instant());
		ImportReport report = plan.report();
		if (report.blocked()) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "import-blocked", "Import blocked",
					"The competition repo cannot be imported as it is: fix what 'report.problems' names and run the "
							+ "import again (nothing was written)")
				.with("report", report.done(request.dryRun(), false));
		}
		if (this.competitions.find(plan.definition().slug()).isPresent()) {
			throw ProblemException
				.conflict("competition-exists",
						"A competition with slug '" + plan.definition().slug()
								+ "' already exists: choose another 'slug'")
				.with("report", report.done(request.dryRun(), false));
		}
		if (request.dryRun()) {
			return report.done(true, false);
		}
		this.transactions.executeWithoutResult((status) -> write(plan, user));
		log.info("Imported {} as competition '{}' ({} participants, {} submissions) for {}", plan.source(),
				plan.definition().slug(), plan.participants().size(), plan.submissions().size(), user.name());
		return report.done(false, true);
	}

	private void write(ImportPlan plan, PodiumUser user) {
		Competition competition = this.competitions.createImported(plan.definition(), user, plan.texts(), plan.source(),
				plan.script() ? Set.of(HfCompetitionReader.TASK) : Set.of(), plan.dataset());
		Task task = competition.task(HfCompetitionReader.TASK).orElseThrow();
		this.competitions.uploadSolution(task, plan.solution());
		Map<String, UUID> participants = new HashMap<>();
		Map<String, String> names = new HashMap<>();
		for (Participant participant : plan.participants()) {
			PodiumUser account = this.accounts.createHubParticipant(competition.id(), participant.name(),
					participant.hfUserId());
			participants.put(participant.hfUserId(), account.id());
			names.put(participant.hfUserId(), account.name());
		}
		// the teams as they were: their members share one entrant, and the boards show
		// the
		// team's name (before any history, so that nothing is merged)
		Map<String, UUID> entrants = new HashMap<>(participants);
		for (ImportPlan.Team team : plan.teams()) {
			List<String> members = team.members().stream().filter(participants::containsKey).toList();
			if (members.isEmpty()) {
				continue;
			}
			Team created = this.teams.create(competition.slug(), team.name(), members.stream().map(names::get).toList(),
					user);
			members.forEach((member) -> entrants.put(member, created.id()));
		}
		for (PastSubmission past : plan.submissions()) {
			UUID participant = participants.get(past.submittedBy());
			this.history.record(new SubmissionHistory.Past(competition.id(), task.id(), participant,
					entrants.get(past.submittedBy()), past.externalId(), task.submissionKind(), past.submittedAt(),
					truncate(past.comment(), 1000), past.outcome(), past.publicScore(), past.privateScore(),
					past.selected(), past.failureMessage(), past.fileName(), past.file(), past.model(),
					past.revision()), competition.zone());
		}
		// the boards are stored standings: written from the history, in the same
		// transaction
		this.standings.rebuild(task);
	}

	private void refuseIfImported(String source) {
		this.competitions.findImported(source).ifPresent((earlier) -> {
			throw ProblemException
				.conflict("already-imported", "This repo was imported already, as competition '" + earlier.slug() + "'")
				.with("competition", earlier.slug());
		});
	}

	private static String truncate(String text, int max) {
		return (text == null || text.length() <= max) ? text : text.substring(0, max);
	}

	private static String sha256(byte[] bytes) {
		try {
			return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
