package dev.podium;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Two Podium instances share one database, as replicas do; one is stopped in the middle
 * of work. Every submission still reaches a final state exactly once, and no sandbox is
 * left. Runs on the real clock with short delays.
 */
class RollingRestartTests {

	@TempDir
	Path dataDir;

	@Test
	void stoppingOneOfTwoInstancesMidWorkLosesNothing() throws Exception {
		TestDatabase.Credentials database = TestDatabase.createDatabase();
		ConfigurableApplicationContext first = start(database);
		ConfigurableApplicationContext second = start(database);
		try {
			Competitions competitions = first.getBean(Competitions.class);
			Competition competition = competitions.create(new CompetitionDefinition("rolling", "Rolling",
					Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), ZoneId.of("UTC"),
					List.of(new TaskDefinition("t", "T", SubmissionKind.FILE, EvaluationMode.SANDBOX, "accuracy_score",
							true, 5, 2, "id", 4096, "cpu-basic", 1, ReuseScope.PARTICIPANT, Duration.ofMinutes(5),
							null))));
			competitions.uploadSolution(competition.task("t").orElseThrow(),
					TestSupport.SOLUTION.getBytes(StandardCharsets.UTF_8));
			SubmissionIntake intake = first.getBean(SubmissionIntake.class);
			for (int p = 0; p < 4; p++) {
				IssuedAccount participant = first.getBean(Accounts.class).createParticipant(competition.id(), "p" + p);
				for (int i = 0; i < 3; i++) {
					intake.submitFile(participant.user(), "rolling", "t", new FileEntry("predictions.csv",
							TestSupport.PREDICTIONS.getBytes(StandardCharsets.UTF_8), null, null));
				}
			}
			JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> count(jdbc, "select count(*) from sandboxes where lease_owner is not null") >= 2);
			first.close();

			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> count(jdbc, "select count(*) from submissions where status in ('SCORED', 'FAILED')") == 12
						&& count(jdbc, "select count(*) from sandboxes where status <> 'DESTROYED'") == 0);
			assertThat(count(jdbc, "select count(*) from submissions where status = 'SCORED'")).isEqualTo(12);
			assertThat(count(jdbc, "select count(*) from submission_transitions where status = 'SCORED'"))
				.as("no duplicate result")
				.isEqualTo(12);
			await().atMost(Duration.ofSeconds(30)).until(() -> leftoverSandboxDirectories() == 0);
		}
		finally {
			first.close();
			second.close();
		}
	}

	private long leftoverSandboxDirectories() throws Exception {
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

	private ConfigurableApplicationContext start(TestDatabase.Credentials database) {
		return new SpringApplicationBuilder(PodiumApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off", "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.user(),
				"--spring.datasource.password=" + database.password(), "--podium.data-dir=" + this.dataDir,
				"--podium.demo.enabled=false", "--podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
				"--podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY,
				"--podium.evaluation.poll-interval=200ms", "--podium.evaluation.lease-duration=3s",
				"--podium.evaluation.retry-base-delay=200ms", "--podium.evaluation.reap-interval=2s",
				"--podium.sandbox.local.startup-delay=1s", "--podium.sandbox.max-concurrent=3",
				"--spring.lifecycle.timeout-per-shutdown-phase=5s",
				// the same file again and again, and as many at once as the sandboxes
				// take: these
				// tests are about crashes, not about duplicates or the in-flight cap
				"--podium.submission.refuse-duplicates=false", "--podium.submission.default-max-in-flight=1000");
	}

}
