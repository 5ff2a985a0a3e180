package dev.podium.importing;

import java.time.Instant;
import java.util.List;

import dev.podium.competition.CompetitionDefinition;
import dev.podium.competition.CompetitionTexts;
import dev.podium.submission.SubmissionHistory;

/**
 * Everything an import writes, read and checked before anything is written.
 *
 * @param script whether the task runs the participants' {@code script.py}
 * @param dataset the dataset repo with the test inputs those scripts read
 */
record ImportPlan(String source, CompetitionDefinition definition, CompetitionTexts texts, boolean script,
		String dataset, byte[] solution, List<Participant> participants, List<Team> teams,
		List<PastSubmission> submissions, ImportReport report) {

	record Participant(String hfUserId, String name) {
	}

	/** A team of huggingface/competitions: a free-text name and its members' user ids. */
	record Team(String id, String name, List<String> members, String leader) {
	}

	/**
	 * @param teamId whose entry it is
	 * @param submittedBy the member who made it
	 */
	record PastSubmission(String teamId, String submittedBy, String externalId, Instant submittedAt,
			SubmissionHistory.Outcome outcome, Double publicScore, Double privateScore, boolean selected,
			String comment, String fileName, byte[] file, String model, String revision, String failureMessage) {

		@Override
		public String toString() {
			return "PastSubmission[" + this.externalId + ", " + this.outcome + "]";
		}

	}

}
