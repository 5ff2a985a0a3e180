package dev.podium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * A Logback appender that keeps every log line of the test run until the log scan reads
 * it, and writes it to {@code target/test-logs/}. {@code logback-test.xml} installs it on
 * the root logger (Spring Boot loads that file again for each context, so the lines are
 * kept in one queue for all instances made from it); a test can make one of its own with
 * a queue of its own.
 */
public class LogCapture extends AppenderBase<ILoggingEvent> {

	private static final Queue<String> RUN = new ConcurrentLinkedQueue<>();

	private static final Path FILE = Path.of("target", "test-logs", "podium-" + ProcessHandle.current().pid() + ".log");

	private final Queue<String> lines;

	private final boolean toFile;

	/** The run's capture, as {@code logback-test.xml} makes it. */
	public LogCapture() {
		this(RUN, true);
	}

	LogCapture(Queue<String> lines, boolean toFile) {
		this.lines = lines;
		this.toFile = toFile;
	}

	/** One of its own, for a test of the scan. */
	static LogCapture detached() {
		return new LogCapture(new ConcurrentLinkedQueue<>(), false);
	}

	/** The run's lines not yet scanned, taken out of the queue. */
	static List<String> drainRun() {
		return drain(RUN);
	}

	/** Whether the run's queue holds this text, without taking anything out. */
	static boolean runHolds(String text) {
		return RUN.stream().anyMatch((line) -> line.contains(text));
	}

	List<String> drain() {
		return drain(this.lines);
	}

	private static List<String> drain(Queue<String> queue) {
		List<String> drained = new ArrayList<>();
		for (String line = queue.poll(); line != null; line = queue.poll()) {
			drained.add(line);
		}
		return drained;
	}

	@Override
	protected void append(ILoggingEvent event) {
		StringBuilder line = new StringBuilder().append(event.getLevel())
			.append(' ')
			.append(event.getThreadName())
			.append(' ')
			.append(event.getLoggerName())
			.append(" - ")
			.append(event.getFormattedMessage());
		if (!event.getMDCPropertyMap().isEmpty()) {
			line.append(' ').append(event.getMDCPropertyMap());
		}
		if (event.getKeyValuePairs() != null) {
			line.append(' ').append(event.getKeyValuePairs());
		}
		IThrowableProxy thrown = event.getThrowableProxy();
		if (thrown != null) {
			line.append(System.lineSeparator()).append(ThrowableProxyUtil.asString(thrown));
		}
		String text = line.toString();
		this.lines.add(text);
		if (this.toFile) {
			write(text);
		}
	}

	private static synchronized void write(String line) {
		try {
			Files.createDirectories(FILE.getParent());
			Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
