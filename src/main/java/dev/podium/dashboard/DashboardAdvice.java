package dev.podium.dashboard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every page shows around its content, and errors as pages rather than the API's
 * problem documents.
 */
@ControllerAdvice(basePackageClasses = DashboardAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardAdvice {

	private static final Logger log = LoggerFactory.getLogger(DashboardAdvice.class);

	private final TimeLabels time;

	private final DashboardProperties properties;

	DashboardAdvice(TimeLabels time, DashboardProperties properties) {
		this.time = time;
		this.properties = properties;
	}

	@ModelAttribute("time")
	TimeLabels time() {
		return this.time;
	}

	/** For htmx's {@code every Ns} triggers. */
	@ModelAttribute("refreshSeconds")
	long refreshSeconds() {
		return Math.max(1, this.properties.refresh().toSeconds());
	}

	@ExceptionHandler(PageNotFound.class)
	ModelAndView notFound(PageNotFound ex) {
		ModelAndView page = new ModelAndView("error/404", HttpStatus.NOT_FOUND);
		page.addObject("message", ex.getMessage());
		return page;
	}

	/** A competition the signed-in organizer does not manage (or that does not exist). */
	@ExceptionHandler(AccessDeniedException.class)
	ModelAndView forbidden() {
		return new ModelAndView("error/403", HttpStatus.FORBIDDEN);
	}

	@ExceptionHandler(Exception.class)
	ModelAndView failed(Exception ex) {
		HttpStatusCode status = (ex instanceof ErrorResponse response) ? response.getStatusCode()
				: HttpStatus.INTERNAL_SERVER_ERROR;
		if (status.is5xxServerError()) {
			log.error("Dashboard page failed", ex);
		}
		ModelAndView page = new ModelAndView("error", status);
		page.addObject("status", status.value());
		page.addObject("message", status.is5xxServerError() ? "Podium could not show this page; the error is logged."
				: "Podium could not make sense of this request.");
		return page;
	}

	/** A competition or task that does not exist; its message is shown on the page. */
	static class PageNotFound extends RuntimeException {

		PageNotFound(String message) {
			super(message);
		}

	}

}
