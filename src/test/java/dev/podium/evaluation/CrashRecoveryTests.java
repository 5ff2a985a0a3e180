package dev.podium.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.podium.PodiumApplication;
import dev.podium.TestDatabase;
import dev.podium.TestSupport;
import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionDefinition;
import dev.podium.competition.Competitions;
import dev.podium.competition.EvaluationMode;
import dev.podium.competition.ReuseScope;
import dev.podium.competition.SubmissionKind;
import dev.podium.competition.TaskDefinition;
import dev.podium.security.Accounts;
import dev.podium.security.IssuedAccount;
import dev.podium.submission.SubmissionIntake;
import dev.podium.submission.SubmissionIntake.FileEntry;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance killed with {@code kill -9} between a step's act and its record, at each
 * step in turn: the instance that carries on loses nothing, evaluates nothing twice,
 * charges nothing twice and deletes every sandbox. Runs on the real clock with short
 * leases; the killed instance is a child process.
 */
class CrashRecoveryTests {

	static final int SUBMISSIONS = 4;

	@TempDir
	Path dataDir;

	@ParameterizedTest
	@ValueSource(strings = { "create", "watch", "destroy" })
	void aKilledInstanceLosesNothingAndRepeatsNothing(String step) throws Exception {
		TestDatabase.Credentials database = TestDatabase.createDatabase();
		try (ConfigurableApplicationContext setUp = start(database, false)) {
			queueWork(setUp);
		}

		Process crashing = new ProcessBuilder(command(step, database)).redirectErrorStream(true)
			.redirectOutput(this.dataDir.resolve("crashing.log").toFile())
			.start();
		boolean ended = crashing.waitFor(120, TimeUnit.SECONDS);
		if (!ended) {
			crashing.destroyForcibly();
		}
		assertThat(ended).as("the instance died at step " + step).isTrue();
		assertThat(crashing.exitValue()).as(Files.readString(this.dataDir.resolve("crashing.log"))).isEqualTo(137);

		try (ConfigurableApplicationContext survivor = start(database, true)) {
			JdbcTemplate jdbc = survivor.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> count(jdbc, "select count(*) from submissions where status = 'SCORED'") == SUBMISSIONS
						&& count(jdbc, "select count(*) from sandboxes where status <> 'DESTROYED'") == 0);
			assertThat(count(jdbc, "select count(*) from submission_transitions where status = 'SCORED'"))
				.as("no result recorded twice")
				.isEqualTo(SUBMISSIONS);
			assertThat(count(jdbc, "select count(*) from creation_charges where refunded_at is null"))
				.as("one charge per sandbox")
				.isEqualTo(count(jdbc, "select count(*) from sandboxes"));
			await().atMost(Duration.ofSeconds(30)).until(() -> leftoverSandboxDirectories() == 0);
		}
	}

	private void queueWork(ConfigurableApplicationContext context) {
		Competitions competitions = context.getBean(Competitions.class);
		Competition competition = competitions.create(new CompetitionDefinition("crash", "Crash",
				Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), ZoneId.of("UTC"),
				List.of(new TaskDefinition("t", "T", SubmissionKind.FILE, EvaluationMode.SANDBOX, "accuracy_score",
						true, 5, 2, "id", 4096, "cpu-basic", 1, ReuseScope.PARTICIPANT, Duration.ofMinutes(5), null,
						Duration.ofMinutes(30), Duration.ZERO))));
		competitions.uploadSolution(competition.task("t").orElseThrow(),
				TestSupport.SOLUTION.getBytes(StandardCharsets.UTF_8));
		SubmissionIntake intake = context.getBean(SubmissionIntake.class);
		for (int p = 0; p < 2; p++) {
			IssuedAccount participant = context.getBean(Accounts.class).createParticipant(competition.id(), "p" + p);
			for (int i = 0; i < SUBMISSIONS / 2; i++) {
				intake.submitFile(participant.user(), "crash", "t", new FileEntry("predictions.csv",
						TestSupport.PREDICTIONS.getBytes(StandardCharsets.UTF_8), null, null));
			}
		}
	}

	private List<String> command(String step, TestDatabase.Credentials database) {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
				System.getProperty("java.class.path"), CrashingInstance.class.getName(), step));
		command.addAll(properties(database, true));
		return command;
	}

	private ConfigurableApplicationContext start(TestDatabase.Credentials database, boolean scheduling) {
		return new SpringApplicationBuilder(PodiumApplication.class)
			.run(properties(database, scheduling).toArray(String[]::new));
	}

	private List<String> properties(TestDatabase.Credentials database, boolean scheduling) {
		return List.of("--server.port=0", "--spring.main.banner-mode=off", "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.user(),
				"--spring.datasource.password=" + database.password(), "--podium.data-dir=" + this.dataDir,
				"--podium.demo.enabled=false", "--podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
				"--podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY,
				"--podium.evaluation.scheduler-enabled=" + scheduling, "--podium.evaluation.poll-interval=200ms",
				"--podium.evaluation.lease-duration=3s", "--podium.evaluation.retry-base-delay=200ms",
				"--podium.evaluation.reap-interval=2s", "--podium.sandbox.local.startup-delay=1s",
				"--podium.rate-limit.enabled=false", "--spring.lifecycle.timeout-per-shutdown-phase=5s",
				// the same file again and again, and as many at once as the sandboxes
				// take: these
				// tests are about crashes, not about duplicates or the in-flight cap
				"--podium.submission.refuse-duplicates=false", "--podium.submission.default-max-in-flight=1000");
	}

	private long leftoverSandboxDirectories() throws IOException {
		Path sandboxes = this.dataDir.resolve("sandboxes");
		if (!Files.isDirectory(sandboxes)) {
			return 0;
		}
		try (Stream<Path> entries = Files.list(sandboxes)) {
			return entries.count();
		}
	}

	private static int count(JdbcTemplate jdbc, String sql) {
		return jdbc.queryForObject(sql, Integer.class);
	}

}
