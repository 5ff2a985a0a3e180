/**
 * Scores a participant's predictions against a competition's hidden solution the way
 * scikit-learn does. Owns the solution CSV format (id, {@code split} and target columns),
 * the checks on predictions CSV files whose messages are shown to participants, the
 * metrics known by their scikit-learn names, and the public and private scores. Plain
 * Java with no Spring beans: other modules call {@link dev.podium.scoring.Solution} and
 * {@link dev.podium.scoring.Metrics} directly.
 */
package dev.podium.scoring;
