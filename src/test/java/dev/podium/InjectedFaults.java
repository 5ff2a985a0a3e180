package dev.podium;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.podium.evaluation.StepFaults;

/**
 * Faults a test arms between a step's act and its record: each armed step kind fails once
 * for every sandbox, then lets it through. Unarmed, it does nothing.
 */
public class InjectedFaults implements StepFaults {

	private final Set<String> armed = ConcurrentHashMap.newKeySet();

	private final Map<String, Boolean> fired = new ConcurrentHashMap<>();

	private volatile Runnable fault = () -> {
		throw new IllegalStateException("an injected fault between act and record");
	};

	/** The next time each sandbox takes this step, it fails after acting. */
	public void arm(String step) {
		this.armed.add(step);
	}

	/** What a fault does instead of throwing (halting the JVM, say). */
	public void doing(Runnable fault) {
		this.fault = fault;
	}

	public void disarm() {
		this.armed.clear();
		this.fired.clear();
	}

	/** How many faults were injected. */
	public int fired() {
		return this.fired.size();
	}

	@Override
	public void afterAct(String step, UUID sandboxId) {
		if (this.armed.contains(step) && this.fired.putIfAbsent(step + "/" + sandboxId, Boolean.TRUE) == null) {
			this.fault.run();
		}
	}

}
