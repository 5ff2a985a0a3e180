package dev.podium.budget;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.alert.Alerts;
import dev.podium.problem.InvalidRequestException;
import dev.podium.submission.SubmissionQueue;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The daily creation budget of a Hub namespace. A sandbox is created only after a charge
 * is recorded in the ledger, under a lock on the budget's row, so that the limit holds
 * however many instances race; a sandbox name is charged at most once. The limit lives in
 * the database once seeded from configuration, and every change is audited.
 */
@Service
public class CreationBudget {

	private static final Logger log = LoggerFactory.getLogger(CreationBudget.class);

	static final int[] THRESHOLDS = { 80, 95, 100 };

	private final BudgetProperties properties;

	private final JdbcTemplate jdbc;

	private final Alerts alerts;

	private final SubmissionQueue queue;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	CreationBudget(BudgetProperties properties, JdbcTemplate jdbc, Alerts alerts, SubmissionQueue queue,
			ApplicationEventPublisher events, Clock clock) {
		this.properties = properties;
		this.jdbc = jdbc;
		this.alerts = alerts;
		this.queue = queue;
		this.events = events;
		this.clock = clock;
	}

	public String namespace() {
		return this.properties.namespace();
	}

	/**
	 * Charges the creation of the named sandbox, or says why not and when to ask again.
	 * Charging a name already charged succeeds without charging again. The time of the
	 * charge is read once the ledger's lock is held, never before waiting for it: a
	 * charge can never be dated before one that committed while it waited, so that racing
	 * instances together never exceed the limit.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public ChargeDecision charge(String sandboxName) {
		Row budget = lockRow();
		Instant now = this.clock.instant();
		Boolean charged = this.jdbc.query("select refunded_at is null from creation_charges where sandbox_name = ?",
				(rs) -> rs.next() ? rs.getBoolean(1) : null, sandboxName);
		if (Boolean.TRUE.equals(charged)) {
			return ChargeDecision.granted();
		}
		if (budget.blockedUntil() != null && now.isBefore(budget.blockedUntil())) {
			return ChargeDecision.denied("BLOCKED", budget.blockedUntil());
		}
		if (budget.limit() == 0) {
			return ChargeDecision.denied("PAUSED", null);
		}
		BudgetWindow window = window(now);
		long used = used(window);
		if (used >= budget.limit()) {
			return ChargeDecision.denied("SPENT", nextCapacity(window, now));
		}
		this.jdbc.update("""
				insert into creation_charges (sandbox_name, namespace, charged_at) values (?, ?, ?)
				on conflict (sandbox_name) do update set charged_at = excluded.charged_at, refunded_at = null
				""", sandboxName, namespace(), Timestamp.from(now));
		alertOnThresholds(budget.limit(), used, used + 1, window);
		return ChargeDecision.granted();
	}

	/**
	 * Nothing was created (the provider refused definitively, or answered the creation
	 * limit): the charge does not count.
	 */
	@Transactional
	public void refund(String sandboxName) {
		this.jdbc.update("update creation_charges set refunded_at = ? where sandbox_name = ? and refunded_at is null",
				Timestamp.from(this.clock.instant()), sandboxName);
	}

	/**
	 * The provider answered its creation limit although the ledger had room (someone else
	 * creates in the namespace, or the limit is lower than configured): no creation until
	 * {@code retryAt} when the provider said when, else until the window resets; an
	 * operator can lift it sooner. Alerts once per block, not once per refusal.
	 * @return until when creations wait
	 */
	@Transactional
	public Instant blockCreations(Instant retryAt, String reason) {
		Row budget = lockRow();
		Instant now = this.clock.instant();
		Instant until = (retryAt != null && retryAt.isAfter(now)) ? retryAt : reset(now);
		if (budget.blockedUntil() != null && !budget.blockedUntil().isBefore(until)) {
			return budget.blockedUntil();
		}
		boolean alreadyBlocked = budget.blockedUntil() != null && budget.blockedUntil().isAfter(now);
		this.jdbc.update("update creation_budgets set blocked_until = ?, version = version + 1 where namespace = ?",
				Timestamp.from(until), namespace());
		log.warn("The provider refused a creation in namespace {} ({}): creations wait until {}", namespace(), reason,
				until);
		if (!alreadyBlocked) {
			Map<String, Object> event = new LinkedHashMap<>();
			event.put("namespace", namespace());
			event.put("blockedUntil", until.toString());
			event.put("reason", reason);
			this.alerts.raise("hub.rate-limited", event);
		}
		this.events.publishEvent(new BudgetChanged(namespace(), budget.limit(), budget.limit()));
		return until;
	}

