package dev.podium.sandbox.hub;

/** Whether the client calls the Hub, or fails fast after repeated failures. */
public enum CircuitState {

	CLOSED,

	/** Failing fast; calls resume on trial after a pause. */
	OPEN,

	/** A few trial calls decide whether to close again. */
	HALF_OPEN

}
