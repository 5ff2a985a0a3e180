package dev.podium.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * The pages' links are written as they are. Spring Boot would otherwise pass every link
 * of every page through the static resources' chain, to rewrite links to versioned files;
 * none of ours is versioned, and for each link that is not a file (most of them: a
 * participant, a task) the chain looked through every jar of the class path first. On the
 * dashboards that was a fifth of the request threads' time. Web jars are still found
 * without a version in their path, when they are requested.
 */
@Configuration(proxyBeanMethods = false)
class StaticLinksConfiguration {

	@Bean
	FilterRegistrationBean<ResourceUrlEncodingFilter> linksAsWritten() {
		FilterRegistrationBean<ResourceUrlEncodingFilter> registration = new FilterRegistrationBean<>(
				new ResourceUrlEncodingFilter());
		registration.setEnabled(false);
		return registration;
	}

}
