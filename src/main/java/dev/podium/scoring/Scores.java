package dev.podium.scoring;

/**
 * The score of one submission on each split of the solution.
 *
 * @param publicScore the score on the public rows, {@code null} when the solution has
 * none
 * @param privateScore the score on the private rows, {@code null} when the solution has
 * none
 */
public record Scores(Double publicScore, Double privateScore) {
}
