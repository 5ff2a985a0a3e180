package dev.podium.importing;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an import did or, in a dry run or when something blocks it, would do: the
 * competition it makes, how each setting of {@code conf.json} maps to Podium's rules,
 * what could not be mapped, the people and teams (by their Hugging Face ids) and the
 * history it brings.
 *
 * @param problems what stops the import; empty when it can go ahead
 * @param notMapped what it leaves behind or changes, named so that nobody is surprised
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportReport(String source, boolean dryRun, boolean created, Planned competition, List<Mapping> mapped,
		List<NotMapped> notMapped, List<Problem> problems, People participants, List<Team> teams, History submissions) {

	public boolean blocked() {
		return !this.problems.isEmpty();
	}

	ImportReport done(boolean dryRun, boolean created) {
		return new ImportReport(this.source, dryRun, created, this.competition, this.mapped, this.notMapped,
				this.problems, this.participants, this.teams, this.submissions);
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Planned(String slug, String title, Instant startsAt, Instant endsAt, String timezone,
			String privateBoardRule, List<PlannedTask> tasks, List<String> texts, String logoUrl) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record PlannedTask(String slug, String submissionKind, String evaluation, String runner, String metric,
			boolean higherIsBetter, int dailySubmissionLimit, int selectionLimit, String idColumn, String hardware,
			long timeoutSeconds, String dataset, Integer solutionRows) {
	}

	/** A setting and the Podium rule it became. */
	public record Mapping(String key, String value, String rule) {
	}

	/** A setting or file that Podium does not carry over as it was, and why. */
	public record NotMapped(String key, String value, String reason) {
	}

	/** Something to fix before the import can run: where, and what. */
	public record Problem(String where, String message) {
	}

	/** The participants the import makes, by Hugging Face user id. */
	public record People(int count, List<String> hfUserIds) {
	}

	public record Team(String id, String name, List<String> members, String leader) {
	}

	public record History(int total, int scored, int failed, int waiting, int selected, int files, int filesMissing,
			int skipped) {
	}

}
