package dev.podium.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Makes sure an operator can always get in: the {@code admin} account takes the
 * configured token, or gets a generated one that is printed exactly once and never stored
 * in clear.
 */
@Component
@Order(0)
class AdminTokenBootstrap implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(AdminTokenBootstrap.class);

	static final String ADMIN = "admin";

	private final Accounts accounts;

	private final PodiumSecurityProperties properties;

	AdminTokenBootstrap(Accounts accounts, PodiumSecurityProperties properties) {
		this.accounts = accounts;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		String configured = StringUtils.hasText(this.properties.adminToken()) ? this.properties.adminToken().trim()
				: null;
		this.accounts.ensureOperator(ADMIN, configured).ifPresent((token) -> {
			// Deliberately printed to the console rather than logged: log pipelines keep
			// lines forever, and this is the only time the token exists in clear.
			System.out.println();
			System.out.println("  Podium generated the first operator token (shown once, only its hash is kept):");
			System.out.println("    " + token);
			System.out.println("  Set PODIUM_ADMIN_TOKEN to choose your own.");
			System.out.println();
		});
		log.info("Operator account '{}' is ready", ADMIN);
	}

}
