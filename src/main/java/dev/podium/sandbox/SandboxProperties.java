package dev.podium.sandbox;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param provider {@code local} (this machine) or {@code huggingface} (Spaces)
 * @param maxConcurrent how many sandboxes may live at once
 * @param namePrefix the start of every sandbox name (followed by this deployment's id and
 * the sandbox's: see {@link SandboxNames})
 * @param readyTimeout how long a sandbox may take to become ready before it counts as
 * failed
 */
@ConfigurationProperties("podium.sandbox")
@Validated
public record SandboxProperties(@DefaultValue("local") @Pattern(regexp = "local|huggingface") String provider,
		@DefaultValue("4") @Min(1) @Max(1000) int maxConcurrent,
		@DefaultValue("podium-eval") @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,40}") String namePrefix,
		@DefaultValue("30m") Duration readyTimeout, @DefaultValue Local local) {

	/**
	 * @param startupDelay mimics a Space build, so that queues and progress can be seen
	 * @param allowUnisolatedCommands run tasks' commands as Podium's own user where
	 * nothing can isolate them (no root with setpriv, no user namespaces): for a
	 * single-user machine only, since they can then read Podium's files and processes
	 */
	public record Local(@DefaultValue("3s") Duration startupDelay, @DefaultValue("2") @Min(1) int workers,
			@DefaultValue("false") boolean allowUnisolatedCommands) {
	}

}
