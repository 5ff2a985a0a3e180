package dev.podium.security;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Handlers' {@code @PreAuthorize} rules are decided twice: before their arguments are
 * read ({@link AuthorizeBeforeReading}, so that authorization comes before validation and
 * before a body is taken in), and by method security at the call. Both use one expression
 * handler, which resolves beans such as {@code @competitionAccess}.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationConfiguration implements WebMvcConfigurer {

	/** First among interceptors: nothing is read for a caller who may not call. */
	static final int INTERCEPTOR_ORDER = 0;

	private final MethodSecurityExpressionHandler expressions;

	AuthorizationConfiguration(MethodSecurityExpressionHandler expressions) {
		this.expressions = expressions;
	}

	@Bean
	static MethodSecurityExpressionHandler methodSecurityExpressionHandler(ApplicationContext context) {
		DefaultMethodSecurityExpressionHandler handler = new DefaultMethodSecurityExpressionHandler();
		handler.setApplicationContext(context);
		return handler;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new AuthorizeBeforeReading(this.expressions)).order(INTERCEPTOR_ORDER);
	}

}
