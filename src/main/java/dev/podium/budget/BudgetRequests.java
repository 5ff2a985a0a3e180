package dev.podium.budget;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.alert.Alerts;
import dev.podium.problem.InvalidRequestException;
import dev.podium.problem.ProblemException;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Requests for a larger creation budget: organizers ask, operators approve or refuse, and
 * an approved temporary raise is undone when it ends, by whichever instance gets there
 * first, once. Every step is in the request's history and raised as an alert; the limit
 * itself changes only through {@link CreationBudget#changeLimit}, audited there.
 * <p>
 * Locks are always taken budget first, then requests, so that an approval and an ending
 * never wait for each other in a circle.
 */
@Service
public class BudgetRequests {

	private static final Logger log = LoggerFactory.getLogger(BudgetRequests.class);

	/** Who changes the limit back when a raise ends. */
	static final String PODIUM = "podium";

	private static final String COLUMNS = """
			id, status, requested_by, requested_by_id, requested_at, requested_limit, reason, until,
			decided_by, decided_at, decision_reason, revert_to, ended_at, version""";

	private static final RowMapper<BudgetRequest> MAPPER = BudgetRequests::map;

	private final CreationBudget budget;

	private final JdbcTemplate jdbc;

	private final Alerts alerts;

	private final TransactionTemplate transactions;

	private final Clock clock;

	BudgetRequests(CreationBudget budget, JdbcTemplate jdbc, Alerts alerts, TransactionTemplate transactions,
			Clock clock) {
		this.budget = budget;
		this.jdbc = jdbc;
		this.alerts = alerts;
		this.transactions = transactions;
		this.clock = clock;
	}

	/** An organizer (or operator) asks for the limit to become {@code limit}. */
	@Transactional
	public BudgetRequest ask(PodiumUser requester, int limit, String reason, Instant until) {
		Instant now = this.clock.instant();
		if (limit < 1 || limit > 100_000) {
			throw new InvalidRequestException("limit", "must be between 1 and 100000");
		}
		String why = requireReason(reason);
		if (until != null && !until.isAfter(now)) {
			throw new InvalidRequestException("until", "must be in the future (it is " + now + ")");
		}
		int current = this.budget.status().limit();
		if (limit <= current) {
			throw new InvalidRequestException("limit", "must be above the current limit of " + current);
		}
		BudgetRequest request = BudgetRequest.open(requester.id(), requester.name(), limit, why, until, now);
		this.jdbc.update("""
				insert into budget_requests (id, namespace, status, requested_by, requested_by_id, requested_at,
				                             requested_limit, reason, until)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", request.id(), this.budget.namespace(), request.status().name(), request.requestedBy(),
				request.requestedById(), Timestamp.from(now), limit, why, timestamp(until));
		record(request, requester.name(), "REQUESTED",
				"asked for %d (now %d)%s: %s".formatted(limit, current, untilText(until), why), now);
		Map<String, Object> event = event(request);
		event.put("currentLimit", current);
		event.put("reason", why);
		this.alerts.raise("budget.raise-requested", event);
		log.info("Budget raise to {} requested by {}{}", limit, requester.name(), untilText(until));
		return request;
	}

	/**
	 * Raises the limit as asked. An earlier temporary raise still in force that this one
	 * outlasts is over: this one takes over what it would have restored.
	 */
	@Transactional
	public BudgetRequest approve(UUID id, String operator, String reason) {
		String why = requireReason(reason);
		Instant now = this.clock.instant();
		int current = this.budget.lockLimit();
		BudgetRequest request = lockOpen(id, "approved");
		if (request.isTemporary() && !request.until().isAfter(now)) {
			throw ProblemException.conflict("request-expired",
					"The request asked for a raise until %s, which has passed: refuse it".formatted(request.until()));
		}
		if (request.limit() <= current) {
			throw ProblemException.conflict("not-a-raise",
					"The limit is already %d, not below the %d asked for: refuse the request".formatted(current,
							request.limit()));
		}
		int revertTo = current;
		Optional<BudgetRequest> inForce = inForce(current);
		while (inForce.isPresent() && (!request.isTemporary() || !request.until().isBefore(inForce.get().until()))) {
			BudgetRequest earlier = inForce.get();
			revertTo = earlier.revertTo();
			save(earlier, earlier.end(now));
			record(earlier, operator, "SUPERSEDED", "request %s raised the limit to %d%s, so this raise is over"
				.formatted(request.id(), request.limit(), untilText(request.until())), now);
			inForce = inForce(revertTo);
		}
		this.budget.changeLimit(request.limit(),
				truncate("Raise request %s by %s approved: %s".formatted(request.id(), request.requestedBy(), why)),
				operator);
		BudgetRequest approved = request.approve(operator, why, revertTo, now);
		save(request, approved);
		record(approved, operator, "APPROVED",
				"limit %d -> %d%s: %s".formatted(current, request.limit(),
						request.isTemporary() ? ", back to %d at %s".formatted(revertTo, request.until()) : "", why),
				now);
		Map<String, Object> event = event(approved);
		event.put("decidedBy", operator);
		event.put("reason", why);
		event.put("oldLimit", current);
		event.put("revertTo", approved.revertTo());
		this.alerts.raise("budget.raise-approved", event);
		return approved;
	}

	@Transactional
	public BudgetRequest refuse(UUID id, String operator, String reason) {
		String why = requireReason(reason);
		Instant now = this.clock.instant();
		BudgetRequest request = lockOpen(id, "refused");
		BudgetRequest refused = request.refuse(operator, why, now);
		save(request, refused);
		record(refused, operator, "REFUSED", why, now);
		Map<String, Object> event = event(refused);
		event.put("decidedBy", operator);
		event.put("reason", why);
		this.alerts.raise("budget.raise-refused", event);
		return refused;
	}

	/** Every instance looks; one ends each raise. */
	@Scheduled(fixedDelayString = "${podium.budget.requests.check-interval:30s}", initialDelayString = "10s")
	public void endDueRaisesQuietly() {
		try {
			endDueRaises();
		}
		catch (RuntimeException ex) {
			log.warn("Could not end due budget raises; will try again: {}", ex.getMessage());
		}
	}

	/**
	 * Ends the temporary raises whose time has come, each in a transaction of its own.
	 * @return how many ended
	 */
	public int endDueRaises() {
		int ended = 0;
		while (anyDue() && Boolean.TRUE.equals(this.transactions.execute((status) -> endOneDue()))) {
			ended++;
		}
		return ended;
	}

	private boolean anyDue() {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("""
				select exists (select 1 from budget_requests
				               where namespace = ? and status = 'APPROVED' and until is not null and until <= ?)
				""", Boolean.class, this.budget.namespace(), Timestamp.from(this.clock.instant())));
	}

	/**
	 * Claims the most overdue raise (another instance skips it) and ends it: the limit
	 * goes back unless something changed it since, in which case the later change stands.
	 */
	private boolean endOneDue() {
		Instant now = this.clock.instant();
		int current = this.budget.lockLimit();
		List<BudgetRequest> due = this.jdbc.query("select " + COLUMNS + """
				 from budget_requests
				where namespace = ? and status = 'APPROVED' and until is not null and until <= ?
				order by until limit 1 for update skip locked
				""", MAPPER, this.budget.namespace(), Timestamp.from(now));
		if (due.isEmpty()) {
			return false;
		}
		BudgetRequest request = due.get(0);
		boolean reverted = current == request.limit();
		String detail;
		if (reverted) {
			this.budget.changeLimit(request.revertTo(),
					"Raise request %s ended at %s".formatted(request.id(), request.until()), PODIUM);
			detail = "limit %d -> %d: the raise ended at %s".formatted(current, request.revertTo(), request.until());
		}
		else {
			detail = "the limit is %d since a later change, which stands; it would have gone back to %d"
				.formatted(current, request.revertTo());
		}
		BudgetRequest ended = request.end(now);
		save(request, ended);
		record(ended, PODIUM, "ENDED", detail, now);
		Map<String, Object> event = event(ended);
		event.put("reverted", reverted);
		event.put("revertTo", request.revertTo());
		event.put("currentLimit", reverted ? request.revertTo() : current);
		this.alerts.raise("budget.raise-ended", event);
		log.info("Budget raise {} ended: {}", request.id(), detail);
		return true;
	}

	/** Operators see every request; organizers their own. Newest first. */
	@Transactional(readOnly = true)
	public List<BudgetRequest> visibleTo(PodiumUser viewer, BudgetRequestStatus status) {
		boolean all = viewer.role() == Role.OPERATOR;
		return this.jdbc.query("select " + COLUMNS + """
				 from budget_requests
				where namespace = ? and (? or requested_by_id = ?) and (cast(? as varchar) is null or status = ?)
				order by requested_at desc, id limit 200
				""", MAPPER, this.budget.namespace(), all, viewer.id(), (status != null) ? status.name() : null,
				(status != null) ? status.name() : null);
	}

	/** The request, if the viewer may see it (an operator, or whoever asked). */
	@Transactional(readOnly = true)
	public BudgetRequest visibleTo(PodiumUser viewer, UUID id) {
		return find(id)
			.filter((request) -> viewer.role() == Role.OPERATOR || request.requestedById().equals(viewer.id()))
			.orElseThrow(() -> ProblemException.notFound("Budget request " + id));
	}

	@Transactional(readOnly = true)
	public List<BudgetRequestEvent> history(UUID id) {
		return this.jdbc.query("""
				select at, actor, action, detail from budget_request_events where request_id = ? order by at, id
				""", (rs, n) -> new BudgetRequestEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
				rs.getString(4)), id);
	}

	private Optional<BudgetRequest> find(UUID id) {
		return this.jdbc
			.query("select " + COLUMNS + " from budget_requests where id = ? and namespace = ?", MAPPER, id,
					this.budget.namespace())
			.stream()
			.findFirst();
	}

	private BudgetRequest lockOpen(UUID id, String decision) {
		BudgetRequest request = this.jdbc
			.query("select " + COLUMNS + " from budget_requests where id = ? and namespace = ? for update", MAPPER, id,
					this.budget.namespace())
			.stream()
			.findFirst()
			.orElseThrow(() -> ProblemException.notFound("Budget request " + id));
		if (request.status() != BudgetRequestStatus.OPEN) {
			throw ProblemException
				.conflict("request-decided",
						"Budget request %s cannot be %s: it is %s".formatted(id, decision,
								request.status().name().toLowerCase(java.util.Locale.ROOT)))
				.with("status", request.status().name());
		}
		return request;
	}

	/**
	 * The temporary raise that set the limit now in force, if one did and is not over.
	 */
	private Optional<BudgetRequest> inForce(int limit) {
		return this.jdbc.query("select " + COLUMNS + """
				 from budget_requests
				where namespace = ? and status = 'APPROVED' and until is not null and requested_limit = ?
				order by decided_at desc limit 1 for update
				""", MAPPER, this.budget.namespace(), limit).stream().findFirst();
	}

	/** Writes a transition, fenced by the version it was read at. */
	private void save(BudgetRequest before, BudgetRequest after) {
		int updated = this.jdbc.update("""
				update budget_requests
				set status = ?, decided_by = ?, decided_at = ?, decision_reason = ?, revert_to = ?, ended_at = ?,
				    version = ?
				where id = ? and status = ? and version = ?
				""", after.status().name(), after.decidedBy(), timestamp(after.decidedAt()), after.decisionReason(),
				after.revertTo(), timestamp(after.endedAt()), after.version(), before.id(), before.status().name(),
				before.version());
		if (updated != 1) {
			throw new IllegalStateException("Budget request %s changed meanwhile; expected status %s at version %d"
				.formatted(before.id(), before.status(), before.version()));
		}
	}

	private void record(BudgetRequest request, String actor, String action, String detail, Instant now) {
		this.jdbc.update("""
				insert into budget_request_events (request_id, at, actor, action, detail) values (?, ?, ?, ?, ?)
				""", request.id(), Timestamp.from(now), actor, action, truncate(detail, 600));
	}

	private Map<String, Object> event(BudgetRequest request) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("namespace", this.budget.namespace());
		event.put("requestId", request.id().toString());
		event.put("requestedBy", request.requestedBy());
		event.put("limit", request.limit());
		event.put("until", (request.until() != null) ? request.until().toString() : null);
		event.put("status", request.status().name());
		return event;
	}

	private static String requireReason(String reason) {
		if (reason == null || reason.isBlank() || reason.strip().length() > 500) {
			throw new InvalidRequestException("reason", "must say why, in at most 500 characters");
		}
		return reason.strip();
	}

	private static String untilText(Instant until) {
		return (until != null) ? " until " + until : "";
	}

	private static String truncate(String text) {
		return truncate(text, 500);
	}

	private static String truncate(String text, int length) {
		return (text.length() <= length) ? text : text.substring(0, length - 1) + "…";
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static BudgetRequest map(ResultSet rs, int row) throws SQLException {
		return new BudgetRequest(rs.getObject("id", UUID.class), BudgetRequestStatus.valueOf(rs.getString("status")),
				rs.getString("requested_by"), rs.getObject("requested_by_id", UUID.class), instant(rs, "requested_at"),
				rs.getInt("requested_limit"), rs.getString("reason"), instant(rs, "until"), rs.getString("decided_by"),
				instant(rs, "decided_at"), rs.getString("decision_reason"), (Integer) rs.getObject("revert_to"),
				instant(rs, "ended_at"), rs.getLong("version"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

}
