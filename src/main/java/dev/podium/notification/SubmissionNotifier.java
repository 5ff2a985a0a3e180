package dev.podium.notification;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.PodiumProperties;
import dev.podium.alert.Deliveries;
import dev.podium.competition.Competition;
import dev.podium.competition.Competitions;
import dev.podium.competition.Task;
import dev.podium.submission.ScoreCard;
import dev.podium.submission.Submission;
import dev.podium.submission.SubmissionFinished;
import dev.podium.submission.SubmissionStatus;
import dev.podium.submission.Submissions;
import dev.podium.team.Teams;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Queues {@code submission.scored} and {@code submission.failed} for the submission's
 * team's webhook and its submitter's mail address, in the transaction that records the
 * outcome, so that nothing is told that did not happen and nothing that happened is lost.
 * Both carry what the submitter's own page shows: the private score only once the task
 * reveals it, a failure's category and participant-safe message.
 */
@Component
class SubmissionNotifier {

	private static final Logger log = LoggerFactory.getLogger(SubmissionNotifier.class);

	private final JdbcTemplate jdbc;

	private final Submissions submissions;

	private final Competitions competitions;

	private final Teams teams;

	private final Deliveries deliveries;

	private final ObjectProvider<JavaMailSender> mail;

	private final JsonMapper json;

	private final Clock clock;

	private final String pages;

	private final DataSource dataSource;

