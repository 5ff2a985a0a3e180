package dev.podium;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * A full Podium against a real PostgreSQL database of its own, with a settable clock, the
 * demo off, and the admin token {@value TestSupport#ADMIN_TOKEN}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = { "podium.demo.enabled=false", "podium.security.admin-token=" + TestSupport.ADMIN_TOKEN,
		"podium.security.encryption-key=" + TestSupport.ENCRYPTION_KEY, "podium.data-dir=target/test-data",
		"podium.evaluation.scheduler-enabled=false", "podium.sandbox.local.startup-delay=1m",
		"podium.budget.limit=1000",
		// other tests submit one file many times and run many at once: the tests of
		// duplicates and of the in-flight cap set them per task
		"podium.submission.refuse-duplicates=false", "podium.submission.default-max-in-flight=1000",
		// the admin token sets up every test's fixtures while the clock stands still
		"podium.rate-limit.operator.capacity=1000000",
		// the tallies' test folds when it means to (readers sum both tables either way)
		"podium.dashboard.tally-interval=1h" })
@AutoConfigureMockMvc
@ContextConfiguration(initializers = FreshDatabaseInitializer.class)
@Import(TestClockConfiguration.class)
public @interface PodiumTest {

}
