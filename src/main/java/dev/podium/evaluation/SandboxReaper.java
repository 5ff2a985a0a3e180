package dev.podium.evaluation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.sandbox.Deployment;
import dev.podium.sandbox.DestroyResult;
import dev.podium.sandbox.Listing;
import dev.podium.sandbox.SandboxProvider;

import org.springframework.stereotype.Component;

/**
 * Deletes sandboxes that exist at the provider but that no live record of this deployment
 * holds: what a crash between a creation and its record, or a lost record, would
 * otherwise leak. It only ever considers names this deployment made (its prefix, its
 * deployment id, a sandbox id), whatever else the provider lists: another deployment's
 * sandboxes, and anything whose name merely resembles ours, are never touched. Sandboxes
 * whose instance died are not orphans: their lease expires and another instance carries
 * them on.
 */
@Component
class SandboxReaper {

	private static final Logger log = LoggerFactory.getLogger(SandboxReaper.class);

	private final SandboxProvider provider;

	private final SandboxRepository sandboxes;

	private final Deployment deployment;

	SandboxReaper(SandboxProvider provider, SandboxRepository sandboxes, Deployment deployment) {
		this.provider = provider;
		this.sandboxes = sandboxes;
		this.deployment = deployment;
	}

	/**
	 * @return how many orphans it deleted
	 */
	int reapOrphans() {
		Listing listing = this.provider.list();
		if (listing instanceof Listing.Unavailable unavailable) {
			log.warn("Could not look for orphaned sandboxes now: {}", unavailable.reason());
			return 0;
		}
		int reaped = 0;
		for (String name : ((Listing.Listed) listing).names()) {
			if (this.deployment.names().parse(name).isEmpty() || this.sandboxes.isLive(name)) {
				continue;
			}
			if (this.provider.destroy(name) instanceof DestroyResult.Destroyed) {
				log.info("Reaped orphaned sandbox {}", name);
				reaped++;
			}
		}
		return reaped;
	}

}
