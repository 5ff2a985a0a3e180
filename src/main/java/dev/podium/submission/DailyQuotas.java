package dev.podium.submission;

import java.util.List;

import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a participant's team (or the participant, without one) may still submit today,
 * task by task, as the intake counts it.
 */
@Service
public class DailyQuotas {

	private final Competitions competitions;

	private final SubmissionIntake intake;

	private final Entrants entrants;

	DailyQuotas(Competitions competitions, SubmissionIntake intake, Entrants entrants) {
		this.competitions = competitions;
		this.intake = intake;
		this.entrants = entrants;
	}

	@Transactional(readOnly = true)
	public Overview of(PodiumUser participant) {
		Competition competition = this.competitions.find(participant.competitionId())
			.orElseThrow(() -> ProblemException.notFound("The participant's competition"));
		List<TaskQuota> tasks = competition.tasks()
			.stream()
			.map((task) -> new TaskQuota(task.slug(), task.title(), this.intake.quota(participant, competition, task)))
			.toList();
		return new Overview(this.entrants.holderOf(participant), competition.slug(), tasks);
	}

	public record Overview(QuotaHolder holder, String competition, List<TaskQuota> tasks) {
	}

	public record TaskQuota(String task, String title, DailyQuota quota) {
	}

}
