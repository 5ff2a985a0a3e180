package dev.podium.evaluation;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the outcome of a step in a short transaction of its own, fenced: the sandbox is
 * locked, and the change is applied only if this instance still holds its lease at the
 * epoch the step began with and the sandbox is still where the step found it. A stale
 * owner's write changes nothing and is logged; its result is dropped.
 */
@Component
class SandboxRecorder {

	private static final Logger log = LoggerFactory.getLogger(SandboxRecorder.class);

	private final SandboxRepository sandboxes;

	private final SandboxLeases leases;

	SandboxRecorder(SandboxRepository sandboxes, SandboxLeases leases) {
		this.sandboxes = sandboxes;
		this.leases = leases;
	}

	/**
	 * @return whether the change was recorded
	 */
	@Transactional
	boolean record(SandboxLeases.Lease lease, SandboxStatus expected, Consumer<Sandbox> change) {
		return record(lease, EnumSet.of(expected), change);
	}

	@Transactional
	boolean record(SandboxLeases.Lease lease, Set<SandboxStatus> expected, Consumer<Sandbox> change) {
		Sandbox sandbox = this.sandboxes.findForUpdate(lease.sandboxId()).orElse(null);
		if (sandbox == null || !lease.owner().equals(sandbox.leaseOwner()) || sandbox.leaseEpoch() != lease.epoch()) {
			log.warn("sandbox={} epoch={}: this instance no longer holds the lease; its result is dropped",
					lease.sandboxId(), lease.epoch());
			return false;
		}
		if (!expected.contains(sandbox.status())) {
			log.info("sandbox={} moved on to {} meanwhile; the step's result is dropped", lease.sandboxId(),
					sandbox.status());
			return false;
		}
		SandboxStatus before = sandbox.status();
		change.accept(sandbox);
		this.sandboxes.save(sandbox);
		if (sandbox.status() != before) {
			log.info("sandbox={} name={} status={}{}", sandbox.id(), sandbox.name(), sandbox.status(),
					(sandbox.outcome() != null && sandbox.status().compareTo(SandboxStatus.DESTROYING) >= 0)
							? " outcome=" + sandbox.outcome() : "");
		}
		if (sandbox.status() == SandboxStatus.DESTROYED) {
			this.sandboxes.flush();
			this.leases.clear(sandbox.id());
		}
		return true;
	}

}
