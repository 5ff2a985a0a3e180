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

	@Test
	void positionsInRoundsOfManyFollowTheFairOrderFromTheSnapshotsMarks() {
		String token = this.api.addParticipant(this.competition, "dee");
		UUID template = UUID
			.fromString(this.api.submitFileId(token, this.competition, "t", TeamTestData.predictions(1)));
		// three rounds of 150, 200 and 40 waiting: rounds longer than a mark's stride
		copies(template, 150, 1, this.clock.instant().plusSeconds(10));
		copies(template, 200, 2, this.clock.instant().plusSeconds(1000));
		copies(template, 40, 3, this.clock.instant().plusSeconds(5000));
		this.clock.advance(Duration.ofHours(2));
		this.queue.refreshSnapshot(Duration.ZERO);
		assertThat(this.jdbc.queryForObject("select count(*) from queue_marks where task_id = ?", Integer.class,
				this.taskId))
			.as("a mark every %d of each round", SubmissionQueue.MARK_EVERY)
			.isEqualTo(this.jdbc.queryForObject("""
					select sum((n + ? - 1) / ?) from (select count(*) as n from submissions
					where task_id = ? and status = 'QUEUED' group by fair_round) rounds
					""", Integer.class, SubmissionQueue.MARK_EVERY, SubmissionQueue.MARK_EVERY, this.taskId))
			.isGreaterThanOrEqualTo(3 + 4 + 1);
		assertExact();

		// after the snapshot: arrivals in every round, and work that started from the
		// middle
		this.clock.advance(Duration.ofMinutes(1));
		copies(template, 5, 1, this.clock.instant());
		copies(template, 5, 2, this.clock.instant().plusSeconds(1));
		copies(template, 70, 4, this.clock.instant().plusSeconds(2));
		List<UUID> started = this.jdbc.queryForList("""
				select id from submissions where task_id = ? and status = 'QUEUED' and fair_round = 2
				order by submitted_at, id offset 60 limit 30
				""", UUID.class, this.taskId);
		started.forEach((id) -> this.jdbc.update("update submissions set status = 'EVALUATING' where id = ?", id));
		List<UUID> order = fairOrder();
		Map<UUID, Integer> positions = this.queue.positions(order);
		int previous = 0;
		for (int place = 0; place < order.size(); place++) {
			int position = positions.get(order.get(place));
			assertThat(position).as("place %d", place)
				.isBetween(place + 1, place + 1 + started.size())
				.isGreaterThan(previous);
			previous = position;
		}

		this.clock.advance(Duration.ofMinutes(1));
		this.queue.refreshSnapshot(Duration.ZERO);
		assertExact();
	}

	private void assertExact() {
		List<UUID> order = fairOrder();
		Map<UUID, Integer> positions = this.queue.positions(order);
		for (int place = 0; place < order.size(); place++) {
			assertThat(positions.get(order.get(place))).as("place %d", place).isEqualTo(place + 1);
		}
		for (UUID one : List.of(order.get(0), order.get(64), order.get(200), order.get(order.size() - 1))) {
			assertThat(this.queue.positions(List.of(one))).isEqualTo(Map.of(one, positions.get(one)));
		}
	}

	private List<UUID> fairOrder() {
		return this.jdbc.queryForList("""
				select id from submissions where task_id = ? and status = 'QUEUED'
				order by fair_round, submitted_at, id
				""", UUID.class, this.taskId);
	}

	/**
	 * {@code count} copies of the submission in the round, a second apart from
	 * {@code from}.
	 */
	private void copies(UUID template, int count, long round, Instant from) {
		this.jdbc.update(
				"""
						insert into submissions
						select (jsonb_populate_record(null::submissions, to_jsonb(s) || jsonb_build_object(
						    'id', gen_random_uuid(), 'fair_round', ?, 'content_key', null, 'request_fingerprint', md5(random()::text),
						    'submitted_at', ?::timestamptz + make_interval(secs => g)))).*
						from submissions s, generate_series(0, ? - 1) g
						where s.id = ?
						""",
				round, java.sql.Timestamp.from(from), count, template);
	}

}
