package dev.podium.sandbox;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SandboxNamesTests {

	private final SandboxNames names = new SandboxNames("podium-eval", "k3x9q2");

	private final UUID id = UUID.fromString("0f8e6c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b");

	@Test
	void namesASandboxByPrefixDeploymentAndIdAndParsesItBack() {
		String name = this.names.nameOf(this.id);

		assertThat(name).isEqualTo("podium-eval-k3x9q2-0f8e6c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b");
		assertThat(this.names.parse(name)).contains(this.id);
		assertThat(this.names.owns(name)).isTrue();
		assertThat(this.names.stem()).isEqualTo("podium-eval-k3x9q2-");
	}

	@Test
	void neverOwnsANameItDidNotWriteExactly() {
		String own = this.names.nameOf(this.id);
		List<String> foreign = List.of("notes-on-podium-eval-runs", "Podium-Eval-archive", "podium-eval-orphan",
				"podium-eval-" + this.id, new SandboxNames("podium-eval", "staging1").nameOf(this.id),
				new SandboxNames("podium-evals", "k3x9q2").nameOf(this.id), own.toUpperCase(),
				"Podium-eval-k3x9q2-" + this.id, own + "-copy", own + " ", "x" + own,
				own.substring(0, own.length() - 1), "podium-eval-k3x9q2-" + this.id.toString().toUpperCase(),
				"podium-eval-k3x9q2-0f8e6c1a2b3d4e5f8a9b0c1d2e3f4a5b", "podium-eval-k3x9q2-", "");
		for (String name : foreign) {
			assertThat(this.names.parse(name)).as(name).isEmpty();
		}
		assertThat(this.names.parse(null)).isEmpty();
	}

	@Test
	void refusesPrefixesAndDeploymentIdsThatWouldMakeInvalidRepoNames() {
		for (String prefix : List.of("", "-podium", "podium-", "podium--eval", "Podium", "podium_eval", "podium.eval",
				"p".repeat(41))) {
			assertThatIllegalArgumentException().as(prefix).isThrownBy(() -> new SandboxNames(prefix, "k3x9q2"));
		}
		for (String deployment : List.of("", "abc", "K3X9Q2", "k3-x9", "a".repeat(17))) {
			assertThatIllegalArgumentException().as(deployment)
				.isThrownBy(() -> new SandboxNames("podium-eval", deployment));
		}
		String longest = new SandboxNames("p".repeat(40), "a".repeat(16)).nameOf(this.id);
		assertThat(longest).hasSizeLessThanOrEqualTo(96);
	}

}
