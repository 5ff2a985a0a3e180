package dev.podium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.SpringApplication;

/**
 * One real PostgreSQL server per test JVM, shared by every Spring context: a
 * Testcontainers container where Docker runs, an embedded server otherwise. Each context
 * gets a database of its own on that server, so contexts never see each other's rows.
 */
public final class TestDatabase {

	private static final AtomicInteger databases = new AtomicInteger();

	private static volatile Server server;

	private TestDatabase() {
	}

	/**
	 * A new, empty database; returns its JDBC URL (user {@link #USER}, no password
	 * needed).
	 */
	public static Credentials createDatabase() {
		Server server = server();
		String name = "podium_test_" + databases.incrementAndGet();
		try (Connection connection = DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return new Credentials(server.urlFor(name), server.user(), server.password());
	}

	public record Credentials(String url, String user, String password) {
	}

	private record Server(String host, int port, String user, String password) {

		String adminUrl() {
			return urlFor("postgres");
		}

		String urlFor(String database) {
			return "jdbc:postgresql://%s:%d/%s".formatted(this.host, this.port, database);
		}

	}

	private static Server server() {
		if (server == null) {
			synchronized (TestDatabase.class) {
				if (server == null) {
					server = start();
				}
			}
		}
		return server;
	}

	private static Server start() {
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
			container.start();
			return new Server(container.getHost(), container.getMappedPort(5432), container.getUsername(),
					container.getPassword());
		}
		try {
			// Stopped after Spring Boot has closed every context of the run, not beside
			// them (the library's own JVM hook did): contexts closing against a stopping
			// server waited out their pools' timeouts, and Surefire killed the JVM 30 s
			// after the last test.
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
			SpringApplication.getShutdownHandlers().add(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// the JVM is going away; the temporary directory goes with it
				}
			});
			return new Server("localhost", postgres.getPort(), "postgres", "postgres");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL for tests", ex);
		}
	}

	private static boolean dockerAvailable() {
		if ("false".equals(System.getenv("PODIUM_TEST_DOCKER"))) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
