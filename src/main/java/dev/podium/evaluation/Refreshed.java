package dev.podium.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * A value read from the database and kept for a while: read again once it is older than
 * its interval on the injected clock, or when that clock was set back (as tests and time
 * corrections do).
 *
 * @param <T> what is kept
 */
final class Refreshed<T> {

	private final Clock clock;

	private final Duration interval;

	private final Function<Instant, T> load;

	private volatile Kept<T> kept;

	Refreshed(Clock clock, Duration interval, Function<Instant, T> load) {
		this.clock = clock;
		this.interval = interval;
		this.load = load;
	}

	T get() {
		Instant now = this.clock.instant();
		Kept<T> current = this.kept;
		if (current == null || now.isBefore(current.at()) || !now.isBefore(current.at().plus(this.interval))) {
			current = new Kept<>(now, this.load.apply(now));
			this.kept = current;
		}
		return current.value();
	}

	/** The next read loads again. */
	void forget() {
		this.kept = null;
	}

	private record Kept<T>(Instant at, T value) {
	}

}
