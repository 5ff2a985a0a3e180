package dev.podium.sandbox.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.PodiumProperties;
import dev.podium.sandbox.SandboxCallbacks;
import dev.podium.sandbox.SandboxProperties;
import dev.podium.sandbox.SandboxProvider;
import dev.podium.sandbox.SandboxSpec;
import dev.podium.sandbox.SandboxState;
import dev.podium.sandbox.SandboxWork;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Sandboxes on this machine: a working directory and a bounded worker that plays the part
 * of the evaluation app in a Space. It becomes ready after {@code startup-delay} (by the
 * injected clock, standing in for a build), fetches its job through the same callbacks as
 * a Space, and evaluates its submissions one after another. Nothing survives a restart of
 * Podium: a sandbox of a crashed instance is simply gone, and its work is retried.
 */
@Component
@ConditionalOnProperty(name = "podium.sandbox.provider", havingValue = "local", matchIfMissing = true)
class LocalSandboxProvider implements SandboxProvider, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LocalSandboxProvider.class);

	private final Map<String, LocalSandbox> sandboxes = new ConcurrentHashMap<>();

	private final SandboxCallbacks callbacks;

	private final SandboxProperties properties;

	private final Path root;

	private final Clock clock;

	private final ExecutorService workers;

	/** Runs tasks' commands apart from Podium; the isolation is found on first use. */
	private final Supplier<LocalCommand> command;

	LocalSandboxProvider(SandboxCallbacks callbacks, SandboxProperties properties, PodiumProperties podium,
			Clock clock) {
		this.callbacks = callbacks;
		this.properties = properties;
		this.root = podium.dataDir().resolve("sandboxes").toAbsolutePath();
		this.clock = clock;
		this.command = SingletonSupplier
			.of(() -> LocalCommand.onThisMachine(podium.dataDir(), properties.local().allowUnisolatedCommands()));
		AtomicInteger threads = new AtomicInteger();
		this.workers = Executors.newFixedThreadPool(properties.local().workers(), (runnable) -> {
			Thread thread = new Thread(runnable, "podium-local-sandbox-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public String name() {
		return "local";
	}

	@Override
	public Optional<Refusal> preflight(SandboxWork.Item item, SandboxWork.TaskInfo task, String accessToken) {
		if ("MODEL".equals(item.kind()) && (task.localCommand() == null || task.localCommand().isBlank())) {
			return Optional.of(new Refusal(false, "Task '" + task.slug() + "' has no localCommand, so the local "
					+ "sandbox provider cannot run models; the organizer must configure one"));
		}
		return Optional.empty();
	}

	@Override
	public void create(SandboxSpec spec) {
		this.sandboxes.computeIfAbsent(spec.name(), (name) -> {
			Path directory = this.root.resolve(name);
			try {
				Files.createDirectories(directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return new LocalSandbox(spec.sandboxId(), directory,
					this.clock.instant().plus(this.properties.local().startupDelay()));
		});
	}

	@Override
	public SandboxState state(String name) {
		LocalSandbox sandbox = this.sandboxes.get(name);
		if (sandbox == null) {
			return new SandboxState.Gone();
		}
		if (this.clock.instant().isBefore(sandbox.readyAt())) {
			return new SandboxState.Starting("BUILDING");
		}
		synchronized (sandbox) {
			if (sandbox.worker == null) {
				LocalEvaluation evaluation = new LocalEvaluation(sandbox.sandboxId(), this.callbacks,
						this.command.get());
				sandbox.worker = this.workers.submit(evaluation);
			}
			if (sandbox.worker.isDone()) {
				try {
					sandbox.worker.get();
				}
				catch (Exception ex) {
					// The reason reaches participants: the details stay in the log.
					log.warn("Local sandbox {} crashed", name, ex);
					return new SandboxState.Failed("the local evaluation crashed");
				}
			}
		}
		return new SandboxState.Ready();
	}

	@Override
	public void destroy(String name) {
		LocalSandbox sandbox = this.sandboxes.remove(name);
		if (sandbox != null) {
			synchronized (sandbox) {
				if (sandbox.worker != null) {
					sandbox.worker.cancel(true);
				}
			}
		}
		deleteDirectory(this.root.resolve(name));
	}

	@Override
	public Set<String> list() {
		Set<String> names = new TreeSet<>(this.sandboxes.keySet());
		if (Files.isDirectory(this.root)) {
			try (Stream<Path> directories = Files.list(this.root)) {
				directories.map((path) -> path.getFileName().toString())
					.filter((name) -> name.startsWith(this.properties.namePrefix() + "-"))
					.forEach(names::add);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return names;
	}

	@Override
	public void destroy() {
		this.workers.shutdownNow();
	}

	private static void deleteDirectory(Path directory) {
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

	private static final class LocalSandbox {

		private final UUID sandboxId;

		private final Path directory;

		private final Instant readyAt;

		private Future<?> worker;

		private LocalSandbox(UUID sandboxId, Path directory, Instant readyAt) {
			this.sandboxId = sandboxId;
			this.directory = directory;
			this.readyAt = readyAt;
		}

		UUID sandboxId() {
			return this.sandboxId;
		}

		Path directory() {
			return this.directory;
		}

		Instant readyAt() {
			return this.readyAt;
		}

	}

}
