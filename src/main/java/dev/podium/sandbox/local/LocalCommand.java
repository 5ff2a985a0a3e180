package dev.podium.sandbox.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task's {@code localCommand} for one job, apart from Podium: with an allowlisted
 * environment ({@code PATH}, {@code LANG}, a fresh {@code HOME} and {@code TMPDIR}, the
 * job's own variables and {@code OUTPUT_PATH}; nothing else of the JVM's, which holds
 * database passwords and keys), in a fresh directory, and isolated:
 * <ul>
 * <li>where Podium runs as root, as a user of its own for this job ({@code setpriv}, a
 * random uid and gid without groups or new privileges): Podium's process environment
 * ({@code /proc/<pid>/environ}), its owner-only files and other jobs' directories are out
 * of reach, and every process left with that uid is killed when the job ends;</li>
 * <li>otherwise in new user, PID and mount namespaces ({@code unshare}): Podium's
 * processes are not visible, and its data directory and the other jobs' directories are
 * covered;</li>
 * <li>where neither works (no {@code setpriv} as root; user namespaces disabled, as in
 * most containers), commands do not run and every job fails as the platform's fault,
 * unless {@code podium.sandbox.local.allow-unisolated-commands} accepts running them as
 * Podium itself (for a single-user machine only).</li>
 * </ul>
 * Scores never come from the command: it writes predictions as CSV to {@code OUTPUT_PATH}
 * and Podium scores them against the hidden solution. Its output is kept only as a short,
 * redacted tail for failure messages.
 */
final class LocalCommand {

	private static final Logger log = LoggerFactory.getLogger(LocalCommand.class);

	/** How much of the command's output is kept, in memory, for its failure message. */
	private static final int KEPT_OUTPUT = 4096;

	private static final int TAIL_LINES = 5;

	private static final int TAIL_CHARACTERS = 300;

	/** Job users are picked far above any system's users and container id ranges. */
	private static final int FIRST_JOB_UID = 2_000_000_000;

	private static final int JOB_UIDS = 100_000_000;

	private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

	/** Token-like strings, values of secret-looking settings, long opaque strings. */
	private static final List<Map.Entry<Pattern, String>> SECRETS = List
		.of(Map.entry(Pattern.compile("(?i)\\b(?:hf|pod|sbx|whsec)_[A-Za-z0-9+/=_-]{6,}"), "<redacted>"),
				Map.entry(Pattern.compile(
						"(?i)(token|secret|passw(?:or)?d|api[_-]?key|authorization|bearer)(\\s*[=:]\\s*|\\s+)\\S+"),
						"$1$2<redacted>"),
				Map.entry(Pattern.compile("[A-Za-z0-9+/=_-]{32,}"), "<redacted>"));

	/** The variables Podium sets itself, which a job's cannot replace. */
	private static final List<String> OWN_VARIABLES = List.of("PATH", "LANG", "HOME", "TMPDIR", "OUTPUT_PATH");

	private static final SecureRandom random = new SecureRandom();

	/** How a command is kept apart from Podium on this machine. */
	enum Isolation {

		/** Podium is root: each job runs as a user of its own. */
		OWN_USER,

		/** Podium is not root: new user, PID and mount namespaces. */
		NAMESPACES,

		/**
		 * Accepted by configuration: as Podium's own user, with the allowlisted
		 * environment only.
		 */
		NONE,

		/** Nothing isolates here, and running without isolation is not accepted. */
		UNAVAILABLE

	}

	/**
	 * One job.
	 *
	 * @param variables the job's documented variables ({@code PODIUM_MODEL_ID}, ...);
	 * upper case names only, and none of those Podium sets itself
	 * @param maxPredictionBytes the largest predictions file accepted
	 */
	record Request(String command, Map<String, String> variables, Duration timeLimit, long maxPredictionBytes) {
	}

	/** Whose fault a failed job is: counted against the participant, or retried. */
	enum Fault {

		SUBMISSION, PLATFORM

	}

	/** What became of a job. */
	sealed interface Outcome {

		/**
		 * The command wrote these predictions to {@code OUTPUT_PATH}, for Podium to
		 * score.
		 */
		record Predictions(byte[] csv) implements Outcome {
		}

		/**
		 * @param message safe to show the participant: no raw output beyond a redacted
		 * tail
		 */
		record Failed(Fault fault, String message) implements Outcome {
		}

		/**
		 * The command ran over its time limit and was killed with everything it started.
		 */
		record TimedOut(Duration limit) implements Outcome {
		}

	}

	private final Isolation isolation;

	/** Covered in {@link Isolation#NAMESPACES}; out of reach by permissions as root. */
	private final Path dataDir;

	private final Path jobsRoot;

	LocalCommand(Isolation isolation, Path dataDir, Path jobsRoot) {
		this.isolation = isolation;
		this.dataDir = dataDir.toAbsolutePath();
		this.jobsRoot = jobsRoot.toAbsolutePath();
	}

