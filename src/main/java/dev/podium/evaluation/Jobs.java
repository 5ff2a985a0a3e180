package dev.podium.evaluation;

import dev.podium.competition.Task;
import dev.podium.sandbox.SandboxWork;
import dev.podium.submission.Submission;

/** How submissions and tasks appear in a sandbox's job. */
final class Jobs {

	private Jobs() {
	}

	static SandboxWork.Item item(Submission submission) {
		return new SandboxWork.Item(submission.id(), submission.kind().name(), submission.model(),
				submission.revision(), "submissions/" + submission.id() + "/file");
	}

	static SandboxWork.TaskInfo taskInfo(Task task) {
		return new SandboxWork.TaskInfo(task.competitionSlug(), task.slug(), task.metric(), task.idColumn(),
				task.localCommand(), task.timeout().toSeconds());
	}

}
