package dev.podium.importing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import dev.podium.problem.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The files of a competition repo, by their path in it, however they arrived: read from
 * the Hub, or unpacked from an uploaded zip archive.
 *
 * @param source what they were read from, as the import records it ({@code hf:<repo>} or
 * {@code archive:<sha-256>})
 * @param name a name to derive the competition's slug from
 */
record RepoFiles(String source, String name, Map<String, byte[]> files) {

	RepoFiles {
		files = new TreeMap<>(files);
	}

	Optional<byte[]> file(String path) {
		return Optional.ofNullable(this.files.get(path));
	}

	Optional<String> text(String path) {
		return file(path).map((bytes) -> new String(bytes, StandardCharsets.UTF_8));
	}

	/** Files directly under a folder ({@code submission_info/}), by their name in it. */
	Map<String, byte[]> under(String folder) {
		Map<String, byte[]> found = new LinkedHashMap<>();
		this.files.forEach((path, bytes) -> {
			if (path.startsWith(folder) && path.indexOf('/', folder.length()) < 0) {
				found.put(path.substring(folder.length()), bytes);
			}
		});
		return found;
	}

	long totalBytes() {
		return this.files.values().stream().mapToLong((bytes) -> bytes.length).sum();
	}

	/**
	 * Unpacks a zip archive of the repo's files, refusing what would be unsafe (paths
	 * that climb out, more bytes than {@code maxBytes} once unpacked). When every entry
	 * sits in one top folder (an archive of the checked-out repo), that folder is
	 * dropped.
	 */
	static RepoFiles unzip(byte[] archive, String name, String source, long maxBytes) {
		Map<String, byte[]> files = new LinkedHashMap<>();
		long total = 0;
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive), StandardCharsets.UTF_8)) {
			ZipEntry entry;
			while ((entry = zip.getNextEntry()) != null) {
				String path = entry.getName().replace('\\', '/');
				if (entry.isDirectory() || path.startsWith("__MACOSX/") || path.endsWith("/.DS_Store")
						|| path.equals(".DS_Store") || path.startsWith(".git/") || path.contains("/.git/")) {
					continue;
				}
				if (path.startsWith("/") || path.contains("../") || path.equals("..") || path.contains(":")) {
					throw invalid("the archive holds an unsafe path: " + path);
				}
				byte[] bytes = readBounded(zip, maxBytes - total);
				if (bytes == null) {
					throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "import-too-large", "Import too large",
							"The archive unpacks to more than " + maxBytes + " bytes")
						.with("maxBytes", maxBytes);
				}
				total += bytes.length;
				files.put(path, bytes);
			}
		}
		catch (ZipException ex) {
			throw invalid("the upload is not a readable zip archive");
		}
		catch (IOException ex) {
			throw invalid("the upload is not a readable zip archive");
		}
		if (files.isEmpty()) {
			throw invalid("the archive holds no files");
		}
		return new RepoFiles(source, name, withoutTopFolder(files));
	}

	private static Map<String, byte[]> withoutTopFolder(Map<String, byte[]> files) {
		String top = null;
		for (String path : files.keySet()) {
			int slash = path.indexOf('/');
			if (slash < 0) {
				return files;
			}
			String folder = path.substring(0, slash + 1);
			if (top == null) {
				top = folder;
			}
			else if (!top.equals(folder)) {
				return files;
			}
		}
		if (top == null || top.equals("submission_info/") || top.equals("submissions/")) {
			return files;
		}
		Map<String, byte[]> stripped = new LinkedHashMap<>();
		String prefix = top;
		files.forEach((path, bytes) -> stripped.put(path.substring(prefix.length()), bytes));
		return stripped;
	}

	/** The entry's bytes, or {@code null} when it has more than {@code left}. */
	private static byte[] readBounded(InputStream in, long left) throws IOException {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		long read = 0;
		int n;
		while ((n = in.read(buffer)) > 0) {
			read += n;
			if (read > left) {
				return null;
			}
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
	}

	private static ProblemException invalid(String detail) {
		return ProblemException.badRequest("invalid-archive", "The archive cannot be imported: " + detail);
	}

	@Override
	public String toString() {
		return "RepoFiles[" + this.source + ", " + this.files.size() + " files]";
	}

}
