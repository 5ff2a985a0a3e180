package dev.podium.submission;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A scored submission's secondary metrics and the predictions its sandbox handed in,
 * written in the transaction that records its scores.
 */
@Component
class SecondaryScores {

	private final JdbcTemplate jdbc;

	private final NamedParameterJdbcTemplate named;

	private final Clock clock;

	SecondaryScores(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, Clock clock) {
		this.jdbc = jdbc;
		this.named = named;
		this.clock = clock;
	}

	/** Replaces the submission's secondary scores (a re-score may drop a metric). */
	@Transactional(propagation = Propagation.MANDATORY)
	void write(UUID submissionId, Map<String, ScoreCard.Split> secondary) {
		this.jdbc.update("delete from submission_metrics where submission_id = ?", submissionId);
		secondary.forEach((metric, split) -> this.jdbc.update(
				"insert into submission_metrics (submission_id, metric, public_score, private_score) values (?, ?, ?, ?)",
				submissionId, metric, split.publicScore(), split.privateScore()));
	}

	@Transactional(propagation = Propagation.MANDATORY)
	void keepPredictions(UUID submissionId, byte[] predictions) {
		this.jdbc.update("""
				insert into submission_predictions (submission_id, content, stored_at) values (?, ?, ?)
				on conflict (submission_id) do update set content = excluded.content, stored_at = excluded.stored_at
				""", submissionId, predictions, Timestamp.from(this.clock.instant()));
	}

	/** The secondary scores of each of the submissions that has any. */
	@Transactional(readOnly = true)
	Map<UUID, Map<String, ScoreCard.Split>> read(Collection<UUID> submissionIds) {
		Map<UUID, Map<String, ScoreCard.Split>> scores = new HashMap<>();
		if (submissionIds.isEmpty()) {
			return scores;
		}
		this.named.query(
				"select submission_id, metric, public_score, private_score from submission_metrics"
						+ " where submission_id = any(cast(:ids as uuid[])) order by metric",
				new MapSqlParameterSource("ids", submissionIds.toArray(UUID[]::new)), (row) -> {
					scores.computeIfAbsent(row.getObject(1, UUID.class), (key) -> new LinkedHashMap<>())
						.put(row.getString(2),
								new ScoreCard.Split(row.getObject(3, Double.class), row.getObject(4, Double.class)));
				});
		return scores;
	}

	@Transactional(readOnly = true)
	Map<String, ScoreCard.Split> read(UUID submissionId) {
		Map<String, ScoreCard.Split> scores = new LinkedHashMap<>();
		this.jdbc.query(
				"select metric, public_score, private_score from submission_metrics where submission_id = ? order by metric",
				(row) -> {
					scores.put(row.getString(1),
							new ScoreCard.Split(row.getObject(2, Double.class), row.getObject(3, Double.class)));
				}, submissionId);
		return scores;
	}

	@Transactional(readOnly = true)
	Optional<byte[]> predictions(UUID submissionId) {
		return this.jdbc
			.query("select content from submission_predictions where submission_id = ?", (row, n) -> row.getBytes(1),
					submissionId)
			.stream()
			.findFirst();
	}

}
