package dev.podium.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.podium.problem.BodyTooLargeException;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.util.WebUtils;

/**
 * Once the handler is known and the caller authorized, but before any argument is read:
 * refuses a body whose declared length exceeds the handler's limit, and holds the stream
 * to that limit for bodies that declare none.
 */
class BodyLimitInterceptor implements HandlerInterceptor {

	private final BodyLimitProperties limits;

	private final DataSize multipart;

	BodyLimitInterceptor(BodyLimitProperties limits, DataSize multipart) {
		this.limits = limits;
		this.multipart = multipart;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		long limit = limitFor(request, handler);
		if (request.getContentLengthLong() > limit) {
			throw new BodyTooLargeException(limit);
		}
		BoundedRequest bounded = WebUtils.getNativeRequest(request, BoundedRequest.class);
		if (bounded != null) {
			bounded.limitTo(limit);
		}
		return true;
	}

	private long limitFor(HttpServletRequest request, Object handler) {
		String contentType = request.getContentType();
		if (contentType != null && contentType.regionMatches(true, 0, MediaType.MULTIPART_FORM_DATA_VALUE, 0,
				MediaType.MULTIPART_FORM_DATA_VALUE.length())) {
			return this.multipart.toBytes();
		}
		BodyLimit declared = null;
		if (handler instanceof HandlerMethod method) {
			declared = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), BodyLimit.class);
			if (declared == null) {
				declared = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), BodyLimit.class);
			}
		}
		return this.limits.limitOf((declared != null) ? declared.value() : BodyLimit.Kind.JSON);
	}

}
