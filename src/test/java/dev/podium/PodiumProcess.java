package dev.podium;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Starts Podium configured the way a deployment configures it: through environment
 * variables (those of this JVM, plus the given ones), with nothing set as a Spring
 * property, so that a documented variable name is tested as it is written.
 */
public final class PodiumProcess {

	/**
	 * Held by one starting instance from its first event until its context is prepared:
	 * Logback has one context per JVM, and two instances configuring it at once (as two
	 * replicas starting together do here) leave it half-configured and fail to start.
	 * What the instances race on for real (migrations, the first operator) comes later.
	 */
	private static final ReentrantLock LOGGING = new ReentrantLock();

	private PodiumProcess() {
	}

	/**
	 * @param environment variables on top of this JVM's, e.g. {@code PODIUM_ADMIN_TOKEN}
	 */
	public static ConfigurableApplicationContext start(Map<String, String> environment) {
		Map<String, Object> variables = new HashMap<>(System.getenv());
		variables.putAll(environment);
		SpringApplication application = new SpringApplication(PodiumApplication.class);
		application.setEnvironment(new StandardEnvironment() {

			@Override
			protected void customizePropertySources(MutablePropertySources sources) {
				super.customizePropertySources(sources);
				sources.replace(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource(SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
			}

		});
		application.addListeners(new OneAtATimeThroughLogging());
		try {
			return application.run();
		}
		finally {
			while (LOGGING.isHeldByCurrentThread()) {
				LOGGING.unlock();
			}
		}
	}

	/**
	 * The variables of an instance on the given database, with the demo, the scheduler
	 * and the banner off and a random port.
	 */
	public static Map<String, String> on(TestDatabase.Credentials database, String dataDir) {
		Map<String, String> environment = new HashMap<>();
		environment.put("SPRING_DATASOURCE_URL", database.url());
		environment.put("SPRING_DATASOURCE_USERNAME", database.user());
		environment.put("SPRING_DATASOURCE_PASSWORD", database.password());
		environment.put("SERVER_PORT", "0");
		environment.put("SPRING_MAIN_BANNER_MODE", "off");
		environment.put("PODIUM_DATA_DIR", dataDir);
		environment.put("PODIUM_DEMO_ENABLED", "false");
		environment.put("PODIUM_EVALUATION_SCHEDULER_ENABLED", "false");
		environment.put("PODIUM_SECURITY_ENCRYPTION_KEY", TestSupport.ENCRYPTION_KEY);
		return environment;
	}

	private static final class OneAtATimeThroughLogging implements ApplicationListener<ApplicationEvent>, Ordered {

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ApplicationStartingEvent) {
				LOGGING.lock();
			}
			else if ((event instanceof ApplicationPreparedEvent || event instanceof ApplicationFailedEvent)
					&& LOGGING.isHeldByCurrentThread()) {
				LOGGING.unlock();
			}
		}

		@Override
		public int getOrder() {
			// before Spring Boot's LoggingApplicationListener touches Logback
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
