package dev.podium.importing;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.podium.importing.ImportPlan.PastSubmission;
import dev.podium.submission.SubmissionHistory.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading huggingface/competitions' files, old and new formats, without a database. */
class HfCompetitionReaderTests {

	static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

	@Test
	void readsTheFirstFormatOfSubmissionInfoWithSeparateDateAndTimeWordsAndBareScores() {
		HfCompetitionRepo repo = HfCompetitionRepo.generic()
			.with("submission_info/" + HfCompetitionRepo.ALICE_TEAM + ".json", """
					{"name": "alice", "id": "%s", "submissions": [
					  {"date": "2026-11-09", "time": "12:54:55", "submission_id": "old-1", "submission_comment": "",
					   "status": "done", "selected": true, "public_score": 0.75, "private_score": 0.5},
					  {"date": "2026-11-10", "time": "08:00:00", "submission_id": "old-2", "submission_comment": "",
					   "status": "pending", "selected": false, "public_score": -1, "private_score": -1}]}
					""".formatted(HfCompetitionRepo.ALICE_TEAM));
		ImportPlan plan = read(repo);
		PastSubmission first = find(plan, "old-1");
		assertThat(first.submittedAt()).isEqualTo(Instant.parse("2026-11-09T12:54:55Z"));
		assertThat(first.outcome()).isEqualTo(Outcome.SCORED);
		assertThat(first.publicScore()).isEqualTo(0.75);
		assertThat(first.privateScore()).isEqualTo(0.5);
		assertThat(first.selected()).isTrue();
		// no submitted_by before teams: the team's leader made it
		assertThat(first.submittedBy()).isEqualTo(HfCompetitionRepo.ALICE);
		PastSubmission pending = find(plan, "old-2");
		assertThat(pending.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(pending.failureMessage()).contains("file is missing");
		assertThat(plan.definition().startsAt()).isEqualTo(Instant.parse("2026-11-08T00:00:00Z"));
	}

	@Test
	void aCustomMetricRanksByItsScoringMetricAndNamesMetricPyAsNotRun() {
		HfCompetitionRepo repo = HfCompetitionRepo.generic()
			.with("conf.json",
					HfCompetitionRepo.generic().files.get("conf.json")
						.replace("\"EVAL_METRIC\": \"accuracy_score\"", "\"EVAL_METRIC\": \"custom\"")
						.replace("\"SCORING_METRIC\": \"accuracy_score\"", "\"SCORING_METRIC\": \"f1_score\""))
			.with("metric.py", "def compute(params):\n    pass\n")
			.with("submission_info/" + HfCompetitionRepo.ALICE_TEAM + ".json", """
					{"id": "%s", "submissions": [
					  {"datetime": "2026-11-21 09:00:00", "submission_id": "c1", "submitted_by": "%s", "status": 3,
					   "selected": false, "public_score": {"f1_score": 0.9, "accuracy_score": 0.1},
					   "private_score": {"f1_score": 0.7, "accuracy_score": 0.2}}]}
					""".formatted(HfCompetitionRepo.ALICE_TEAM, HfCompetitionRepo.ALICE));
		ImportPlan plan = read(repo);
		assertThat(plan.report().problems()).isEmpty();
		assertThat(plan.definition().tasks().get(0).metric()).isEqualTo("f1_score");
		assertThat(find(plan, "c1").publicScore()).isEqualTo(0.9);
		assertThat(plan.report().notMapped()).anySatisfy(
				(item) -> assertThat(item.key() + " " + item.reason()).startsWith("EVAL_METRIC").contains("metric.py"));
	}

	@Test
	void whatCannotBeReadIsAProblemNamedByFileAndEntry() {
		HfCompetitionRepo repo = HfCompetitionRepo.generic()
			.without("solution.csv")
			.with("conf.json", HfCompetitionRepo.generic().files.get("conf.json").replace("\"generic\"", "\"video\""))
			.with("submission_info/" + HfCompetitionRepo.BOB_TEAM + ".json", """
					{"id": "%s", "submissions": [{"datetime": "yesterday", "submission_id": "x", "status": 3}]}
					""".formatted(HfCompetitionRepo.BOB_TEAM));
		List<String> where = read(repo).report().problems().stream().map(ImportReport.Problem::where).toList();
		assertThat(where).contains("solution.csv", "conf.json COMPETITION_TYPE",
				"submission_info/" + HfCompetitionRepo.BOB_TEAM + ".json submissions[0]");
	}

	@Test
	void unknownSettingsAndFilesAreNamedAsLeftBehind() {
		HfCompetitionRepo repo = HfCompetitionRepo.generic()
			.with("conf.json",
					HfCompetitionRepo.generic().files.get("conf.json").replace("{", "{\"SOMETHING_NEW\": 1,"))
			.with("requirements.txt", "torch\n");
		List<String> keys = read(repo).report().notMapped().stream().map(ImportReport.NotMapped::key).toList();
		assertThat(keys).contains("SOMETHING_NEW", "requirements.txt");
	}

	static ImportPlan read(HfCompetitionRepo repo) {
		return HfCompetitionReader.read(new RepoFiles("archive:test", "test-repo", repo.bytes()), "test", null, NOW);
	}

	static PastSubmission find(ImportPlan plan, String id) {
		return plan.submissions().stream().filter((past) -> past.externalId().equals(id)).findFirst().orElseThrow();
	}

}