	/** An operator lifts a block of creations (say, after the Hub raised the quota). */
	@Transactional
	public BudgetStatus liftBlock(String reason, String changedBy) {
		if (reason == null || reason.isBlank() || reason.length() > 500) {
			throw new InvalidRequestException("reason", "must say why, in at most 500 characters");
		}
		Row budget = lockRow();
		Instant now = this.clock.instant();
		this.jdbc.update(
				"update creation_budgets set blocked_until = null, updated_at = ?, version = version + 1 where namespace = ?",
				Timestamp.from(now), namespace());
		this.jdbc.update("""
				insert into budget_changes (namespace, changed_by, changed_at, old_limit, new_limit, reason)
				values (?, ?, ?, ?, ?, ?)
				""", namespace(), changedBy, Timestamp.from(now), budget.limit(), budget.limit(),
				"block lifted: " + reason.strip());
		log.info("Creation block of {} lifted by {}: {}", namespace(), changedBy, reason.strip());
		this.events.publishEvent(new BudgetChanged(namespace(), budget.limit(), budget.limit()));
		return status();
	}

	/** Changes the limit: 0 pauses creations; a raise releases deferred work at once. */
	@Transactional
	public BudgetStatus changeLimit(int newLimit, String reason, String changedBy) {
		if (newLimit < 0 || newLimit > 100_000) {
			throw new InvalidRequestException("limit", "must be between 0 and 100000");
		}
		if (reason == null || reason.isBlank() || reason.length() > 500) {
			throw new InvalidRequestException("reason", "must say why, in at most 500 characters");
		}
		Row budget = lockRow();
		Instant now = this.clock.instant();
		this.jdbc.update(
				"update creation_budgets set creation_limit = ?, updated_at = ?, version = version + 1 where namespace = ?",
				newLimit, Timestamp.from(now), namespace());
		this.jdbc.update("""
				insert into budget_changes (namespace, changed_by, changed_at, old_limit, new_limit, reason)
				values (?, ?, ?, ?, ?, ?)
				""", namespace(), changedBy, Timestamp.from(now), budget.limit(), newLimit, reason.strip());
		log.info("Creation budget of {} changed from {} to {} by {}: {}", namespace(), budget.limit(), newLimit,
				changedBy, reason.strip());
		this.events.publishEvent(new BudgetChanged(namespace(), budget.limit(), newLimit));
		return status();
	}

	@Transactional(readOnly = true)
	public BudgetStatus status() {
		return status(true);
	}

	/**
	 * The same without counting the queue ({@code waiting} is -1): what the planner and
	 * the start estimates decide with, on every round and request, at a cost that does
	 * not grow with the queue.
	 */
	@Transactional(readOnly = true)
	public BudgetStatus allowance() {
		return status(false);
	}

	private BudgetStatus status(boolean countWaiting) {
		Instant now = this.clock.instant();
		Row budget = row();
		BudgetWindow window = window(now);
		long used = used(window);
		Instant blocked = (budget.blockedUntil() != null && budget.blockedUntil().isAfter(now)) ? budget.blockedUntil()
				: null;
		Instant resetsAt = (this.properties.windowMode() == WindowMode.FIXED) ? window.end()
				: (used > 0 ? nextCapacity(window, now) : null);
		return new BudgetStatus(namespace(), budget.limit(), used, Math.max(0, budget.limit() - used),
				this.properties.windowMode(), this.properties.window(), window.start(), resetsAt, blocked,
				countWaiting ? this.queue.countWaiting("SANDBOX") : -1);
	}

	/**
	 * A cheap fingerprint of the budget's settings: it changes with every limit change or
	 * block.
	 */
	@Transactional(readOnly = true)
	public long version() {
		return row().version();
	}

	/**
	 * When the window frees everything charged now: the FIXED window's end, or one
	 * ROLLING length.
	 */
	private Instant reset(Instant now) {
		return (this.properties.windowMode() == WindowMode.FIXED) ? window(now).end()
				: now.plus(this.properties.window());
	}

	public BudgetWindow window(Instant now) {
		return BudgetWindow.at(now, this.properties.windowMode(), this.properties.window(), this.properties.zone());
	}

	public BudgetProperties settings() {
		return this.properties;
	}

