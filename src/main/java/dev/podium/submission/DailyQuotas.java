package dev.podium.submission;

import java.util.List;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What a participant may still submit today, task by task, as the intake counts it. */
@Service
public class DailyQuotas {

	private final Competitions competitions;

	private final SubmissionIntake intake;

	DailyQuotas(Competitions competitions, SubmissionIntake intake) {
		this.competitions = competitions;
		this.intake = intake;
	}

	@Transactional(readOnly = true)
	public Overview of(PodiumUser participant) {
		Competition competition = this.competitions.find(participant.competitionId())
			.orElseThrow(() -> ProblemException.notFound("The participant's competition"));
		List<TaskQuota> tasks = competition.tasks()
			.stream()
			.map((task) -> new TaskQuota(task.slug(), task.title(), this.intake.quota(participant, competition, task)))
			.toList();
		return new Overview(QuotaHolder.of(participant), competition.slug(), tasks);
	}

	public record Overview(QuotaHolder holder, String competition, List<TaskQuota> tasks) {
	}

	public record TaskQuota(String task, String title, DailyQuota quota) {
	}

}
