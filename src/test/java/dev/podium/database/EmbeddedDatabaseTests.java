package dev.podium.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The embedded PostgreSQL exactly as a default start runs it: the home of a user's data,
 * so durable, and open only to Podium.
 */
class EmbeddedDatabaseTests {

	@TempDir
	Path dataDir;

	private final EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();

	@Test
	void writesEveryCommitToDisk() throws Exception {
		try (EmbeddedDatabase database = this.configuration.embeddedDatabase(this.dataDir);
				HikariDataSource dataSource = this.configuration.dataSource(database)) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
			assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
			assertThat(jdbc.queryForObject("show full_page_writes", String.class)).isEqualTo("on");
		}
	}

	@Test
	void acceptsOnlyThePasswordPodiumGeneratedForItself() throws Exception {
		Path passwordFile = this.dataDir.resolve("postgres.password");
		try (EmbeddedDatabase database = this.configuration.embeddedDatabase(this.dataDir)) {
			assertRefused(database, null);
			assertRefused(database, "postgres");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
				.isEqualTo("rw-------");
			try (Connection connection = connect(database, Files.readString(passwordFile))) {
				assertThat(connection.isValid(5)).isTrue();
			}
		}
		String password = Files.readString(passwordFile);
		try (EmbeddedDatabase again = this.configuration.embeddedDatabase(this.dataDir);
				HikariDataSource dataSource = this.configuration.dataSource(again)) {
			assertThat(Files.readString(passwordFile)).as("generated once").isEqualTo(password);
			assertThat(new JdbcTemplate(dataSource).queryForObject("select 1", Integer.class)).isEqualTo(1);
			assertRefused(again, null);
		}
	}

	@Test
	void locksAnEarlierTrustingDataDirectoryAndKeepsItsData() throws Exception {
		Path directory = this.dataDir.resolve("postgres");
		// what Podium made before it used a password: the embedded library's trust setup
		try (EmbeddedPostgres old = EmbeddedPostgres.builder()
			.setDataDirectory(directory)
			.setCleanDataDirectory(false)
			.start()) {
			new JdbcTemplate(old.getPostgresDatabase()).execute("create table kept as select 42 as answer");
		}
		try (EmbeddedDatabase database = this.configuration.embeddedDatabase(this.dataDir);
				HikariDataSource dataSource = this.configuration.dataSource(database)) {
			assertRefused(database, null);
			assertThat(new JdbcTemplate(dataSource).queryForObject("select answer from kept", Integer.class))
				.isEqualTo(42);
		}
		assertThat(Files.readString(directory.resolve("pg_hba.conf"))).doesNotContain("trust");
	}

	private static void assertRefused(EmbeddedDatabase database, String password) {
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> connect(database, password).close())
			.withMessageContaining("password");
	}

	private static Connection connect(EmbeddedDatabase database, String password) throws SQLException {
		return DriverManager.getConnection(database.jdbcUrl(), "postgres", password);
	}

}
