package dev.podium.competition;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HardwareTests {

	@Test
	void knowsTheHubsFlavorsByTheirExactNameWithAPricePerHour() {
		assertThat(Hardware.ofFlavor("cpu-basic")).contains(Hardware.CPU_BASIC);
		assertThat(Hardware.CPU_BASIC.isFree()).isTrue();
		assertThat(Hardware.ofFlavor("t4-small")).hasValueSatisfying(
				(hardware) -> assertThat(hardware.pricePerHour()).isEqualByComparingTo(new BigDecimal("0.40")));
		assertThat(Hardware.ofFlavor("a100-large").orElseThrow().pricePerHour())
			.isEqualByComparingTo(new BigDecimal("2.50"));
		assertThat(Hardware.ofFlavor("T4-SMALL")).isEmpty();
		assertThat(Hardware.ofFlavor("zero-a10g")).as("ZeroGPU serves Gradio Spaces, not Docker").isEmpty();
		assertThat(Hardware.ofFlavor(null)).isEmpty();
		assertThat(Hardware.flavors()).hasSize(Hardware.values().length).contains("l40sx8", "a10g-largex4", "a100x8");
		assertThat(Hardware.values())
			.allSatisfy((hardware) -> assertThat(hardware.isFree()).isEqualTo(hardware == Hardware.CPU_BASIC));
	}

}
