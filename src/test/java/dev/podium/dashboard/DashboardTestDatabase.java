package dev.podium.dashboard;

import dev.podium.TestDatabase;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points a dashboard test context at a new database on the shared test server. */
class DashboardTestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestDatabase.Credentials database = TestDatabase.createDatabase();
		TestPropertyValues
			.of("spring.datasource.url=" + database.url(), "spring.datasource.username=" + database.user(),
					"spring.datasource.password=" + database.password())
			.applyTo(context);
	}

}
