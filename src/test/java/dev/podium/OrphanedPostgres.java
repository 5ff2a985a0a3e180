package dev.podium;

import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts the embedded PostgreSQL on a data directory and waits to be killed, as a Podium
 * killed with -9 would leave it: tests run it as a child process and kill it.
 */
public final class OrphanedPostgres {

	private OrphanedPostgres() {
	}

	public static void main(String[] args) throws Exception {
		EmbeddedPostgres.builder().setDataDirectory(Path.of(args[0])).setCleanDataDirectory(false).start();
		System.out.println("started");
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
