package dev.podium.sandbox.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.podium.sandbox.local.LocalCommand.Fault;
import dev.podium.sandbox.local.LocalCommand.Outcome;
import dev.podium.sandbox.local.LocalCommand.Request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A task's command as a hostile participant's model would run it: it sees nothing of
 * Podium's, reports nothing but a predictions file, and is stopped on time.
 */
class LocalCommandTests {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	@TempDir
	Path dataDir;

	@TempDir
	Path jobs;

	LocalCommand command;

	@BeforeEach
	void thisMachinesIsolation() {
		this.command = LocalCommand.onThisMachine(this.dataDir, false);
	}

	@Test
	void runsWithTheAllowlistedEnvironmentOnly() {
		assumeIsolated();
		Outcome outcome = this.command.run(new Request("env > \"$OUTPUT_PATH\"",
				Map.of("PODIUM_MODEL_ID", "alice/model", "PODIUM_TASK", "sentiment"), MINUTE, 100_000));
		assertThat(outcome).isInstanceOf(Outcome.Predictions.class);
		String env = new String(((Outcome.Predictions) outcome).csv(), StandardCharsets.UTF_8);
		Set<String> names = new HashSet<>();
		env.lines().map((line) -> line.substring(0, Math.max(0, line.indexOf('=')))).forEach(names::add);
		assertThat(names)
			.containsAll(Set.of("PATH", "HOME", "TMPDIR", "OUTPUT_PATH", "PODIUM_MODEL_ID", "PODIUM_TASK"));
		// what the shell itself adds besides
		assertThat(names).isSubsetOf(Set.of("PATH", "LANG", "HOME", "TMPDIR", "OUTPUT_PATH", "PODIUM_MODEL_ID",
				"PODIUM_TASK", "PWD", "SHLVL", "_", "OLDPWD"));
		assertThat(env).contains("PODIUM_MODEL_ID=alice/model").doesNotContain("HOME=" + System.getenv("HOME") + "\n");
	}

	@Test
	void cannotReadPodiumsEnvironmentNorItsOwnerOnlyFiles() throws Exception {
		assumeIsolated();
		Path key = Files.writeString(this.dataDir.resolve("encryption.key"), "the-key");
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
		long podium = ProcessHandle.current().pid();
		String probe = """
				{ cat /proc/%d/environ >/dev/null 2>&1 && echo environ=readable || echo environ=hidden;
				  cat /proc/1/environ >/dev/null 2>&1 && echo init=readable || echo init=hidden;
				  cat '%s' >/dev/null 2>&1 && echo key=readable || echo key=hidden;
				  echo uid=$(id -u); } > "$OUTPUT_PATH"
				""".formatted(podium, key);
		Outcome outcome = this.command.run(new Request(probe, Map.of(), MINUTE, 100_000));
		assertThat(outcome).isInstanceOf(Outcome.Predictions.class);
		String seen = new String(((Outcome.Predictions) outcome).csv(), StandardCharsets.UTF_8);
		assertThat(seen).contains("environ=hidden", "key=hidden").doesNotContain("readable");
		if (this.command.isolation() == LocalCommand.Isolation.OWN_USER) {
			assertThat(seen).doesNotContain("uid=0\n");
		}
	}

	@Test
	void takesOnlyThePredictionsFileNeverWhatItPrints() {
		assumeIsolated();
		Outcome printed = this.command
			.run(new Request("echo '{\"public_score\": 1.0, \"private_score\": 1.0}'", Map.of(), MINUTE, 100_000));
		assertThat(printed).isEqualTo(new Outcome.Failed(Fault.SUBMISSION,
				"the evaluation command succeeded but wrote no predictions to $OUTPUT_PATH"));
		Outcome written = this.command
			.run(new Request("echo '{\"public_score\": 1.0}'; printf 'id,label\\n0,1\\n' > \"$OUTPUT_PATH\"", Map.of(),
					MINUTE, 100_000));
		assertThat(written).isInstanceOf(Outcome.Predictions.class);
		assertThat(new String(((Outcome.Predictions) written).csv(), StandardCharsets.UTF_8))
			.isEqualTo("id,label\n0,1\n");
	}

	@Test
	void reportsAFailureWithAShortRedactedTailOfItsOutput() {
		assumeIsolated();
		String noisy = """
				for i in $(seq 1 1000); do echo "line $i"; done
				echo "HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz012345"
				echo "loading with password: hunter2-secret"
				echo "blob dGhpcyBpcyBhIHZlcnkgbG9uZyBzZWNyZXQgdmFsdWUgaW5kZWVk"
				echo "Traceback: model failed to load"
				exit 3
				""";
		Outcome outcome = this.command.run(new Request(noisy, Map.of(), MINUTE, 100_000));
		assertThat(outcome).isInstanceOf(Outcome.Failed.class);
		Outcome.Failed failed = (Outcome.Failed) outcome;
		assertThat(failed.fault()).isEqualTo(Fault.SUBMISSION);
		assertThat(failed.message()).startsWith("the evaluation command exited with status 3: ")
			.contains("model failed to load")
			.doesNotContain("hf_abcdefghijklmnopqrstuvwxyz012345")
			.doesNotContain("hunter2-secret")
			.doesNotContain("dGhpcyBpcyBhIHZlcnkgbG9uZyBzZWNyZXQgdmFsdWUgaW5kZWVk")
			.doesNotContain("line 990");
		assertThat(failed.message().length()).isLessThan(400);
	}

