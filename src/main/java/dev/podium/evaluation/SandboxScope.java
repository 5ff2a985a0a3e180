package dev.podium.evaluation;

import java.util.UUID;

import dev.podium.competition.ReuseScope;
import dev.podium.competition.Task;

/**
 * Whose jobs a sandbox serves: one participant's submissions of one task, any
 * participant's of one task, or any task's of one competition that share its hardware.
 *
 * @param taskId {@code null} for a COMPETITION scope
 * @param participantId only for a PARTICIPANT scope
 */
record SandboxScope(ReuseScope kind, UUID competitionId, UUID taskId, UUID participantId, String hardware) {

	/** The scope a submission of the task by the participant is served in. */
	static SandboxScope of(Task task, UUID participantId) {
		return switch (task.reuseScope()) {
			case PARTICIPANT -> new SandboxScope(ReuseScope.PARTICIPANT, task.competitionId(), task.id(), participantId,
					task.hardware());
			case TASK -> new SandboxScope(ReuseScope.TASK, task.competitionId(), task.id(), null, task.hardware());
			case COMPETITION ->
				new SandboxScope(ReuseScope.COMPETITION, task.competitionId(), null, null, task.hardware());
		};
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case PARTICIPANT -> "participant " + this.participantId + " of task " + this.taskId;
			case TASK -> "task " + this.taskId;
			case COMPETITION -> "competition " + this.competitionId + " on " + this.hardware;
		};
	}

}
