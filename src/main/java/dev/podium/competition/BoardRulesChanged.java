package dev.podium.competition;

import java.util.List;
import java.util.UUID;

/**
 * The rules that decide a competition's boards changed (metrics, the private rule, time
 * rules, the end): the standings of these tasks are to be rebuilt. Published within the
 * transaction that changed them, so the rebuild commits with the change.
 *
 * @param actor who changed them
 * @param change what changed, for the audit
 */
public record BoardRulesChanged(UUID competitionId, List<UUID> taskIds, String actor, String change) {

	public BoardRulesChanged {
		taskIds = List.copyOf(taskIds);
	}

}
