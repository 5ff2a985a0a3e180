package dev.podium.submission;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.team.TeamTestData;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.SOLUTION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many ready submissions come before each in a sandbox's scope, counted for many
 * submissions in one read (a participant's page, the queue page): the same counts as one
 * by one, and the order work starts in, before and after the queue's snapshot.
 */
@PodiumTest
class QueuePlacesTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	SubmissionQueue queue;

	@Autowired
	Submissions submissions;

	TestSupport api;

	String competition;

	UUID taskId;

	static int competitions;

	@BeforeEach
	void aSandboxTask() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		this.competition = "places-" + (++competitions);
		this.api.createCompetition(this.competition, TestSupport.fileTask("t"));
		this.api.uploadSolution(this.competition, "t", SOLUTION);
		this.taskId = this.jdbc.queryForObject(
				"select t.id from tasks t join competitions c on c.id = t.competition_id where c.slug = ?", UUID.class,
				this.competition);
	}

	@Test
	void manyAtOnceCountAsOneByOneAndFollowTheFairOrder() {
		String[] tokens = { this.api.addParticipant(this.competition, "ann"),
				this.api.addParticipant(this.competition, "ben"), this.api.addParticipant(this.competition, "cy") };
		List<UUID> inArrivalOrder = new ArrayList<>();
		// ann's three, then ben's two, then cy's one: the fair order serves each one's
		// first, then each one's second, ...
		int[] each = { 3, 2, 1 };
		for (int who = 0; who < 3; who++) {
			for (int n = 0; n < each[who]; n++) {
				inArrivalOrder.add(UUID.fromString(this.api.submitFileId(tokens[who], this.competition, "t",
						TeamTestData.predictions(who * 10 + n))));
				this.clock.advance(Duration.ofSeconds(1));
			}
			if (who == 0) {
				// the snapshot counts ann's rounds; ben's and cy's arrive after it
				this.queue.refreshSnapshot(Duration.ZERO);
			}
		}
		this.jdbc.update("update submissions set checked_at = submitted_at where task_id = ?", this.taskId);
		List<Submission> waiting = this.submissions.findAll(inArrivalOrder);
		SubmissionQueue.JobScope scope = new SubmissionQueue.JobScope(List.of(this.taskId), null);

		Map<UUID, Integer> together = this.queue.aheadInScope(waiting, scope);

		// ann1 ben1 cy1 | ann2 ben2 | ann3
		List<UUID> fairOrder = List.of(inArrivalOrder.get(0), inArrivalOrder.get(3), inArrivalOrder.get(5),
				inArrivalOrder.get(1), inArrivalOrder.get(4), inArrivalOrder.get(2));
		for (int place = 0; place < fairOrder.size(); place++) {
			assertThat(together.get(fairOrder.get(place))).as("place %d", place).isEqualTo(place);
		}
		for (Submission one : waiting) {
			assertThat(this.queue.aheadInScope(one, scope)).isEqualTo(together.get(one.id()));
		}

		UUID ann = waiting.stream()
			.filter((one) -> one.id().equals(inArrivalOrder.get(0)))
			.findFirst()
			.orElseThrow()
			.participantId();
		Map<UUID, Integer> annsOwn = this.queue.aheadInScope(waiting,
				new SubmissionQueue.JobScope(List.of(this.taskId), ann));
		assertThat(annsOwn).as("a participant's own scope counts only theirs")
			.containsEntry(inArrivalOrder.get(0), 0)
			.containsEntry(inArrivalOrder.get(1), 1)
			.containsEntry(inArrivalOrder.get(2), 2);
	}

}
