package dev.podium.ratelimit.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import dev.podium.ratelimit.RequestRate;
import dev.podium.security.PodiumUser;
import dev.podium.security.Role;
import dev.podium.submission.DailyQuota;
import dev.podium.submission.DailyQuotas;
import dev.podium.submission.QuotaHolder;

import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Quotas", description = "What the caller may still do: request rate and daily submissions")
@SecurityRequirement(name = "bearer")
class QuotaController {

	private final DailyQuotas dailyQuotas;

	private final Clock clock;

	QuotaController(DailyQuotas dailyQuotas, Clock clock) {
		this.dailyQuotas = dailyQuotas;
		this.clock = clock;
	}

	@GetMapping("/api/me/quota")
	@PreAuthorize("hasAnyRole('PARTICIPANT', 'ORGANIZER', 'OPERATOR')")
	@Operation(
			summary = "The caller's quotas: the request bucket and, for a participant, the daily submissions per task",
			description = "Roles: PARTICIPANT, ORGANIZER, OPERATOR. 'requests' is the token's bucket after this call "
					+ "(null when rate limiting is off); 'submissions' is null for organizers and operators.")
	@ApiResponse(responseCode = "200", description = "The quotas")
	@ApiResponse(responseCode = "401", description = "No valid token",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "The token's request bucket is empty; Retry-After says when",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ProblemDetail.class)))
	Quota quota(@AuthenticationPrincipal PodiumUser user, HttpServletRequest request) {
		Instant now = this.clock.instant();
		RequestRate rate = (RequestRate) request.getAttribute(RequestRate.ATTRIBUTE);
		Requests requests = (rate != null) ? Requests.of(rate, now) : null;
		Submissions submissions = (user.role() == Role.PARTICIPANT) ? Submissions.of(this.dailyQuotas.of(user), now)
				: null;
		return new Quota(requests, submissions);
	}

	record Quota(Requests requests, Submissions submissions) {
	}

	/**
	 * @param remaining calls left now
	 * @param resetsAt when the bucket is full again
	 */
	record Requests(String policy, int limit, long windowSeconds, long remaining, Instant resetsAt,
			long resetsInSeconds) {

		static Requests of(RequestRate rate, Instant now) {
			return new Requests(RequestRate.POLICY, rate.capacity(), rate.window().toSeconds(), rate.remaining(),
					now.plus(rate.resetIn()), rate.resetSeconds());
		}

	}

	/**
	 * @param holder whose allowance this is: the caller's team, or the caller as a team
	 * of one
	 */
	record Submissions(Holder holder, String competition, List<TaskQuota> tasks) {

		static Submissions of(DailyQuotas.Overview overview, Instant now) {
			return new Submissions(Holder.of(overview.holder()), overview.competition(),
					overview.tasks().stream().map((task) -> TaskQuota.of(task, now)).toList());
		}

	}

	record Holder(QuotaHolder.Kind kind, String id, String name) {

		static Holder of(QuotaHolder holder) {
			return new Holder(holder.kind(), holder.id().toString(), holder.name());
		}

	}

	/**
	 * @param day the competition's calendar day that the count is for
	 */
	record TaskQuota(String task, String title, int limit, long used, long remaining, LocalDate day, Instant resetsAt,
			long resetsInSeconds) {

		static TaskQuota of(DailyQuotas.TaskQuota task, Instant now) {
			DailyQuota quota = task.quota();
			return new TaskQuota(task.task(), task.title(), quota.limit(), quota.used(), quota.remaining(), quota.day(),
					quota.resetsAt(), quota.secondsUntilReset(now));
		}

	}

}
