package dev.podium.competition;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Space hardware flavors a task may ask for: those the Hub documents for Docker
 * Spaces (the {@code SpaceHardware} flavors of the official client, without ZeroGPU,
 * which serves Gradio Spaces only), each with its default price per hour from the Hub's
 * published Spaces pricing ("Using GPU Spaces", August 2026). Billing is per minute while
 * a Space starts or runs; builds are free.
 */
public enum Hardware {

	CPU_BASIC("cpu-basic", "2 vCPU, 16 GB", "0.00"),

	CPU_UPGRADE("cpu-upgrade", "8 vCPU, 32 GB", "0.03"),

	T4_SMALL("t4-small", "Nvidia T4, 4 vCPU, 15 GB", "0.40"),

	T4_MEDIUM("t4-medium", "Nvidia T4, 8 vCPU, 30 GB", "0.60"),

	L4X1("l4x1", "1x Nvidia L4, 8 vCPU, 30 GB", "0.80"),

	L4X4("l4x4", "4x Nvidia L4, 48 vCPU, 186 GB", "3.80"),

	L40SX1("l40sx1", "1x Nvidia L40S, 8 vCPU, 62 GB", "1.80"),

	L40SX4("l40sx4", "4x Nvidia L40S, 48 vCPU, 382 GB", "8.30"),

	L40SX8("l40sx8", "8x Nvidia L40S, 192 vCPU, 1534 GB", "23.50"),

	A10G_SMALL("a10g-small", "Nvidia A10G, 4 vCPU, 15 GB", "1.00"),

	A10G_LARGE("a10g-large", "Nvidia A10G, 12 vCPU, 46 GB", "1.50"),

	A10G_LARGEX2("a10g-largex2", "2x Nvidia A10G, 24 vCPU, 92 GB", "3.00"),

	A10G_LARGEX4("a10g-largex4", "4x Nvidia A10G, 48 vCPU, 184 GB", "5.00"),

	A100_LARGE("a100-large", "Nvidia A100, 12 vCPU, 142 GB", "2.50"),

	A100X4("a100x4", "4x Nvidia A100, 48 vCPU, 568 GB", "10.00"),

	A100X8("a100x8", "8x Nvidia A100, 96 vCPU, 1136 GB", "20.00");

	private final String flavor;

	private final String description;

	private final BigDecimal pricePerHour;

	Hardware(String flavor, String description, String pricePerHour) {
		this.flavor = flavor;
		this.description = description;
		this.pricePerHour = new BigDecimal(pricePerHour);
	}

	/** The Hub's name of the flavor, as a task and the Hub's API spell it. */
	public String flavor() {
		return this.flavor;
	}

	public String description() {
		return this.description;
	}

	/** The Hub's published price in US dollars per hour; a default until configurable. */
	public BigDecimal pricePerHour() {
		return this.pricePerHour;
	}

	public boolean isFree() {
		return this.pricePerHour.signum() == 0;
	}

	/** The flavor of that name, spelled exactly as the Hub spells it. */
	public static Optional<Hardware> ofFlavor(String flavor) {
		return Arrays.stream(values()).filter((hardware) -> hardware.flavor.equals(flavor)).findFirst();
	}

	public static List<String> flavors() {
		return Arrays.stream(values()).map(Hardware::flavor).toList();
	}

}
