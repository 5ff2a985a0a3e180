package dev.podium.ratelimit;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	@ConditionalOnBooleanProperty(name = "podium.rate-limit.enabled", matchIfMissing = true)
	RateLimitFilter rateLimitFilter(RequestRates rates, JsonMapper json) {
		return new RateLimitFilter(rates, json);
	}

	/** The filter belongs in the API's security chains only, not before every request. */
	@Bean
	@ConditionalOnBooleanProperty(name = "podium.rate-limit.enabled", matchIfMissing = true)
	FilterRegistrationBean<RateLimitFilter> rateLimitFilterRegistration(RateLimitFilter filter) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

}
