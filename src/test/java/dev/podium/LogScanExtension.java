package dev.podium;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The log scan over the whole test run: registered for every test class (JUnit's
 * extension auto-detection, see {@code junit-platform.properties}), it reads what the
 * application logged since the last scan, after each test and after each class (its
 * contexts' start, its {@code @AfterAll}), and fails the test if any secret the run knows
 * ({@link KnownSecrets}) or anything shaped like a token appears in it.
 */
public class LogScanExtension implements AfterEachCallback, AfterAllCallback {

	private static final SecretScanner RUN = new SecretScanner(KnownSecrets::all);

	@Override
	public void afterEach(ExtensionContext context) {
		verdict(RUN, LogCapture.drainRun(), context.getDisplayName());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		verdict(RUN, LogCapture.drainRun(), context.getDisplayName());
	}

	/** Fails when the lines hold a secret, naming each finding (the secret masked). */
	static void verdict(SecretScanner scanner, List<String> lines, String where) {
		List<String> findings = scanner.scan(lines);
		if (!findings.isEmpty()) {
			throw new AssertionError("A secret was logged during " + where + " (log in target/test-logs/):\n  "
					+ String.join("\n  ", findings));
		}
	}

}
