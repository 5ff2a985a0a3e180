package dev.podium.evaluation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.podium.sandbox.SandboxException;
import dev.podium.sandbox.SandboxProvider;

import org.springframework.stereotype.Component;

/**
 * Deletes sandboxes that exist at the provider but that no live sandbox record holds:
 * what a crash between creation and record, or a lost record, would otherwise leak.
 * Sandboxes whose instance died are not orphans: their lease expires and another instance
 * carries them on.
 */
@Component
class SandboxReaper {

	private static final Logger log = LoggerFactory.getLogger(SandboxReaper.class);

	private final SandboxProvider provider;

	private final SandboxRepository sandboxes;

	SandboxReaper(SandboxProvider provider, SandboxRepository sandboxes) {
		this.provider = provider;
		this.sandboxes = sandboxes;
	}

	/**
	 * @return how many orphans it deleted
	 */
	int reapOrphans() {
		int reaped = 0;
		try {
			for (String name : this.provider.list()) {
				if (!this.sandboxes.isLive(name)) {
					this.provider.destroy(name);
					log.info("Reaped orphaned sandbox {}", name);
					reaped++;
				}
			}
		}
		catch (SandboxException ex) {
			log.warn("Could not look for orphaned sandboxes now: {}", ex.getMessage());
		}
		return reaped;
	}

}
