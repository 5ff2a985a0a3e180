package dev.podium.team;

import java.time.Instant;
import java.util.UUID;

/** One recorded change of a competition's teams. */
public record TeamChange(UUID teamId, String change, String detail, String changedBy, Instant changedAt) {
}
