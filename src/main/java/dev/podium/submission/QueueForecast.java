package dev.podium.submission;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tells waiting participants what their submission waits for and when it should start.
 * The evaluation pipeline knows the sandboxes, the planner and the budget, so it
 * implements this.
 */
public interface QueueForecast {

	/** For the QUEUED ones among the given submissions. */
	Map<UUID, Wait> forecast(List<Submission> submissions);

	/**
	 * @param waitingFor what it waits for:
	 * <ul>
	 * <li>{@code NEXT}: a live sandbox of its scope serves it after the jobs ahead;</li>
	 * <li>{@code SANDBOX_STARTING}: a sandbox of its scope is being built;</li>
	 * <li>{@code PLANNED}: a sandbox for its scope is planned to be created then;</li>
	 * <li>{@code BUDGET}: the creation budget is spent, blocked or paused;</li>
	 * <li>{@code CAPACITY}: every sandbox slot is taken;</li>
	 * <li>{@code RETRY}: after a platform failure, not before the estimate;</li>
	 * <li>{@code CHECKING}: its model is checked before it may start;</li>
	 * <li>{@code IN_FLIGHT_LIMIT}: its team already has the task's {@code maxInFlight}
	 * evaluations running;</li>
	 * <li>{@code PROVIDER}: the sandbox provider is down;</li>
	 * <li>{@code OPERATOR}: held, or its task's sandboxes were refused: an operator must
	 * act.</li>
	 * </ul>
	 * @param estimatedStartAt {@code null} when no estimate is possible (creations
	 * paused, an operator must act)
	 */
	record Wait(String waitingFor, Instant estimatedStartAt) {
	}

}
