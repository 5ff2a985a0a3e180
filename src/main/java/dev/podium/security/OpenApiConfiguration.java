package dev.podium.security;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import org.springframework.context.annotation.Configuration;

/** Tells the OpenAPI document how callers authenticate. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Podium API", version = "v1",
		description = "Machine-learning competitions evaluated in ephemeral sandboxes. Errors are RFC 9457 problem details."))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
		description = "A token issued by Podium: the admin token, POST /api/users, or POST /api/competitions/{slug}/participants")
class OpenApiConfiguration {

}
