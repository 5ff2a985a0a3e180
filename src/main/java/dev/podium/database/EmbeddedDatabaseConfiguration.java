package dev.podium.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts a real PostgreSQL under {@code ${podium.data-dir}/postgres} when no
 * {@code spring.datasource.url} is configured, so that a new user runs Podium with
 * nothing installed and keeps their data across restarts. With a configured URL nothing
 * embedded starts and Boot's own DataSource applies.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDataSourceUrl.class)
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(@Value("${podium.data-dir:./data}") Path dataDir) throws IOException {
		Path directory = dataDir.resolve("postgres").toAbsolutePath();
		Files.createDirectories(directory);
		stopOrphan(directory);
		log.info("No spring.datasource.url set: starting embedded PostgreSQL with data in {}", directory);
		return EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false).start();
	}

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		return DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.url(postgres.getJdbcUrl("postgres", "postgres"))
			.username("postgres")
			.build();
	}

	/**
	 * A Podium killed with -9 leaves its PostgreSQL running on the data directory, and a
	 * new one could not start. The server's own lock file names it: stop it (it has no
	 * clients left) and carry on with the same data.
	 */
	static void stopOrphan(Path directory) throws IOException {
		Path lockFile = directory.resolve("postmaster.pid");
		if (!Files.exists(lockFile)) {
			return;
		}
		long pid;
		try {
			pid = Long.parseLong(Files.readAllLines(lockFile).get(0).trim());
		}
		catch (RuntimeException ex) {
			return;
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		if (process.isEmpty() || !process.get().info().command().orElse("").contains("postgres")) {
			// a stale lock file after a machine restart: PostgreSQL itself ignores it
			return;
		}
		log.warn("An embedded PostgreSQL left running by an earlier Podium (pid {}) holds {}: stopping it", pid,
				directory);
		process.get().destroy();
		try {
			process.get().onExit().get(30, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			process.get().destroyForcibly();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			throw new IOException("Could not stop the PostgreSQL left on " + directory, ex);
		}
	}

	static class NoDataSourceUrl implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
		}

	}

}
