package dev.podium.sandbox.hub;

import java.time.Duration;

/**
 * How the client waits between tries. Tests record the waits (and move their clock)
 * instead of sleeping.
 */
@FunctionalInterface
interface Pause {

	Pause SLEEP = (duration) -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

	void sleep(Duration duration) throws InterruptedException;

}
