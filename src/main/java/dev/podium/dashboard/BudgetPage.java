package dev.podium.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.json.JsonMapper;

import dev.podium.budget.BudgetHistory;
import dev.podium.budget.BudgetRequest;
import dev.podium.budget.BudgetRequestStatus;
import dev.podium.budget.BudgetRequests;
import dev.podium.budget.BudgetStatus;
import dev.podium.budget.CreationBudget;
import dev.podium.competition.Competition;
import dev.podium.competition.CompetitionAccess;
import dev.podium.competition.Competitions;
import dev.podium.evaluation.LiveSandboxes;
import dev.podium.evaluation.SandboxUsage;
import dev.podium.problem.FieldProblem;
import dev.podium.problem.InvalidRequestException;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The creation budget: how much of the window is used, when it resets, whether the Hub
 * blocked creations, how the last windows went and who changed the limit. Operators
 * change the limit here; the security configuration lets only them post.
 */
@Controller
class BudgetPage {

	/** How many windows the chart shows, the current one last. */
	static final int WINDOWS = 14;

	private static final long MAX_LIMIT = 100_000;

	private final CreationBudget budget;

	private final JsonMapper json;

	private final TimeLabels time;

	private final BudgetRequests requests;

	private final LiveSandboxes sandboxes;

	private final SandboxUsage usage;

	private final Competitions competitions;

	private final CompetitionAccess access;

	BudgetPage(CreationBudget budget, JsonMapper json, TimeLabels time, BudgetRequests requests,
			LiveSandboxes sandboxes, SandboxUsage usage, Competitions competitions, CompetitionAccess access) {
		this.budget = budget;
		this.json = json;
		this.time = time;
		this.requests = requests;
		this.sandboxes = sandboxes;
		this.usage = usage;
		this.competitions = competitions;
		this.access = access;
	}

	/** How many days of usage the page sums, today included. */
	static final int USAGE_DAYS = 7;

	/**
	 * What the creations buy: the sandboxes alive now and the planner's next creation,
	 * and each competition's creations, Space-minutes and estimated cost over the last
	 * days. Rows of competitions the user does not manage are left out.
	 */
	private void streamModel(PodiumUser user, Model model) {
		java.util.function.Predicate<java.util.UUID> manages = this.access.manageableBy(user);
		List<Competition> managed = this.competitions.all()
			.stream()
			.filter((competition) -> manages.test(competition.id()))
			.toList();
		java.util.Set<String> slugs = new java.util.HashSet<>();
		managed.forEach((competition) -> slugs.add(competition.slug()));
		model.addAttribute("sandboxes",
				this.sandboxes.list().stream().filter((row) -> slugs.contains(row.competition())).toList());
		model.addAttribute("nextPlannedCreation", this.sandboxes.nextPlannedCreation());
		java.time.LocalDate today = java.time.LocalDate.ofInstant(this.time.now(), ZoneOffset.UTC);
		java.time.LocalDate from = today.minusDays(USAGE_DAYS - 1);
		List<UsageRow> rows = new ArrayList<>();
		for (Competition competition : managed) {
			SandboxUsage.Usage used = this.usage.of(competition.id(), from, today);
			if (used.totals().creations() > 0 || used.totals().sandboxMinutes() > 0) {
				rows.add(new UsageRow(competition.slug(), competition.title(), used.totals(), used.currency()));
			}
		}
		model.addAttribute("usage", rows);
		model.addAttribute("usageFrom", from);
		model.addAttribute("usageDays", USAGE_DAYS);
	}

	/** One competition's usage over the page's days. */
	record UsageRow(String slug, String title, SandboxUsage.Totals totals, String currency) {
	}

	@GetMapping("/budget")
	String budget(@AuthenticationPrincipal PodiumUser user, Model model) {
		BudgetStatus status = budgetModel(model);
		if (!model.containsAttribute("limitForm")) {
			model.addAttribute("limitForm", new LimitForm(String.valueOf(status.limit()), ""));
		}
		model.addAttribute("canChange", user.role() == Role.OPERATOR);
		requestsModel(user, model);
		streamModel(user, model);
		return "budget";
	}

