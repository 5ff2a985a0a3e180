package dev.podium;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Keeps the modules honest and draws them into {@code target/spring-modulith-docs}. */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(PodiumApplication.class);

	@Test
	void modulesOnlyUseEachOthersPublicApiWithoutCycles() {
		this.modules.verify();
	}

	@Test
	void writesModuleDocumentation() {
		new Documenter(this.modules).writeDocumentation();
	}

}