	SubmissionNotifier(JdbcTemplate jdbc, Submissions submissions, Competitions competitions, Teams teams,
			Deliveries deliveries, ObjectProvider<JavaMailSender> mail, JsonMapper json, Clock clock,
			PodiumProperties podium, Environment environment, DataSource dataSource) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.submissions = submissions;
		this.competitions = competitions;
		this.teams = teams;
		this.deliveries = deliveries;
		this.mail = mail;
		this.json = json;
		this.clock = clock;
		this.pages = ((podium.publicUrl() != null) ? podium.publicUrl().toString()
				: "http://localhost:" + environment.getProperty("server.port", "8080"))
			.replaceAll("/+$", "");
	}

	/**
	 * In a savepoint of the transaction that records the outcome (of its JDBC connection:
	 * the JPA transaction manager offers no nested transactions): whatever goes wrong in
	 * queuing its notifications (a bad row, a failed statement) is rolled back alone and
	 * logged, and the score or failure is recorded all the same. Nothing in here goes
	 * through a transactional proxy that would mark the whole transaction rollback-only.
	 */
	@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
	void on(SubmissionFinished finished) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		Savepoint savepoint;
		try {
			savepoint = connection.setSavepoint();
		}
		catch (SQLException ex) {
			log.warn("Could not queue the notifications of submission {} (no savepoint: {}); its outcome is recorded",
					finished.submissionId(), ex.getSQLState());
			return;
		}
		try {
			queue(finished);
			connection.releaseSavepoint(savepoint);
		}
		catch (RuntimeException | SQLException ex) {
			try {
				connection.rollback(savepoint);
			}
			catch (SQLException rollback) {
				ex.addSuppressed(rollback);
			}
			log.warn("Could not queue the notifications of submission {} ({}); its outcome is recorded",
					finished.submissionId(), ex.getClass().getSimpleName());
		}
	}

	private void queue(SubmissionFinished finished) {
		record Targets(String webhook, String address) {
		}
		Targets targets = this.jdbc.queryForObject("""
				select (select url from entrant_webhooks where entrant_id = ?),
				       (select address from notification_addresses where account_id = ?)
				""", (row, n) -> new Targets(row.getString(1), row.getString(2)), finished.entrantId(),
				finished.participantId());
		boolean mails = targets.address() != null && this.mail.getIfAvailable() != null;
		if (targets.webhook() == null && !mails) {
			return;
		}
		Submission submission = this.submissions.find(finished.submissionId()).orElseThrow();
		Competition competition = this.competitions.find(submission.competitionId()).orElseThrow();
		Task task = competition.task(submission.taskId()).orElseThrow();
		String type = (finished.status() == SubmissionStatus.SCORED) ? "submission.scored" : "submission.failed";
		Map<String, Object> event = event(type, submission, competition, task);
		if (targets.webhook() != null) {
			this.deliveries.toRegisteredWebhook(URI.create(targets.webhook()),
					EntrantWebhooks.signingKey(finished.entrantId()), type, this.json.writeValueAsString(event));
		}
		if (mails) {
			this.deliveries.mail(targets.address(), type, subject(submission, competition, task),
					text(event, competition, task));
		}
	}

	private Map<String, Object> event(String type, Submission submission, Competition competition, Task task) {
		Instant now = this.clock.instant();
		Instant revealAt = task.effectiveTimeRules().privateRevealAt();
		boolean privateVisible = revealAt == null || !now.isBefore(revealAt);
		Map<UUID, String> names = this.teams.names(List.of(submission.entrantId(), submission.participantId()));
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", type);
		event.put("id", submission.id().toString());
		event.put("competition", competition.slug());
		event.put("task", task.slug());
		event.put("status", submission.status().name());
		event.put("team", names.get(submission.entrantId()));
		event.put("submittedBy", names.get(submission.participantId()));
		event.put("submittedAt", submission.submittedAt().toString());
		if (submission.status() == SubmissionStatus.SCORED) {
			event.put("publicScore", submission.publicScore());
			if (privateVisible) {
				event.put("privateScore", submission.privateScore());
			}
			Map<String, ScoreCard.Split> secondary = this.submissions.secondaryScores(submission.id());
			if (!secondary.isEmpty()) {
				Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
				secondary.forEach((metric, split) -> {
					Map<String, Double> scores = new LinkedHashMap<>();
					scores.put("publicScore", split.publicScore());
					if (privateVisible) {
						scores.put("privateScore", split.privateScore());
					}
					metrics.put(metric, scores);
				});
				event.put("metrics", metrics);
			}
		}
		submission.failure()
			.ifPresent((failure) -> event.put("failure",
					Map.of("category", failure.category().name(), "message", failure.message())));
		event.put("link", this.pages + "/me#task-" + task.slug());
		event.put("at", now.toString());
		return event;
	}

	private static String subject(Submission submission, Competition competition, Task task) {
		String outcome = (submission.status() == SubmissionStatus.SCORED)
				? "scored " + Optional.ofNullable(submission.publicScore()).map(Object::toString).orElse("(no score)")
				: "failed";
		return "%s / %s: your submission %s".formatted(competition.title(), task.title(), outcome);
	}

	@SuppressWarnings("unchecked")
	private static String text(Map<String, Object> event, Competition competition, Task task) {
		StringBuilder text = new StringBuilder();
		text.append("Your submission to ")
			.append(competition.title())
			.append(" / ")
			.append(task.title())
			.append(" is ")
			.append(event.get("status"))
			.append(".\n\n");
		text.append("Submission: ").append(event.get("id")).append('\n');
		text.append("Submitted:  ").append(event.get("submittedAt")).append(" by ").append(event.get("submittedBy"));
		text.append(" for ").append(event.get("team")).append('\n');
		if (event.containsKey("publicScore")) {
			text.append("Public score:  ").append(event.get("publicScore")).append('\n');
		}
		if (event.containsKey("privateScore")) {
			text.append("Private score: ").append(event.get("privateScore")).append('\n');
		}
		if (event.get("metrics") instanceof Map<?, ?> metrics) {
			((Map<String, Map<String, Double>>) metrics).forEach((metric, scores) -> text.append("  ")
				.append(metric)
				.append(": ")
				.append(scores.get("publicScore"))
				.append(scores.containsKey("privateScore") ? " (private " + scores.get("privateScore") + ")" : "")
				.append('\n'));
		}
		if (event.get("failure") instanceof Map<?, ?> failure) {
			text.append("Failure: ").append(failure.get("category")).append(": ").append(failure.get("message"));
			text.append('\n');
		}
		text.append("\nYour page: ").append(event.get("link")).append('\n');
		text.append("\nYou receive this because you asked Podium to mail you your submissions' outcomes; ")
			.append("remove it on your page (Notifications) or with DELETE /api/me/notifications/email to stop.\n");
		return text.toString();
	}

}
