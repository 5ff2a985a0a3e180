package dev.podium.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled seed the demo competition on the first start
 * @param slug the demo competition's slug
 */
@ConfigurationProperties("podium.demo")
record DemoProperties(@DefaultValue("true") boolean enabled, @DefaultValue("demo") String slug) {
}
