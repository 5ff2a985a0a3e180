package dev.podium.web;

import tools.jackson.databind.JacksonModule;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot registers the module with the JSON mapper that reads every request body.
 */
@Configuration(proxyBeanMethods = false)
class TextInputConfiguration {

	@Bean
	JacksonModule textInputModule() {
		return TextInput.jsonModule();
	}

}
