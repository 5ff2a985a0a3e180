package dev.podium.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * @param json the largest body of a request that is not an upload (JSON definitions and
 * reports)
 * @param upload the largest CSV sent as a request's body (a task's solution; predictions
 * are held to their task's {@code maxFileBytes} too)
 */
@ConfigurationProperties("podium.limits")
@Validated
public record BodyLimitProperties(@DefaultValue("256KB") DataSize json, @DefaultValue("100MB") DataSize upload) {

	long limitOf(BodyLimit.Kind kind) {
		return switch (kind) {
			case JSON -> this.json.toBytes();
			case UPLOAD -> this.upload.toBytes();
		};
	}

}
