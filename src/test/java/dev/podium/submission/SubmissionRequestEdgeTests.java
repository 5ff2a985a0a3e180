package dev.podium.submission;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.podium.MutableClock;
import dev.podium.PodiumTest;
import dev.podium.TestSupport;
import dev.podium.evaluation.EvaluationScheduler;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static dev.podium.TestSupport.PREDICTIONS;
import static dev.podium.TestSupport.SOLUTION;
import static dev.podium.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests that once ended in a 500 or in a garbled message. */
@PodiumTest
class SubmissionRequestEdgeTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	MutableClock clock;

	@Autowired
	EvaluationScheduler scheduler;

	TestSupport api;

	String competition;

	String alice;

	static int competitions;

	@BeforeEach
	void aCompetitionThatAllowsOneSelection() {
		this.clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		this.api = new TestSupport(this.mvc);
		this.competition = "edges-" + (++competitions);
		this.api.createCompetition(this.competition, """
				{"slug":"inline-task","title":"T","submissionKind":"FILE","evaluation":"INLINE",
				 "metric":"accuracy_score","selectionLimit":1}
				""");
		this.api.uploadSolution(this.competition, "inline-task", SOLUTION);
		this.alice = this.api.addParticipant(this.competition, "alice");
	}

	@Test
	void aPageWhoseOffsetOverflowsIsABadRequest() {
		MvcTestResult page = this.api.get(this.alice, "/api/me/submissions?page=21474837&size=100");
		assertThat(page).hasStatus(400)
			.bodyJson()
			.extractingPath("$.type")
			.isEqualTo("https://podium.dev/problems/invalid-request");
		assertThat(this.api.get(this.alice, "/api/me/submissions?page=1000000&size=100")).hasStatusOk();
	}

	@Test
	void theSelectionLimitMessageNamesTheLimitAndTheTask() {
		String first = this.api.submitFileId(this.alice, this.competition, "inline-task", PREDICTIONS);
		String second = this.api.submitFileId(this.alice, this.competition, "inline-task", PREDICTIONS);
		this.scheduler.runOnce();
		assertThat(select(first)).hasStatusOk();
		assertThat(select(second)).hasStatus(409)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("At most 1 submissions can be selected for task 'inline-task'; unselect one first");
	}

	private MvcTestResult select(String id) {
		return this.mvc.put()
			.uri("/api/submissions/{id}/selection", id)
			.header(HttpHeaders.AUTHORIZATION, bearer(this.alice))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"selected\":true}")
			.exchange();
	}

}
