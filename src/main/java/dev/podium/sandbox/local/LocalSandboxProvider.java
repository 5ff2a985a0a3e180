package dev.podium.sandbox.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.PodiumProperties;
import dev.podium.sandbox.CreateResult;
import dev.podium.sandbox.Deployment;
import dev.podium.sandbox.DestroyResult;
import dev.podium.sandbox.Listing;
import dev.podium.sandbox.Preflight;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxSpec;
import dev.podium.sandbox.SandboxState;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Sandboxes on this machine: a working directory and a job loop that plays the part of
 * the evaluation app in a Space. It becomes ready after {@code startup-delay} (by the
 * injected clock, standing in for a build), then asks for jobs through the same callbacks
 * as a Space and runs them one after another, at most {@code workers} evaluations at once
 * across all local sandboxes. Nothing survives a restart of Podium: a sandbox of a
 * crashed instance is simply gone, and its job is retried.
 */
@Component
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "local", matchIfMissing = true)
class LocalSandboxProvider implements SandboxProvider, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LocalSandboxProvider.class);

	private final Map<String, LocalSandbox> sandboxes = new ConcurrentHashMap<>();

	private final SandboxCallbacks callbacks;

	private final SandboxProperties properties;

	private final Deployment deployment;

	private final Path root;

	private final Clock clock;

	private final Semaphore evaluations;

	/** Runs tasks' commands apart from Podium; the isolation is found on first use. */
	private final Supplier<LocalCommand> command;

	LocalSandboxProvider(@Lazy SandboxCallbacks callbacks, SandboxProperties properties, Deployment deployment,
			PodiumProperties podium, Clock clock) {
		this.callbacks = callbacks;
		this.properties = properties;
		this.deployment = deployment;
		this.root = podium.dataDir().resolve("sandboxes").toAbsolutePath();
		this.clock = clock;
		this.evaluations = new Semaphore(properties.local().workers());
		this.command = SingletonSupplier
			.of(() -> LocalCommand.onThisMachine(podium.dataDir(), properties.local().allowUnisolatedCommands()));
	}

	@Override
	public String name() {
		return "local";
	}

	@Override
	public Preflight preflight(String model, String revision, String accessToken, SandboxCallbacks.JobTask task) {
		if (task.localCommand() == null || task.localCommand().isBlank()) {
			return new Preflight.Refused(false, "Task '" + task.slug() + "' has no localCommand, so the local "
					+ "sandbox provider cannot run models; the organizer must configure one");
		}
		// No Hub here: the model is run as named, by the organizer's command.
		return new Preflight.Accepted(model, revision);
	}

	@Override
	public CreateResult create(SandboxSpec spec) {
		boolean[] made = { false };
		this.sandboxes.computeIfAbsent(spec.name(), (name) -> {
			Path directory = this.root.resolve(name);
			try {
				Files.createDirectories(directory);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			LocalJobLoop loop = new LocalJobLoop(spec.sandboxId(), directory,
					this.clock.instant().plus(this.properties.local().startupDelay()), this.callbacks, this.evaluations,
					this.clock, this.command);
			Thread thread = new Thread(loop, "podium-local-sandbox-" + spec.sandboxId().toString().substring(0, 8));
			thread.setDaemon(true);
			thread.start();
			made[0] = true;
			return new LocalSandbox(loop, thread);
		});
		return new CreateResult.Created(!made[0]);
	}

	@Override
	public SandboxState state(String name) {
		LocalSandbox sandbox = this.sandboxes.get(name);
		if (sandbox == null) {
			return new SandboxState.Gone();
		}
		if (!sandbox.loop().isReady()) {
			return new SandboxState.Starting("BUILDING");
		}
		if (!sandbox.thread().isAlive() && !sandbox.loop().isRetired()) {
			// The reason reaches participants: the details stay in the log.
			log.warn("Local sandbox {} stopped unexpectedly", name);
			return new SandboxState.Failed("the local sandbox stopped unexpectedly");
		}
		return new SandboxState.Ready("RUNNING");
	}

	@Override
	public DestroyResult destroy(String name) {
		LocalSandbox sandbox = this.sandboxes.remove(name);
		if (sandbox != null) {
			sandbox.thread().interrupt();
		}
		deleteDirectory(this.root.resolve(name));
		return new DestroyResult.Destroyed();
	}

	@Override
	public Listing list() {
		Set<String> names = new TreeSet<>(this.sandboxes.keySet());
		if (Files.isDirectory(this.root)) {
			try (Stream<Path> directories = Files.list(this.root)) {
				directories.map((path) -> path.getFileName().toString()).forEach(names::add);
			}
			catch (IOException ex) {
				return new Listing.Unavailable("cannot list " + this.root + ": " + ex.getMessage());
			}
		}
		names.removeIf((name) -> this.deployment.names().parse(name).isEmpty());
		return new Listing.Listed(names);
	}

	@Override
	public void destroy() {
		this.sandboxes.values().forEach((sandbox) -> sandbox.thread().interrupt());
	}

	static void deleteDirectory(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
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
		catch (IOException ex) {
			log.warn("Could not delete {}: {}", directory, ex.getMessage());
		}
	}

	private record LocalSandbox(LocalJobLoop loop, Thread thread) {
	}

}
