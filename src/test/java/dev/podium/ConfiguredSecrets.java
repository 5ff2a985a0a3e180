package dev.podium;

import java.util.regex.Pattern;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Every secret a test context is configured with (the database password, the admin token,
 * encryption keys, webhook secrets, the Hub token) joins {@link KnownSecrets} as the
 * context starts, so that the log scan looks for it. Registered for every Spring
 * application of the run in {@code META-INF/spring.factories}.
 */
public class ConfiguredSecrets implements ApplicationListener<ApplicationStartedEvent> {

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(password|secret|encryption-?keys?|admin-?token|hub\\.token|\\.token$).*");

	private static final java.util.Set<String> MACHINE = java.util.Set.of(
			StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
			StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
		environment.getPropertySources().forEach((source) -> {
			// the machine's own environment is not the application's to scan for
			if (source instanceof EnumerablePropertySource<?> enumerable && !MACHINE.contains(source.getName())) {
				for (String name : enumerable.getPropertyNames()) {
					if (SECRET_NAME.matcher(name).matches()) {
						Object value = enumerable.getProperty(name);
						if (value != null) {
							KnownSecrets.register(environment.resolvePlaceholders(value.toString()));
						}
					}
				}
			}
		});
	}

}
