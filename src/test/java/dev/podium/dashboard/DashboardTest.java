package dev.podium.dashboard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.podium.TestSupport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Like {@code @PodiumTest} (a database of its own, a settable clock, the scheduler driven
 * by hand), but served on a real port so that a browser can use it; MockMvc is there too
 * for setting things up through the API. Pages refresh every second.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "podium.demo.enabled=false", "podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
				"podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY, "podium.data-dir=target/test-data",
				"podium.evaluation.scheduler-enabled=false", "podium.sandbox.local.startup-delay=1m",
				"podium.budget.limit=1000", "podium.dashboard.refresh=1s",
				// other tests submit one file many times and run many at once: the tests
				// of
				// duplicates and of the in-flight cap set them per task
				"podium.submission.refuse-duplicates=false", "podium.submission.default-max-in-flight=1000",
				"podium.rate-limit.operator.capacity=1000000" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = DashboardTestDatabase.class)
@Import(DashboardTestClock.class)
@interface DashboardTest {

}
