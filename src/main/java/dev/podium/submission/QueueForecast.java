package dev.podium.submission;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tells waiting participants what their submission waits for and when it should start.
 * The evaluation pipeline knows the budget, the capacity and the pacing, so it implements
 * this.
 */
public interface QueueForecast {

	/** For the QUEUED ones among the given submissions. */
	Map<UUID, Wait> forecast(List<Submission> submissions);

	/**
	 * @param waitingFor BUDGET (the creation budget is spent or blocked), CAPACITY (all
	 * sandbox slots are busy), BATCH (held to fill a sandbox), RETRY (after a platform
	 * failure), or {@code null} when it is about to start
	 * @param estimatedStartAt {@code null} when no estimate is possible (creations
	 * paused)
	 */
	record Wait(String waitingFor, Instant estimatedStartAt) {
	}

}
