package dev.podium.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How large a body a handler takes. Handlers without it take JSON-sized bodies
 * ({@code podium.limits.json}); multipart requests are bounded by
 * {@code spring.servlet.multipart.max-request-size}. A handler that knows a tighter,
 * per-resource limit (a task's {@code maxFileBytes}) still reads at most that itself.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BodyLimit {

	Kind value();

	enum Kind {

		/** {@code podium.limits.json}: definitions, reports, small requests. */
		JSON,

		/**
		 * {@code podium.limits.upload}: CSV files sent as the body, such as solutions.
		 */
		UPLOAD

	}

}
