package dev.podium.competition;

/**
 * What a competition's page tells participants, as Markdown source
 * (huggingface/competitions' {@code COMPETITION_DESC.md}, {@code DATASET_DESC.md},
 * {@code SUBMISSION_DESC.md}, {@code RULES.md}). Shown as text: never interpreted as
 * HTML.
 *
 * @param logoUrl an image URL ({@code https} only); {@code null} for none
 */
public record CompetitionTexts(String description, String datasetDescription, String submissionDescription,
		String rules, String logoUrl) {

	public static final CompetitionTexts NONE = new CompetitionTexts(null, null, null, null, null);

	public boolean isEmpty() {
		return this.equals(NONE);
	}

}