	@Test
	void stopsACommandOverItsTimeLimitWithWhatItStarted() throws Exception {
		assumeIsolated();
		Outcome outcome = this.command
			.run(new Request("sleep 47 & sleep 48", Map.of(), Duration.ofSeconds(1), 100_000));
		assertThat(outcome).isEqualTo(new Outcome.TimedOut(Duration.ofSeconds(1)));
		assertThat(running("sleep 47")).isFalse();
		assertThat(running("sleep 48")).isFalse();
	}

	@Test
	void endsWhatACommandLeftRunningInTheBackground() throws Exception {
		assumeThat(this.command.isolation()).isIn(LocalCommand.Isolation.OWN_USER, LocalCommand.Isolation.NAMESPACES);
		Outcome outcome = this.command.run(new Request(
				"(setsid sleep 49 >/dev/null 2>&1 &) ; printf 'id\\n' > \"$OUTPUT_PATH\"", Map.of(), MINUTE, 100_000));
		assertThat(outcome).isInstanceOf(Outcome.Predictions.class);
		Thread.sleep(200);
		assertThat(running("sleep 49")).isFalse();
	}

	@Test
	void refusesALinkWhereThePredictionsBelong() {
		assumeIsolated();
		for (String link : new String[] { "ln -s /etc/passwd \"$OUTPUT_PATH\"", "ln /etc/passwd \"$OUTPUT_PATH\"" }) {
			Outcome outcome = this.command.run(new Request(link + " || true", Map.of(), MINUTE, 100_000));
			assertThat(outcome).as(link).isInstanceOf(Outcome.Failed.class);
		}
	}

	@Test
	void refusesPredictionsOverTheLimit() {
		assumeIsolated();
		Outcome outcome = this.command
			.run(new Request("head -c 5000 /dev/zero | tr '\\0' 'a' > \"$OUTPUT_PATH\"", Map.of(), MINUTE, 1000));
		assertThat(outcome)
			.isEqualTo(new Outcome.Failed(Fault.SUBMISSION, "the predictions exceed the task's limit of 1000 bytes"));
	}

	/** What a Podium that is not root gets, where user namespaces are allowed. */
	@Test
	void inNamespacesSeesNeitherPodiumsProcessesNorItsDataDirectory() throws Exception {
		Files.writeString(this.dataDir.resolve("encryption.key"), "the-key");
		Files.createDirectories(this.jobs.resolve("job-of-someone-else"));
		LocalCommand namespaced = new LocalCommand(LocalCommand.Isolation.NAMESPACES, this.dataDir, this.jobs);
		String probe = """
				{ [ -e /proc/%d ] && echo podium=visible || echo podium=hidden;
				  [ -e '%s' ] && echo key=visible || echo key=hidden;
				  [ -e '%s' ] && echo other=visible || echo other=hidden; } > "$OUTPUT_PATH"
				""".formatted(ProcessHandle.current().pid(), this.dataDir.resolve("encryption.key"),
				this.jobs.resolve("job-of-someone-else"));
		Outcome outcome = namespaced.run(new Request(probe, Map.of(), MINUTE, 100_000));
		assumeThat(outcome).as("user namespaces are not available here").isInstanceOf(Outcome.Predictions.class);
		assertThat(new String(((Outcome.Predictions) outcome).csv(), StandardCharsets.UTF_8)).contains("podium=hidden",
				"key=hidden", "other=hidden");
	}

	@Test
	void runsNothingWhereNothingIsolatesIt() {
		LocalCommand unavailable = new LocalCommand(LocalCommand.Isolation.UNAVAILABLE, this.dataDir, this.jobs);
		Outcome outcome = unavailable
			.run(new Request("touch /tmp/should-not-exist-" + ProcessHandle.current().pid(), Map.of(), MINUTE, 1000));
		assertThat(outcome).isInstanceOf(Outcome.Failed.class);
		assertThat(((Outcome.Failed) outcome).fault()).isEqualTo(Fault.PLATFORM);
		assertThat(Path.of("/tmp/should-not-exist-" + ProcessHandle.current().pid())).doesNotExist();
	}

	private void assumeIsolated() {
		assumeThat(this.command.isolation())
			.as("this machine offers no isolation for task commands (root with setpriv, or user namespaces)")
			.isIn(LocalCommand.Isolation.OWN_USER, LocalCommand.Isolation.NAMESPACES);
	}

	private static boolean running(String commandLine) {
		return ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.anyMatch((process) -> process.info()
				.arguments()
				.map((arguments) -> (process.info().command().orElse("") + " " + String.join(" ", arguments))
					.endsWith(commandLine))
				.orElse(false) || Arrays.asList(process.info().commandLine().orElse("")).contains(commandLine));
	}

}
