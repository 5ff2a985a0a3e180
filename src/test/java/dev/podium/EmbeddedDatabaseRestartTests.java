package dev.podium;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.podium.competition.Competitions;
import dev.podium.security.Accounts;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new user gets from {@code ./mvnw spring-boot:run}: with no database configured,
 * Podium starts its own PostgreSQL in the data directory, seeds the demo, and finds
 * everything again after a restart.
 */
class EmbeddedDatabaseRestartTests {

	@TempDir
	Path dataDir;

	@Test
	void seedsTheDemoOnceAndKeepsEverythingAcrossARestart() throws Exception {
		List<String> tokens;
		try (ConfigurableApplicationContext first = start()) {
			Competitions competitions = first.getBean(Competitions.class);
			assertThat(competitions.find("demo")).hasValueSatisfying((demo) -> {
				assertThat(demo.tasks()).hasSize(3);
				assertThat(first.getBean(Accounts.class).countParticipants(demo.id())).isEqualTo(10);
			});
			Path tokenFile = this.dataDir.resolve("demo-tokens.txt");
			tokens = Files.readAllLines(tokenFile);
			assertThat(tokens).filteredOn((line) -> line.startsWith("PARTICIPANT ")).hasSize(10);
			assertThat(first.getBean(Accounts.class).authenticate(TestSupport.ADMIN_TOKEN)).isPresent();
			// The demo's inline task scores its sample submissions at once.
			JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject("select count(*) from submissions where status = 'SCORED'",
						Integer.class) >= 6);
		}
		assertThat(this.dataDir.resolve("postgres/PG_VERSION")).exists();

		try (ConfigurableApplicationContext second = start()) {
			assertThat(second.getBean(Competitions.class).all()).hasSize(1);
			String participantToken = tokens.stream()
				.filter((line) -> line.startsWith("PARTICIPANT participant-01 "))
				.findFirst()
				.orElseThrow()
				.split(" ")[2];
			assertThat(second.getBean(Accounts.class).authenticate(participantToken))
				.hasValueSatisfying((user) -> assertThat(user.name()).isEqualTo("participant-01"));
			assertThat(Files.readAllLines(this.dataDir.resolve("demo-tokens.txt"))).isEqualTo(tokens);
		}
	}

	@Test
	void startsAfterAKilledPodiumLeftItsPostgreSQLRunning() throws Exception {
		// What kill -9 leaves behind: the server still running on the data directory.
		Process killed = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
				System.getProperty("java.class.path"), OrphanedPostgres.class.getName(),
				this.dataDir.resolve("postgres").toString())
			.redirectErrorStream(true)
			.start();
		try (BufferedReader output = new BufferedReader(new InputStreamReader(killed.getInputStream()))) {
			String line;
			while ((line = output.readLine()) != null && !line.equals("started")) {
				// the child's start-up log
			}
		}
		killed.destroyForcibly().waitFor();
		long orphanPid = Long.parseLong(Files.readAllLines(this.dataDir.resolve("postgres/postmaster.pid")).get(0));
		assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).isPresent();

		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBean(Competitions.class).find("demo")).isPresent();
			assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).isEmpty();
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(PodiumApplication.class).run("--server.port=0",
				"--podium.data-dir=" + this.dataDir, "--podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
				"--spring.main.banner-mode=off");
	}

}
