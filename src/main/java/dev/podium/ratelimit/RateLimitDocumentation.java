package dev.podium.ratelimit;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * Every API operation may answer 429 when its caller's bucket is empty, and every answer
 * carries the bucket: the OpenAPI document says so on each operation, as the controllers
 * cannot.
 */
@Component
class RateLimitDocumentation implements OpenApiCustomizer {

	@Override
	public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().forEach((path, item) -> {
			if (!path.startsWith("/api/")) {
				return;
			}
			item.readOperations().forEach((operation) -> {
				if (operation.getResponses() == null) {
					return;
				}
				operation.getResponses().forEach((status, response) -> {
					response.addHeaderObject("RateLimit-Policy", new Header().schema(new StringSchema())
						.description("The caller's bucket, e.g. \"burst\";q=120;w=60 (after the daily limit's item "
								+ "on submissions)"));
					response.addHeaderObject("RateLimit", new Header().schema(new StringSchema())
						.description("What is left of it, e.g. \"burst\";r=119;t=1"));
				});
				if (!operation.getResponses().containsKey("429")) {
					operation.getResponses()
						.addApiResponse("429", new ApiResponse()
							.description("The caller's request bucket is empty (rate-limited); Retry-After says when "
									+ "to try again")
							.addHeaderObject("Retry-After",
									new Header().schema(new IntegerSchema()).description("Seconds to wait"))
							.content(new Content().addMediaType("application/problem+json", new MediaType()
								.schema(new Schema<>().$ref("#/components/schemas/ProblemDetail")))));
				}
			});
		});
	}

}
