package dev.podium.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bounds bodies for every request: the filter first of all (before the security filters
 * and anything else that could read a body), the interceptor once the handler is known.
 */
@Configuration(proxyBeanMethods = false)
class BodyLimitConfiguration implements WebMvcConfigurer {

	/**
	 * After the interceptors that authorize: the unauthorized are told so, not "too
	 * large".
	 */
	static final int INTERCEPTOR_ORDER = 100;

	private final BodyLimitProperties limits;

	private final DataSize multipart;

	BodyLimitConfiguration(BodyLimitProperties limits,
			@Value("${spring.servlet.multipart.max-request-size:10MB}") DataSize multipart) {
		this.limits = limits;
		this.multipart = multipart;
	}

	@Bean
	FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(JsonMapper json) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(this.limits, json));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new BodyLimitInterceptor(this.limits, this.multipart)).order(INTERCEPTOR_ORDER);
	}

}
