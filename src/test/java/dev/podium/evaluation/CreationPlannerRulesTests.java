package dev.podium.evaluation;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.podium.competition.ReuseScope;
import dev.podium.evaluation.CreationPlanner.Need;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner's rules, without Spring or a database. */
class CreationPlannerRulesTests {

	static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	static final Duration JOB = Duration.ofMinutes(2);

	static final Duration BUILD = Duration.ofMinutes(5);

	static final Duration TARGET = Duration.ofMinutes(10);

	static final SandboxScope SCOPE = new SandboxScope(ReuseScope.TASK, UUID.randomUUID(), UUID.randomUUID(), null,
			"cpu-basic");

	@Test
	void workThatNothingServesGetsASandboxEvenWhenTheReserveLeavesNoneSpare() {
		assertThat(CreationPlanner.need(List.of(), 1, JOB, BUILD, TARGET, 3, 0, false)).isEqualTo(Need.FIRST);
		assertThat(CreationPlanner.need(List.of(), 1, JOB, BUILD, TARGET, 3, -4, false)).isEqualTo(Need.FIRST);
	}

	@Test
	void aQueueServedWithinTheTargetWaitGetsNoExtraSandbox() {
		// 4 jobs of 2 minutes behind one sandbox: 8 minutes, within the 10 of the target
		assertThat(CreationPlanner.need(List.of(running()), 4, JOB, BUILD, TARGET, 3, 10, false)).isEqualTo(Need.NONE);
	}

	@Test
	void aQueueBeyondTheTargetWaitGetsAnExtraSandboxWhenCreationsAreSpare() {
		assertThat(CreationPlanner.need(List.of(running()), 6, JOB, BUILD, TARGET, 3, 1, false)).isEqualTo(Need.EXTRA);
		// but not from the reserve the rest of the window needs
		assertThat(CreationPlanner.need(List.of(running()), 6, JOB, BUILD, TARGET, 3, 0, false)).isEqualTo(Need.NONE);
		// nor beyond the most sandboxes a scope may have
		assertThat(CreationPlanner.need(List.of(running(), running()), 12, JOB, BUILD, TARGET, 2, 5, false))
			.isEqualTo(Need.NONE);
	}

	@Test
	void noExtraSandboxIsBuiltBesideOneThatIsStillBuilding() {
		assertThat(CreationPlanner.need(List.of(starting()), 30, JOB, BUILD, TARGET, 3, 10, true)).isEqualTo(Need.NONE);
	}

	@Test
	void whenCreationsArePlentifulAJobWaitingBehindOthersGetsASandboxAtOnce() {
		// 3 jobs: 6 minutes of waiting, within the target but longer than a build
		assertThat(CreationPlanner.need(List.of(running()), 3, JOB, BUILD, TARGET, 3, 50, true)).isEqualTo(Need.EXTRA);
		assertThat(CreationPlanner.need(List.of(running()), 3, JOB, BUILD, TARGET, 3, 50, false)).isEqualTo(Need.NONE);
		// a queue a new sandbox could not reach before it drains is left to the one there
		assertThat(CreationPlanner.need(List.of(running()), 2, JOB, BUILD, TARGET, 3, 50, true)).isEqualTo(Need.NONE);
	}

	@Test
	void aOneOffBurstDoesNotInflateTheForecast() {
		long first = NOW.getEpochSecond() / 3600 - 24 * 5;
		Map<Long, Integer> byHour = new HashMap<>();
		for (long hour = first; hour < first + 24 * 5; hour++) {
			byHour.put(hour, 2);
		}
		// a demo's seeding: 300 submissions in one hour of one day
		byHour.put(first + 24 * 4 + 9, 300);
		double[] forecast = ArrivalForecast.hourly(byHour, first + 24 * 5);
		assertThat(forecast).containsOnly(2.0);
	}

	@Test
	void aBurstOnTheFirstDayDoesNotInflateTheForecastEither() {
		long first = NOW.getEpochSecond() / 3600 - 6;
		Map<Long, Integer> byHour = new HashMap<>();
		byHour.put(first, 300);
		for (long hour = first + 1; hour < first + 6; hour++) {
			byHour.put(hour, 1);
		}
		assertThat(ArrivalForecast.hourly(byHour, first + 6)).containsOnly(1.0);
	}

	@Test
	void theForecastFollowsTheHourOfTheDay() {
		long first = (NOW.getEpochSecond() / 3600 / 24 - 4) * 24;
		Map<Long, Integer> byHour = new HashMap<>();
		for (int day = 0; day < 4; day++) {
			for (int hour = 8; hour < 20; hour++) {
				byHour.put(first + day * 24 + hour, 3);
			}
		}
		double[] forecast = ArrivalForecast.hourly(byHour, first + 4 * 24);
		assertThat(forecast[3]).isZero();
		assertThat(forecast[12]).isEqualTo(3.0);
	}

	@Test
	void theNextPlannedCreationIsTheEarliestPlanned() {
		SandboxScope other = new SandboxScope(ReuseScope.TASK, SCOPE.competitionId(), UUID.randomUUID(), null,
				"cpu-basic");
		SandboxScope third = new SandboxScope(ReuseScope.TASK, SCOPE.competitionId(), UUID.randomUUID(), null,
				"cpu-basic");
		PlannerView view = new PlannerView(NOW, Map.of(SCOPE, PlannerView.Plan.planned(NOW.plusSeconds(900)), other,
				PlannerView.Plan.planned(NOW.plusSeconds(300)), third, PlannerView.Plan.budget()), null, false);
		assertThat(view.nextPlannedCreation()).isEqualTo(NOW.plusSeconds(300));
		assertThat(PlannerView.EMPTY.nextPlannedCreation()).isNull();
	}

	private static Sandbox starting() {
		Sandbox sandbox = new Sandbox(UUID.randomUUID(), "s", "local", SCOPE, "cpu-basic",
				new SandboxRules(100, Duration.ofHours(6), Duration.ofHours(2)), null, "test", NOW.plusSeconds(60),
				NOW.minus(BUILD), Duration.ofMinutes(10));
		sandbox.markStarting(NOW.minus(BUILD), NOW.plus(Duration.ofMinutes(30)));
		return sandbox;
	}

	private static Sandbox running() {
		Sandbox sandbox = starting();
		sandbox.markRunning(NOW);
		return sandbox;
	}

}
