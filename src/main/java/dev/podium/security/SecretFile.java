package dev.podium.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret that Podium generates once and keeps in a file of the data directory (a
 * sealing key, the embedded database's password). The file is readable by its owner only
 * from the moment it exists: it is written under a temporary name created with those
 * permissions, synced, and linked into place, which fails rather than replaces when
 * another instance got there first; then everyone reads the winner's secret.
 */
public final class SecretFile {

	private static final Logger log = LoggerFactory.getLogger(SecretFile.class);

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private SecretFile() {
	}

	/**
	 * @return the secret in the file, generated and written first if the file does not
	 * exist
	 */
	public static String readOrCreate(Path file, Supplier<String> generate) {
		try {
			if (!Files.exists(file)) {
				create(file, generate.get());
			}
			else {
				tighten(file);
			}
			return Files.readString(file, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read or create " + file, ex);
		}
	}

	private static void create(Path file, String secret) throws IOException {
		Path directory = file.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
		FileAttribute<?>[] ownerOnly = posix
				? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) } : new FileAttribute<?>[0];
		Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", ownerOnly);
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
				channel.write(ByteBuffer.wrap(secret.getBytes(StandardCharsets.UTF_8)));
				channel.force(true);
			}
			try {
				Files.createLink(file, temporary);
			}
			catch (FileAlreadyExistsException ex) {
				// another instance wrote it first: its secret counts
			}
			catch (UnsupportedOperationException ex) {
				Files.move(temporary, file);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/** Files written before Podium created them owner-only. */
	private static void tighten(Path file) throws IOException {
		if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			return;
		}
		if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
			Files.setPosixFilePermissions(file, OWNER_ONLY);
			log.warn("{} was readable by others; it is now readable by its owner only", file);
		}
	}

}
