package dev.podium.database;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.security.SecretFile;
import dev.podium.security.Tokens;

/**
 * The PostgreSQL that Podium runs in its data directory when no database is configured:
 * the default home of a user's data, so it writes every commit to disk (the embedded
 * library's test defaults, {@code -F} and {@code synchronous_commit=off}, are turned
 * back), and it takes connections only with a password that Podium generated for itself
 * into {@code postgres.password} (readable by its owner only), never on trust.
 */
final class EmbeddedDatabase implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

	static final String USER = "postgres";

	/** Every connection, over TCP or the socket, needs the password. */
	private static final List<String> PASSWORD_ONLY = List.of(
			"# Written by Podium at every start: every connection needs the password in postgres.password.",
			"local all all scram-sha-256", "host all all 127.0.0.1/32 scram-sha-256",
			"host all all ::1/128 scram-sha-256");

	/**
	 * For the one start that gives an older, trusting data directory its password:
	 * Podium's own superuser from this machine only, and only until the password is set.
	 */
	private static final List<String> UNTIL_THE_PASSWORD_IS_SET = List.of(
			"# Written by Podium for the start that sets the password; replaced right after.",
			"host postgres postgres 127.0.0.1/32 trust", "host postgres postgres ::1/128 trust");

	private final EmbeddedPostgres server;

	private final Path directory;

	private final String password;

	private EmbeddedDatabase(EmbeddedPostgres server, Path directory, String password) {
		this.server = server;
		this.directory = directory;
		this.password = password;
	}

	/** Starts (or, the first time, creates) the server whose data is in the directory. */
	static EmbeddedDatabase start(Path dataDir) throws IOException {
		Path directory = dataDir.resolve("postgres").toAbsolutePath();
		Path passwordFile = dataDir.resolve("postgres.password").toAbsolutePath();
		Files.createDirectories(directory);
		stopOrphan(directory);
		boolean fresh = !Files.exists(directory.resolve("postgresql.conf"));
		boolean trusting = !fresh && trusts(directory.resolve("pg_hba.conf"));
		if (!fresh && !trusting && !Files.exists(passwordFile)) {
			throw new IllegalStateException("The embedded PostgreSQL in " + directory + " needs its password, " + "but "
					+ passwordFile + " is missing: restore it from a backup of the data directory");
		}
		String password = SecretFile.readOrCreate(passwordFile, () -> Tokens.generate(""));
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(directory)
			.setCleanDataDirectory(false)
			// stopped as a bean, after everything that uses it: the library's own JVM
			// hook
			// stopped it beside the closing context, whose last writes (the scheduler's
			// leases) then failed
			.setRegisterShutdownHook(false)
			// given after the library's own -F and synchronous_commit=off, so they win
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")
			// the library's readiness check connects too
			.setConnectConfig("password", password)
			.setDataDirectoryCustomizer(
					(data) -> writeAccessRules(data.toPath(), trusting ? UNTIL_THE_PASSWORD_IS_SET : PASSWORD_ONLY));
		if (fresh) {
			// The library passes its locale settings to initdb as --name=value: this sets
			// the superuser's password when the cluster is made, so it never trusts
			// anyone.
			builder.setLocaleConfig("pwfile", passwordFile.toString());
		}
		log.info("No spring.datasource.url set: starting embedded PostgreSQL with data in {}", directory);
		EmbeddedPostgres server = builder.start();
		EmbeddedDatabase database = new EmbeddedDatabase(server, directory, password);
		if (trusting) {
			try {
				database.setPasswordOnTrustingServer();
			}
			catch (IOException | RuntimeException ex) {
				// no bean will stop it, and no hook: stop it here rather than leave it
				// running
				server.close();
				throw ex;
			}
		}
		return database;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://localhost:%d/postgres".formatted(this.server.getPort());
	}

	String password() {
		return this.password;
	}

	/**
	 * Gives the superuser the password, then closes the door behind it: in this order, so
	 * that a crash in between leaves a directory that the next start migrates again.
	 */
	private void setPasswordOnTrustingServer() throws IOException {
		try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, null);
				Statement statement = connection.createStatement()) {
			// A utility statement takes no parameters; the password is URL-safe base64.
			statement.execute("alter role postgres password '" + this.password + "'");
			writeAccessRules(this.directory, PASSWORD_ONLY);
			statement.execute("select pg_reload_conf()");
		}
		catch (SQLException ex) {
			throw new IOException("Could not give the embedded PostgreSQL its password", ex);
		}
		log.warn("The embedded PostgreSQL trusted local connections; it now requires the password in "
				+ "postgres.password");
	}

	private static boolean trusts(Path rules) throws IOException {
		return Files.exists(rules) && Files.readAllLines(rules)
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.anyMatch((line) -> line.matches(".*\\btrust\\b.*"));
	}

	private static void writeAccessRules(Path dataDirectory, List<String> rules) {
		Path file = dataDirectory.resolve("pg_hba.conf");
		try {
			Path temporary = Files.createTempFile(dataDirectory, "pg_hba", ".tmp");
			Files.write(temporary, rules, StandardCharsets.UTF_8);
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
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

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
