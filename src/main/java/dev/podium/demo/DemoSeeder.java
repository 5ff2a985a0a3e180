package dev.podium.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.PodiumProperties;
import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.CompetitionDefinition;
import dev.podium.competition.Competitions;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.SubmissionKind;
import dev.podium.competition.TaskDefinition;
import dev.podium.security.Accounts;
import dev.podium.security.IssuedAccount;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;
import dev.podium.submission.SubmissionIntake;
import dev.podium.submission.SubmissionIntake.FileEntry;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seeds the demo competition on the first start so that the README's quick start works at
 * once. Tokens exist in clear only in the file it writes, since Podium keeps hashes.
 */
@Component
@Order(10)
class DemoSeeder implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

	static final int PARTICIPANTS = 10;

	private final DemoProperties demo;

	private final Path dataDir;

	private final Competitions competitions;

	private final CompetitionAccess access;

	private final Accounts accounts;

	private final SubmissionIntake intake;

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	DemoSeeder(DemoProperties demo, PodiumProperties podium, Competitions competitions, CompetitionAccess access,
			Accounts accounts, SubmissionIntake intake, TransactionTemplate transactions, JdbcTemplate jdbc,
			Clock clock) {
		this.demo = demo;
		this.dataDir = podium.dataDir();
		this.competitions = competitions;
		this.access = access;
		this.accounts = accounts;
		this.intake = intake;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.demo.enabled()) {
			return;
		}
		Path tokens = this.dataDir.resolve("demo-tokens.txt").toAbsolutePath();
		List<String> lines = this.transactions.execute((status) -> {
			// Several instances may start at once on one database: one seeds, the others
			// see it.
			this.jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended('podium-demo-seed', 0))");
			return this.competitions.find(this.demo.slug()).isPresent() ? null : seed();
		});
		if (lines == null) {
			log.info("Demo competition '{}' is in place; its tokens were written to {} on the first start",
					this.demo.slug(), tokens);
			return;
		}
		write(tokens, lines);
		log.info("Seeded demo competition '{}' with {} participants; tokens are in {}", this.demo.slug(), PARTICIPANTS,
				tokens);
	}

	private List<String> seed() {
		Instant now = this.clock.instant();
		Competition competition = this.competitions.create(new CompetitionDefinition(this.demo.slug(),
				"Podium demo challenge", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)), ZoneId.of("UTC"),
				List.of(task("sentiment", "Sentiment (labels)", EvaluationMode.SANDBOX, "accuracy_score", true, 25),
						task("house-prices", "House prices", EvaluationMode.INLINE, "root_mean_squared_error", false,
								1),
						task("churn", "Churn (scores)", EvaluationMode.SANDBOX, "roc_auc_score", true, 25))));
		this.competitions.uploadSolution(competition.task("sentiment").orElseThrow(), DemoData.labelSolution());
		this.competitions.uploadSolution(competition.task("house-prices").orElseThrow(), DemoData.priceSolution());
		this.competitions.uploadSolution(competition.task("churn").orElseThrow(), DemoData.labelSolution());
		List<String> lines = new ArrayList<>();
		lines.add("# Podium demo tokens: keep this file private. Use them as 'Authorization: Bearer <token>'.");
		IssuedAccount organizer = this.accounts.createStaff("demo-organizer", Role.ORGANIZER);
		this.access.grant(competition.slug(), organizer.user().name(), "demo");
		lines.add("ORGANIZER demo-organizer " + organizer.token());
		for (int i = 1; i <= PARTICIPANTS; i++) {
			IssuedAccount participant = this.accounts.createParticipant(competition.id(),
					"participant-%02d".formatted(i));
			lines.add("PARTICIPANT " + participant.user().name() + " " + participant.token());
			submitSamples(participant.user(), i);
		}
		return lines;
	}

	/**
	 * A few submissions of varying quality, queued like any other: the inline task scores
	 * at once, the sandbox tasks fill the queue and leaderboards within the first
	 * minutes.
	 */
	private void submitSamples(PodiumUser participant, int index) {
		if (index <= 6) {
			this.intake.submitFile(participant, this.demo.slug(), "house-prices", new FileEntry("prices.csv",
					DemoData.pricePredictions(10 + index * 8, index), "noise " + (10 + index * 8), null));
		}
		if (index <= 4) {
			this.intake.submitFile(participant, this.demo.slug(), "sentiment", new FileEntry("labels.csv",
					DemoData.labelPredictions(0.55 + index * 0.1, index), "demo labels", null));
		}
		if (index <= 3) {
			this.intake.submitFile(participant, this.demo.slug(), "churn", new FileEntry("scores.csv",
					DemoData.scorePredictions(0.3 + index * 0.2, index), "demo scores", null));
		}
	}

	/**
	 * The sandbox tasks stream: one sandbox per task serves every participant's
	 * submissions as they arrive, as the README's quick start shows.
	 */
	private static TaskDefinition task(String slug, String title, EvaluationMode evaluation, String metric,
			boolean higherIsBetter, int evaluationsPerSandbox) {
		return new TaskDefinition(slug, title, SubmissionKind.FILE, evaluation, metric, higherIsBetter, 5, 2, "id",
				1024 * 1024, "cpu-basic", evaluationsPerSandbox,
				(evaluation == EvaluationMode.SANDBOX) ? ReuseScope.TASK : ReuseScope.PARTICIPANT,
				Duration.ofMinutes(30), null);
	}

	private static void write(Path file, List<String> lines) {
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, lines);
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
