package dev.podium.submission;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.evaluation.EvaluationScheduler;
import dev.podium.team.TeamTestData;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards' counts kept as submissions change: always what counting the submissions
 * gives, before and after their changes are folded, whatever wrote the change.
 */
@PodiumTest
class SubmissionTalliesTests {

	static final String COUNTED = """
			select c.slug || '/' || s.status || '/' || a.name || '=' || count(*)
			from submissions s join competitions c on c.id = s.competition_id join accounts a on a.id = s.participant_id
			where c.slug like 'tallies-%' group by c.slug, s.status, a.name order by 1
			""";

	static final String TALLIED = """
			select c.slug || '/' || t.status || '/' || a.name || '=' || t.n
			from submission_tallies t join competitions c on c.id = t.competition_id
			join accounts a on a.id = t.participant_id
			where c.slug like 'tallies-%' and t.n <> 0 order by 1
			""";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	EvaluationScheduler scheduler;

	@Autowired
	SubmissionTallies tallies;

	TestSupport api;

	@BeforeEach
	void atTen() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
	}

	@Test
	void theTalliesAreTheCountsBeforeAndAfterFoldingWhateverChangedThem() {
		this.api.createCompetition("tallies-a", """
				{"slug":"inline","title":"I","submissionKind":"FILE","evaluation":"INLINE","metric":"accuracy_score"}
				""", TestSupport.fileTask("boxed"));
		this.api.uploadSolution("tallies-a", "inline", SOLUTION);
		this.api.uploadSolution("tallies-a", "boxed", SOLUTION);
		String ann = this.api.addParticipant("tallies-a", "ann");
		String ben = this.api.addParticipant("tallies-a", "ben");
		this.api.submitFileId(ann, "tallies-a", "inline", TeamTestData.predictions(1));
		this.api.submitFileId(ann, "tallies-a", "boxed", TeamTestData.predictions(2));
		String cancelled = this.api.submitFileId(ben, "tallies-a", "boxed", TeamTestData.predictions(3));
		this.api.submitFileId(ben, "tallies-a", "boxed", TeamTestData.predictions(4));
		assertThat(this.mvc.delete()
			.uri("/api/submissions/{id}", cancelled)
			.header(HttpHeaders.AUTHORIZATION, bearer(ben))
			.exchange()).hasStatusOk();
		this.scheduler.runOnce();
		assertThat(tallied()).isEqualTo(counted()).contains("tallies-a/SCORED/ann=1", "tallies-a/CANCELLED/ben=1");

		assertThat(this.tallies.fold()).isPositive();
		assertThat(tallied()).isEqualTo(counted());

		// a change made in SQL, as operators' scripts and the claim do
		this.jdbc.update("update submissions set status = 'FAILED', failure_category = 'PLATFORM', "
				+ "failure_message = 'x', finished_at = now() where status = 'QUEUED' and competition_id = "
				+ "(select id from competitions where slug = 'tallies-a')");
		assertThat(tallied()).isEqualTo(counted()).contains("tallies-a/FAILED/ann=1", "tallies-a/FAILED/ben=1");
		this.tallies.fold();
		assertThat(tallied()).isEqualTo(counted());

		// a submission moved to another participant, its state unchanged
		this.jdbc.update("update submissions set participant_id = (select id from accounts where name = 'ben' and "
				+ "competition_id = submissions.competition_id) where status = 'SCORED' and competition_id = "
				+ "(select id from competitions where slug = 'tallies-a')");
		assertThat(tallied()).isEqualTo(counted()).contains("tallies-a/SCORED/ben=1");
		this.tallies.fold();
		assertThat(tallied()).isEqualTo(counted());
		assertThat(this.tallies.fold()).as("nothing left to fold").isZero();
	}

	@Test
	void aDeletedCompetitionLeavesNothingBehind() {
		this.api.createCompetition("tallies-gone", TestSupport.fileTask("boxed"));
		this.api.uploadSolution("tallies-gone", "boxed", SOLUTION);
		String cy = this.api.addParticipant("tallies-gone", "cy");
		this.api.submitFileId(cy, "tallies-gone", "boxed", TeamTestData.predictions(5));
		this.tallies.fold();
		this.api.submitFileId(cy, "tallies-gone", "boxed", TeamTestData.predictions(6));
		this.jdbc.update("delete from competitions where slug = 'tallies-gone'");
		this.tallies.fold();
		assertThat(this.jdbc.queryForObject(
				"select count(*) from submission_counts c where not exists (select 1 from tasks t where t.id = c.task_id)",
				Integer.class))
			.isZero();
		assertThat(this.jdbc.queryForObject("select count(*) from submission_count_changes", Integer.class)).isZero();
	}

	private List<String> counted() {
		return this.jdbc.queryForList(COUNTED, String.class);
	}

	private List<String> tallied() {
		return this.jdbc.queryForList(TALLIED, String.class);
	}

}
