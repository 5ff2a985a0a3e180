package dev.podium.evaluation;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.budget.BudgetStatus;
import dev.podium.budget.CreationBudget;
import dev.podium.submission.QueueForecast;
import dev.podium.submission.SubmissionQueue;
import dev.podium.submission.Submissions;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The queue and the budget as gauges for Prometheus. They are refreshed on a schedule
 * rather than computed on every scrape, so that scrapes cost the database nothing.
 */
@Component
class QueueMetrics {

	private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);

	static final String[] REASONS = { "next", "sandbox_starting", "planned", "budget", "capacity", "retry", "checking",
			"provider", "operator" };

	/**
	 * The gauges by reason look this far into the queue, so that a scrape costs little.
	 */
	static final int SAMPLE = 1000;

	private final CreationBudget budget;

	private final SubmissionQueue queue;

	private final Submissions submissions;

	private final QueueForecast forecast;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final AtomicLong limit = new AtomicLong();

	private final AtomicLong used = new AtomicLong();

	private final AtomicLong remaining = new AtomicLong();

	private final AtomicLong oldestWaitingSeconds = new AtomicLong();

	private final Map<String, AtomicLong> waiting = new ConcurrentHashMap<>();

	QueueMetrics(CreationBudget budget, SubmissionQueue queue, Submissions submissions, QueueForecast forecast,
			JdbcTemplate jdbc, Clock clock, MeterRegistry meters) {
		this.budget = budget;
		this.queue = queue;
		this.submissions = submissions;
		this.forecast = forecast;
		this.jdbc = jdbc;
		this.clock = clock;
		String namespace = budget.namespace();
		Gauge.builder("podium.budget.limit", this.limit, AtomicLong::get)
			.tag("namespace", namespace)
			.description("Sandbox creations allowed per window")
			.register(meters);
		Gauge.builder("podium.budget.used", this.used, AtomicLong::get)
			.tag("namespace", namespace)
			.description("Sandbox creations charged in the current window")
			.register(meters);
		Gauge.builder("podium.budget.remaining", this.remaining, AtomicLong::get)
			.tag("namespace", namespace)
			.description("Sandbox creations left in the current window")
			.register(meters);
		for (String reason : REASONS) {
			AtomicLong count = new AtomicLong();
			this.waiting.put(reason, count);
			Gauge.builder("podium.submissions.waiting", count, AtomicLong::get)
				.tag("reason", reason)
				.description("Queued submissions by what they wait for (among the first " + SAMPLE + " in order)")
				.register(meters);
		}
		Gauge.builder("podium.submissions.oldest.waiting", this.oldestWaitingSeconds, AtomicLong::get)
			.baseUnit("seconds")
			.description("Age of the oldest queued submission")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${podium.metrics.refresh-interval:15s}", initialDelay = 0)
	void refresh() {
		try {
			BudgetStatus status = this.budget.allowance();
			this.limit.set(status.limit());
			this.used.set(status.used());
			this.remaining.set(status.remaining());
			var queued = this.submissions.findAll(this.queue.waitingInOrder(SAMPLE));
			Map<String, Long> counts = new ConcurrentHashMap<>();
			this.forecast.forecast(queued).values().forEach((wait) -> {
				if (wait.waitingFor() != null) {
					counts.merge(wait.waitingFor().toLowerCase(Locale.ROOT), 1L, Long::sum);
				}
			});
			this.waiting.forEach((reason, count) -> count.set(counts.getOrDefault(reason, 0L)));
			Timestamp oldest = this.jdbc
				.queryForObject("select min(submitted_at) from submissions where status = 'QUEUED'", Timestamp.class);
			this.oldestWaitingSeconds.set((oldest != null)
					? Math.max(0, Duration.between(oldest.toInstant(), this.clock.instant()).toSeconds()) : 0);
		}
		catch (RuntimeException ex) {
			log.debug("Could not refresh queue metrics: {}", ex.getMessage());
		}
	}

}