	/**
	 * Changes newest first, and creations per window for the last {@code windows}
	 * windows.
	 */
	@Transactional(readOnly = true)
	public BudgetHistory history(int windows) {
		Instant now = this.clock.instant();
		List<BudgetHistory.Change> changes = this.jdbc.query("""
				select changed_by, changed_at, old_limit, new_limit, reason from budget_changes
				where namespace = ? order by changed_at desc, id desc limit 200
				""", (rs, n) -> new BudgetHistory.Change(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getInt(3),
				rs.getInt(4), rs.getString(5)), namespace());
		BudgetWindow fixed = BudgetWindow.at(now, WindowMode.FIXED, this.properties.window(), this.properties.zone());
		Map<Instant, long[]> usage = new TreeMap<>();
		Instant cursor = fixed.start();
		for (int i = 0; i < windows; i++) {
			usage.put(cursor, new long[] { 0 });
			cursor = BudgetWindow
				.at(cursor.minusMillis(1), WindowMode.FIXED, this.properties.window(), this.properties.zone())
				.start();
		}
		Instant oldest = ((TreeMap<Instant, long[]>) usage).firstKey();
		this.jdbc.query("""
				select charged_at from creation_charges
				where namespace = ? and refunded_at is null and charged_at >= ?
				""", (rs) -> {
			Instant at = rs.getTimestamp(1).toInstant();
			long[] count = usage
				.get(BudgetWindow.at(at, WindowMode.FIXED, this.properties.window(), this.properties.zone()).start());
			if (count != null) {
				count[0]++;
			}
		}, namespace(), Timestamp.from(oldest));
		List<BudgetHistory.Usage> windowsUsage = new ArrayList<>();
		usage.forEach((start, count) -> windowsUsage.add(new BudgetHistory.Usage(start, count[0])));
		return new BudgetHistory(changes, windowsUsage);
	}

	private void alertOnThresholds(int limit, long before, long after, BudgetWindow window) {
		for (int threshold : THRESHOLDS) {
			boolean crossed = before * 100 < (long) threshold * limit && after * 100 >= (long) threshold * limit;
			if (!crossed) {
				continue;
			}
			int marked = this.jdbc.update("""
					insert into budget_threshold_marks (namespace, window_start, threshold) values (?, ?, ?)
					on conflict do nothing
					""", namespace(), Timestamp.from(window.start()), threshold);
			if (marked == 1) {
				Map<String, Object> event = new LinkedHashMap<>();
				event.put("namespace", namespace());
				event.put("threshold", threshold);
				event.put("used", after);
				event.put("limit", limit);
				event.put("resetsAt", window.end().toString());
				this.alerts.raise("budget.threshold", event);
			}
		}
	}

	/**
	 * Charges in the window. A charge dated after the window's start counts whatever its
	 * time: none can be later than now, as charges are dated under the ledger's lock.
	 */
	private long used(BudgetWindow window) {
		Long used = this.jdbc.queryForObject("""
				select count(*) from creation_charges
				where namespace = ? and refunded_at is null and charged_at >= ?
				""", Long.class, namespace(), Timestamp.from(window.start()));
		return (used != null) ? used : 0;
	}

	private Instant nextCapacity(BudgetWindow window, Instant now) {
		if (this.properties.windowMode() == WindowMode.FIXED) {
			return window.end();
		}
		Timestamp oldest = this.jdbc.queryForObject("""
				select min(charged_at) from creation_charges
				where namespace = ? and refunded_at is null and charged_at >= ?
				""", Timestamp.class, namespace(), Timestamp.from(window.start()));
		return (oldest != null) ? oldest.toInstant().plus(this.properties.window()) : now;
	}

	/**
	 * The limit, with the budget locked until the transaction ends, for changes that
	 * depend on it (approving or ending a raise).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	int lockLimit() {
		return lockRow().limit();
	}

	private Row lockRow() {
		ensureRow();
		return this.jdbc.queryForObject(
				"select creation_limit, blocked_until, version from creation_budgets where namespace = ? for update",
				Row.MAPPER, namespace());
	}

	/** Reads without writing, so that read-only callers can ask before the row exists. */
	private Row row() {
		return this.jdbc
			.query("select creation_limit, blocked_until, version from creation_budgets where namespace = ?",
					Row.MAPPER, namespace())
			.stream()
			.findFirst()
			.orElseGet(() -> new Row(this.properties.limit(), null, -1));
	}

	/** The configured limit seeds the budget once; afterwards the database holds it. */
	@EventListener(ApplicationReadyEvent.class)
	@Transactional
	public void ensureRow() {
		this.jdbc.update("""
				insert into creation_budgets (namespace, creation_limit, updated_at) values (?, ?, ?)
				on conflict (namespace) do nothing
				""", namespace(), this.properties.limit(), Timestamp.from(this.clock.instant()));
	}

	private record Row(int limit, Instant blockedUntil, long version) {

		static final org.springframework.jdbc.core.RowMapper<Row> MAPPER = (rs, n) -> new Row(rs.getInt(1),
				(rs.getTimestamp(2) != null) ? rs.getTimestamp(2).toInstant() : null, rs.getLong(3));

	}

}