	/**
	 * An organizer asks for a larger budget; operators decide through the API. The
	 * security configuration lets organizers and operators post here.
	 */
	@PostMapping("/budget/requests")
	String ask(@Valid @ModelAttribute("raiseForm") RaiseForm form, BindingResult errors,
			@AuthenticationPrincipal PodiumUser user, Model model, RedirectAttributes redirect,
			HttpServletResponse response) {
		Map<String, String> problems = messages(errors);
		Instant until = null;
		if (!problems.containsKey("until") && form.until() != null && !form.until().isBlank()) {
			until = LocalDateTime.parse(form.until().strip()).toInstant(ZoneOffset.UTC);
		}
		if (!problems.containsKey("askedLimit") && Long.parseLong(form.askedLimit().strip()) > MAX_LIMIT) {
			problems.put("askedLimit", "The limit is at most 100000.");
		}
		if (problems.isEmpty()) {
			try {
				BudgetRequest asked = this.requests.ask(user, Integer.parseInt(form.askedLimit().strip()), form.why(),
						until);
				redirect.addFlashAttribute("asked",
						"Your request for a limit of %d was sent to the operators.".formatted(asked.limit()));
				return "redirect:/budget#main";
			}
			catch (InvalidRequestException ex) {
				for (Object error : (List<?>) ex.getBody().getProperties().get("errors")) {
					FieldProblem field = (FieldProblem) error;
					switch (field.field()) {
						case "limit" -> problems.put("askedLimit", "The limit " + field.message() + ".");
						case "reason" -> problems.put("why", "The reason " + field.message() + ".");
						default -> problems.put("until", "The end " + field.message() + ".");
					}
				}
			}
		}
		response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
		BudgetStatus status = budgetModel(model);
		model.addAttribute("limitForm", new LimitForm(String.valueOf(status.limit()), ""));
		model.addAttribute("canChange", user.role() == Role.OPERATOR);
		model.addAttribute("raiseErrors", problems);
		requestsModel(user, model);
		streamModel(user, model);
		return "budget";
	}

	/**
	 * Open requests (an organizer's own; every one for operators) and the form to ask.
	 */
	private void requestsModel(PodiumUser user, Model model) {
		model.addAttribute("openRequests", this.requests.visibleTo(user, BudgetRequestStatus.OPEN));
		model.addAttribute("canAsk", user.role() == Role.ORGANIZER);
		if (!model.containsAttribute("raiseForm")) {
			model.addAttribute("raiseForm", new RaiseForm("", "", ""));
		}
	}

	@GetMapping("/budget/live")
	String live(@AuthenticationPrincipal PodiumUser user, Model model) {
		budgetModel(model);
		streamModel(user, model);
		return "budget :: live";
	}

	@PostMapping("/budget/limit")
	String change(@Valid @ModelAttribute("limitForm") LimitForm form, BindingResult errors,
			@AuthenticationPrincipal PodiumUser operator, Model model, RedirectAttributes redirect,
			HttpServletResponse response) {
		Map<String, String> problems = messages(errors);
		List<String> formErrors = new ArrayList<>();
		if (!problems.containsKey("limit") && Long.parseLong(form.limit().strip()) > MAX_LIMIT) {
			problems.put("limit", "The limit is at most 100000.");
		}
		if (problems.isEmpty()) {
			try {
				int before = this.budget.status().limit();
				BudgetStatus after = this.budget.changeLimit(Integer.parseInt(form.limit().strip()), form.reason(),
						operator.name());
				redirect.addFlashAttribute("changed",
						"The limit changed from %d to %d.".formatted(before, after.limit()));
				// the fragment replaces the form's, so that the page opens at its top
				// again
				return "redirect:/budget#main";
			}
			catch (InvalidRequestException ex) {
				formErrors.add("The limit could not be changed: " + ex.getBody().getDetail());
			}
		}
		response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
		budgetModel(model);
		model.addAttribute("canChange", true);
		model.addAttribute("fieldErrors", problems);
		model.addAttribute("formErrors", formErrors);
		requestsModel(operator, model);
		streamModel(operator, model);
		return "budget";
	}

