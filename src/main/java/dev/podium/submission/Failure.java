package dev.podium.submission;

/**
 * Why a submission failed; the message is safe to show its participant, and never longer
 * than {@link #MAX_MESSAGE} characters, whatever it quotes (a long problem list, a
 * sandbox's report), so that storing it can never fail.
 */
public record Failure(FailureCategory category, String message) {

	/** Leaves room in the 2,000-character column for a suffix such as the attempts. */
	public static final int MAX_MESSAGE = 1800;

	public Failure {
		message = truncate((message == null || message.isBlank()) ? "the evaluation failed" : message.strip(),
				MAX_MESSAGE);
	}

	/**
	 * Cuts {@code text} to at most {@code max} characters, never in the middle of a
	 * surrogate pair, marking the cut.
	 */
	public static String truncate(String text, int max) {
		if (text == null || text.length() <= max) {
			return text;
		}
		int end = max - 1;
		if (Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + "…";
	}

}