	/** The best isolation this machine offers. */
	static LocalCommand onThisMachine(Path dataDir, boolean allowUnisolated) {
		Path jobsRoot = Path.of(System.getProperty("java.io.tmpdir"), "podium-jobs-" + ProcessHandle.current().pid());
		Isolation isolation = detect(allowUnisolated, jobsRoot);
		switch (isolation) {
			case OWN_USER -> log.info("Task commands run as a user of their own (setpriv)");
			case NAMESPACES -> log.info("Task commands run in user, PID and mount namespaces of their own (unshare)");
			case NONE -> log.warn("Task commands run as Podium's own user, without isolation "
					+ "(podium.sandbox.local.allow-unisolated-commands): they can read Podium's files and processes");
			case UNAVAILABLE -> log.warn("Task commands cannot be isolated here (root without setpriv, or user "
					+ "namespaces unavailable): jobs with a localCommand fail until one is possible or "
					+ "podium.sandbox.local.allow-unisolated-commands is set");
		}
		return new LocalCommand(isolation, dataDir, jobsRoot);
	}

	Isolation isolation() {
		return this.isolation;
	}

	Outcome run(Request request) {
		if (this.isolation == Isolation.UNAVAILABLE) {
			return new Outcome.Failed(Fault.PLATFORM, "this Podium cannot run evaluation commands apart from itself "
					+ "(it needs root with setpriv, or user namespaces); an operator must enable one");
		}
		for (String name : request.variables().keySet()) {
			if (!VARIABLE.matcher(name).matches() || OWN_VARIABLES.contains(name)) {
				throw new IllegalArgumentException("Not a job variable: " + name);
			}
		}
		Path job;
		try {
			Files.createDirectories(this.jobsRoot);
			job = Files.createTempDirectory(this.jobsRoot, "job-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (IOException ex) {
			return new Outcome.Failed(Fault.PLATFORM, "could not prepare the evaluation's directory");
		}
		int uid = FIRST_JOB_UID + random.nextInt(JOB_UIDS);
		try {
			return runIn(job, uid, request);
		}
		finally {
			if (this.isolation == Isolation.OWN_USER) {
				killEverythingOf(uid);
			}
			delete(job);
		}
	}

	private Outcome runIn(Path job, int uid, Request request) {
		// In namespaces the job's directory is seen where the data directory was.
		Path seen = (this.isolation == Isolation.NAMESPACES) ? this.dataDir : job;
		Path output = job.resolve("predictions.csv");
		Process process;
		OutputTail tail = new OutputTail();
		try {
			Files.createDirectory(job.resolve("tmp"));
			if (this.isolation == Isolation.OWN_USER) {
				chown(job, uid);
				chown(job.resolve("tmp"), uid);
			}
			ProcessBuilder builder = new ProcessBuilder(commandLine(job, uid, request.command()))
				.directory(job.toFile())
				.redirectErrorStream(true);
			Map<String, String> environment = builder.environment();
			environment.clear();
			environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
			environment.put("LANG", System.getenv().getOrDefault("LANG", "C.UTF-8"));
			environment.putAll(request.variables());
			environment.put("HOME", seen.toString());
			environment.put("TMPDIR", seen.resolve("tmp").toString());
			environment.put("OUTPUT_PATH", seen.resolve("predictions.csv").toString());
			process = builder.start();
		}
		catch (IOException ex) {
			return new Outcome.Failed(Fault.PLATFORM, "the evaluation command could not start");
		}
		Thread reader = new Thread(() -> tail.readAll(process.getInputStream()), "podium-local-command-output");
		reader.setDaemon(true);
		reader.start();
		try {
			if (!process.waitFor(request.timeLimit().toMillis(), TimeUnit.MILLISECONDS)) {
				killTree(process);
				return new Outcome.TimedOut(request.timeLimit());
			}
			reader.join(5000);
		}
		catch (InterruptedException ex) {
			killTree(process);
			Thread.currentThread().interrupt();
			return new Outcome.Failed(Fault.PLATFORM, "the evaluation was interrupted");
		}
		// what it started in the background ends with it
		killTree(process);
		if (process.exitValue() != 0) {
			return new Outcome.Failed(Fault.SUBMISSION,
					"the evaluation command exited with status " + process.exitValue() + tail.redacted());
		}
		return predictions(output, request.maxPredictionBytes());
	}

	/**
	 * The command's predictions, if it wrote a plain file of its own there: a link could
	 * make Podium read (and quote in problems) a file the command could not.
	 */
	private static Outcome predictions(Path output, long limit) {
		try {
			BasicFileAttributes attributes;
			try {
				attributes = Files.readAttributes(output, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			}
			catch (IOException ex) {
				// like the Space app: a command that ran to its end and wrote nothing is
				// the participant's fault, counted, and not worth another sandbox
				return new Outcome.Failed(Fault.SUBMISSION,
						"the evaluation command succeeded but wrote no predictions to $OUTPUT_PATH");
			}
			if (!attributes.isRegularFile() || links(output) != 1) {
				return new Outcome.Failed(Fault.SUBMISSION, "$OUTPUT_PATH is not a plain file");
			}
			if (attributes.size() > limit) {
				return new Outcome.Failed(Fault.SUBMISSION,
						"the predictions exceed the task's limit of " + limit + " bytes");
			}
			try (InputStream in = Files.newInputStream(output, LinkOption.NOFOLLOW_LINKS)) {
				byte[] csv = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
				if (csv.length > limit) {
					return new Outcome.Failed(Fault.SUBMISSION,
							"the predictions exceed the task's limit of " + limit + " bytes");
				}
				return new Outcome.Predictions(csv);
			}
		}
		catch (IOException ex) {
			return new Outcome.Failed(Fault.PLATFORM, "the predictions could not be read");
		}
	}

	private static int links(Path file) throws IOException {
		try {
			return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return 1;
		}
	}

	private List<String> commandLine(Path job, int uid, String command) {
		return switch (this.isolation) {
			case OWN_USER -> List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--no-new-privs",
					"sh", "-c", command);
			// the job's directory is mounted over the data directory (covering it), the
			// jobs' directories are covered, and only then the command runs
			case NAMESPACES -> List.of("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
					"--kill-child", "sh", "-c",
					"mount --bind \"$1\" \"$2\" && mount -t tmpfs -o size=4k,mode=000 podium-jobs \"$3\" "
							+ "&& cd \"$2\" && exec sh -c \"$4\"",
					"sh", job.toString(), this.dataDir.toString(), this.jobsRoot.toString(), command);
			case NONE, UNAVAILABLE -> List.of("sh", "-c", command);
		};
	}

	private static Isolation detect(boolean allowUnisolated, Path jobsRoot) {
		if (isRoot()) {
			if (succeeds(List.of("setpriv", "--reuid=" + FIRST_JOB_UID, "--regid=" + FIRST_JOB_UID, "--clear-groups",
					"--no-new-privs", "true"))) {
				return Isolation.OWN_USER;
			}
		}
		else if (succeeds(List.of("unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
				"--kill-child", "sh", "-c", "mount -t tmpfs podium-probe /tmp"))) {
			return Isolation.NAMESPACES;
		}
		return allowUnisolated ? Isolation.NONE : Isolation.UNAVAILABLE;
	}

	private static boolean isRoot() {
		try {
			return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static boolean succeeds(List<String> command) {
		try {
			Process probe = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void chown(Path path, int uid) throws IOException {
		Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
		Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
	}

	private static void killTree(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	/** Also what left the process tree (a daemon): the job's user is its alone. */
	private static void killEverythingOf(int uid) {
		ProcessHandle.allProcesses().filter((process) -> uidOf(process) == uid).forEach(ProcessHandle::destroyForcibly);
	}

	/** The owner of {@code /proc/<pid>}: the process's user, also one without a name. */
	private static int uidOf(ProcessHandle process) {
		try {
			return (Integer) Files.getAttribute(Path.of("/proc", Long.toString(process.pid())), "unix:uid");
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					log.warn("Could not delete {}: {}", path, ex.getMessage());
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			log.warn("Could not delete {}: {}", directory, ex.getMessage());
		}
	}

	/** The last few kilobytes of the command's output, in memory only. */
	private static final class OutputTail {

		private final byte[] ring = new byte[KEPT_OUTPUT];

		private long written;

		void readAll(InputStream output) {
			byte[] buffer = new byte[8192];
			try (output) {
				int read;
				while ((read = output.read(buffer)) >= 0) {
					synchronized (this) {
						for (int i = 0; i < read; i++) {
							this.ring[(int) (this.written++ % KEPT_OUTPUT)] = buffer[i];
						}
					}
				}
			}
			catch (IOException ex) {
				// the process is gone: what was read is all there is
			}
		}

		/** A few last lines, secrets and long opaque strings replaced: for messages. */
		synchronized String redacted() {
			int kept = (int) Math.min(this.written, KEPT_OUTPUT);
			byte[] last = new byte[kept];
			for (int i = 0; i < kept; i++) {
				last[i] = this.ring[(int) ((this.written - kept + i) % KEPT_OUTPUT)];
			}
			String text = new String(last, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^\n]]", " ");
			List<String> lines = new ArrayList<>(text.lines().map(String::strip).filter((l) -> !l.isEmpty()).toList());
			List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
			String joined = String.join(" | ", tail);
			for (Map.Entry<Pattern, String> secret : SECRETS) {
				joined = secret.getKey().matcher(joined).replaceAll(secret.getValue());
			}
			if (joined.length() > TAIL_CHARACTERS) {
				joined = "…" + joined.substring(joined.length() - TAIL_CHARACTERS);
			}
			return joined.isEmpty() ? "" : ": " + joined;
		}

	}

	static Map<String, String> variables(String... pairs) {
		Map<String, String> variables = new LinkedHashMap<>();
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			if (pairs[i + 1] != null) {
				variables.put(pairs[i], pairs[i + 1]);
			}
		}
		return variables;
	}

}