	private BudgetStatus budgetModel(Model model) {
		BudgetStatus status = this.budget.status();
		BudgetHistory history = this.budget.history(WINDOWS);
		Duration window = status.window();
		DateTimeFormatter format = DateTimeFormatter
			.ofPattern(window.compareTo(Duration.ofDays(1)) >= 0 ? "MMM d" : "MMM d HH:mm", Locale.ENGLISH)
			.withZone(ZoneOffset.UTC);
		List<String> labels = history.windows().stream().map((usage) -> format.format(usage.windowStart())).toList();
		List<Long> values = history.windows().stream().map(BudgetHistory.Usage::created).toList();
		model.addAttribute("status", status);
		model.addAttribute("gauge", Gauge.of(status));
		model.addAttribute("windows", history.windows());
		model.addAttribute("windowLabels", labels);
		model.addAttribute("chartLabels", this.json.writeValueAsString(labels));
		model.addAttribute("chartValues", this.json.writeValueAsString(values));
		model.addAttribute("changes", history.changes());
		model.addAttribute("updatedAt", this.time.now());
		return status;
	}

	/** The first message of each field. */
	private static Map<String, String> messages(BindingResult errors) {
		Map<String, String> messages = new LinkedHashMap<>();
		for (FieldError error : errors.getFieldErrors()) {
			messages.putIfAbsent(error.getField(), error.getDefaultMessage());
		}
		return messages;
	}

	/**
	 * The form as typed, so that it shows again as typed when something is wrong.
	 */
	record LimitForm(
			@NotBlank(message = "Enter the new limit.") @Pattern(regexp = "\\s*\\d{1,9}\\s*",
					message = "Enter a whole number from 0 to 100000.") String limit,
			@NotBlank(message = "Say why the limit changes: the reason is kept in the history.") @Size(max = 500,
					message = "Keep the reason to 500 characters.") String reason) {
	}

	/**
	 * An organizer's request as typed.
	 *
	 * @param until a date and time in UTC ({@code datetime-local}); blank for a lasting
	 * raise
	 */
	record RaiseForm(
			@NotBlank(message = "Enter the limit you need.") @Pattern(regexp = "\\s*\\d{1,9}\\s*",
					message = "Enter a whole number from 1 to 100000.") String askedLimit,
			@NotBlank(message = "Say why: the operators decide on it.") @Size(max = 500,
					message = "Keep the reason to 500 characters.") String why,
			@Pattern(regexp = "\\s*(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?)?\\s*",
					message = "Enter a date and time, or nothing for a lasting raise.") String until) {
	}

	/**
	 * The used share of the limit, and a word for its state so that the colour is never
	 * the only clue.
	 *
	 * @param level ok, high, spent, paused or blocked: a CSS class
	 */
	record Gauge(int percent, String level, String label) {

		static Gauge of(BudgetStatus status) {
			// a single creation shows on the arc, however large the limit
			int percent = (status.limit() == 0 || status.used() == 0) ? 0
					: (int) Math.max(1, Math.min(100, Math.round(100.0 * status.used() / status.limit())));
			if (status.blockedUntil() != null) {
				return new Gauge(percent, "blocked", "Blocked by the Hub");
			}
			if (status.limit() == 0) {
				return new Gauge(percent, "paused", "Paused");
			}
			if (status.used() >= status.limit()) {
				return new Gauge(percent, "spent", "Spent");
			}
			if (status.used() * 100 >= 80L * status.limit()) {
				return new Gauge(percent, "high", "Nearly spent");
			}
			return new Gauge(percent, "ok", "Available");
		}

	}

}
