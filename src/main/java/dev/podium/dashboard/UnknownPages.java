package dev.podium.dashboard;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A path that leads nowhere is a page for a browser, which asks for HTML by name, and a
 * problem document for every other client (those that accept anything, as curl does, and
 * every call under {@code /api}), which the API's exception handler writes.
 */
@Configuration(proxyBeanMethods = false)
class UnknownPages implements WebMvcConfigurer, HandlerExceptionResolver {

	private static final List<MediaType> PAGES = List.of(MediaType.TEXT_HTML, MediaType.APPLICATION_XHTML_XML);

	@Override
	public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
		resolvers.add(0, this);
	}

	@Override
	public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (!(ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException)
				|| request.getRequestURI().startsWith(request.getContextPath() + "/api/") || !asksForAPage(request)) {
			return null;
		}
		return new ModelAndView("error/404", HttpStatus.NOT_FOUND);
	}

	/** Names HTML itself, not through a wildcard. */
	private static boolean asksForAPage(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (accept == null) {
			return false;
		}
		try {
			return MediaType.parseMediaTypes(accept)
				.stream()
				.anyMatch((type) -> !type.isWildcardType() && !type.isWildcardSubtype() && type.getQualityValue() > 0
						&& PAGES.stream().anyMatch((page) -> page.equalsTypeAndSubtype(type)));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
