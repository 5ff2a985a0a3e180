package dev.podium.evaluation;

import java.util.UUID;

/**
 * A seam between a step's act and its record, where tests inject what production meets at
 * the worst moment: an exception, or the process dying. Production has none.
 */
public interface StepFaults {

	StepFaults NONE = (step, sandboxId) -> {
	};

	/**
	 * Called after a step's provider call returned and before its outcome is recorded.
	 * @param step {@code create}, {@code create.check}, {@code watch} or {@code destroy}
	 */
	void afterAct(String step, UUID sandboxId);

}
