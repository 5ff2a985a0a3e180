package dev.podium.security;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.podium.PodiumProcess;
import dev.podium.TestDatabase;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first operator's token as deployments set it: the {@code PODIUM_ADMIN_TOKEN}
 * variable that the README, compose and the Helm chart document.
 */
class AdminTokenTests {

	private static final Pattern GENERATED = Pattern
		.compile("generated the first operator token.*?\\R\\s+(pod_[A-Za-z0-9_-]+)", Pattern.DOTALL);

	@TempDir
	Path dataDir;

	@Test
	void theDocumentedVariableSetsTheOperatorsToken() throws Exception {
		TestDatabase.Credentials database = TestDatabase.createDatabase();
		Map<String, String> environment = PodiumProcess.on(database, this.dataDir.toString());
		environment.put("PODIUM_ADMIN_TOKEN", "pod_from-the-environment-0123456789");
		String output;
		try (Console console = Console.capture();
				ConfigurableApplicationContext podium = PodiumProcess.start(environment)) {
			assertThat(get(podium, "/api/me", "pod_from-the-environment-0123456789").statusCode()).isEqualTo(200);
			output = console.text();
		}
		assertThat(output).doesNotContain("generated the first operator token");
	}

	@Test
	void twoReplicasStartingAtOnceOnAFreshDatabaseAgreeOnOneOperator() throws Exception {
		TestDatabase.Credentials database = TestDatabase.createDatabase();
		Map<String, String> environment = PodiumProcess.on(database, this.dataDir.toString());
		CountDownLatch ready = new CountDownLatch(2);
		ExecutorService starters = Executors.newFixedThreadPool(2);
		List<ConfigurableApplicationContext> replicas = new ArrayList<>();
		try (Console console = Console.capture()) {
			List<Future<ConfigurableApplicationContext>> started = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				started.add(starters.submit(() -> {
					ready.countDown();
					ready.await();
					return PodiumProcess.start(environment);
				}));
			}
			for (Future<ConfigurableApplicationContext> replica : started) {
				replicas.add(replica.get());
			}
			List<String> tokens = new ArrayList<>();
			Matcher matcher = GENERATED.matcher(console.text());
			while (matcher.find()) {
				tokens.add(matcher.group(1));
			}
			assertThat(tokens).as("one generated token, printed once").hasSize(1);
			JdbcTemplate jdbc = replicas.get(0).getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("select count(*) from accounts where role = 'OPERATOR'", Integer.class))
				.isEqualTo(1);
			for (ConfigurableApplicationContext replica : replicas) {
				assertThat(get(replica, "/api/me", tokens.get(0)).statusCode()).isEqualTo(200);
			}
		}
		finally {
			replicas.forEach(ConfigurableApplicationContext::close);
			starters.shutdownNow();
		}
	}

	/**
	 * The race the two replicas run, many times over and in one process, where it is
	 * likely to be lost without a lock.
	 */
	@Test
	void concurrentBootstrapsCreateOneOperatorAndAnnounceOneToken() throws Exception {
		TestDatabase.Credentials database = TestDatabase.createDatabase();
		Map<String, String> environment = PodiumProcess.on(database, this.dataDir.toString());
		environment.put("PODIUM_ADMIN_TOKEN", "pod_from-the-environment-0123456789");
		try (ConfigurableApplicationContext podium = PodiumProcess.start(environment)) {
			Accounts accounts = podium.getBean(Accounts.class);
			ExecutorService threads = Executors.newFixedThreadPool(8);
			try {
				for (int round = 0; round < 5; round++) {
					String name = "operator-" + round;
					CountDownLatch go = new CountDownLatch(8);
					List<Future<Optional<String>>> outcomes = new ArrayList<>();
					for (int i = 0; i < 8; i++) {
						outcomes.add(threads.submit(() -> {
							go.countDown();
							go.await();
							return accounts.ensureOperator(name, null);
						}));
					}
					List<String> announced = new ArrayList<>();
					for (Future<Optional<String>> outcome : outcomes) {
						outcome.get().ifPresent(announced::add);
					}
					assertThat(announced).as(name).hasSize(1);
					assertThat(podium.getBean(JdbcTemplate.class)
						.queryForObject("select count(*) from accounts where name = ?", Integer.class, name))
						.isEqualTo(1);
				}
			}
			finally {
				threads.shutdownNow();
			}
		}
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext podium, String path, String token)
			throws Exception {
		int port = ((WebServerApplicationContext) podium).getWebServer().getPort();
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Everything written to the console meanwhile, also passed on to it. */
	private static final class Console implements AutoCloseable {

		private final PrintStream original = System.out;

		private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

		static Console capture() {
			Console console = new Console();
			OutputStream tee = new OutputStream() {

				@Override
				public void write(int b) {
					synchronized (console.captured) {
						console.captured.write(b);
					}
					console.original.write(b);
				}

				@Override
				public void write(byte[] bytes, int offset, int length) {
					synchronized (console.captured) {
						console.captured.write(bytes, offset, length);
					}
					console.original.write(bytes, offset, length);
				}

			};
			System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
			return console;
		}

		String text() {
			synchronized (this.captured) {
				return this.captured.toString(StandardCharsets.UTF_8);
			}
		}

		@Override
		public void close() {
			System.setOut(this.original);
		}

	}

}
