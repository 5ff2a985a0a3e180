package dev.podium.evaluation;

import dev.podium.InjectedFaults;
import dev.podium.PodiumApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A Podium instance that dies as {@code kill -9} kills, at the first time any sandbox
 * takes the given step, between its act and its record. Tests run it as a child process.
 * Arguments: the step, then Podium's command-line properties.
 */
public final class CrashingInstance {

	private CrashingInstance() {
	}

	public static void main(String[] args) {
		InjectedFaults faults = new InjectedFaults();
		faults.arm(args[0]);
		faults.doing(() -> {
			System.out.println("halting at " + args[0]);
			System.out.flush();
			Runtime.getRuntime().halt(137);
		});
		String[] properties = java.util.Arrays.copyOfRange(args, 1, args.length);
		new SpringApplicationBuilder(PodiumApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("injectedFaults", faults))
			.run(properties);
		System.out.println("started");
		System.out.flush();
	}

}
