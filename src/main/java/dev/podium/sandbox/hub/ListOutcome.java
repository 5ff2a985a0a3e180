package dev.podium.sandbox.hub;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The namespace's Spaces that this deployment owns, with their runtime. */
public sealed interface ListOutcome permits ListOutcome.Listed, Unavailable, Refused {

	/**
	 * Every page was read; only names the caller's filter accepted are here.
	 */
	record Listed(List<SpaceSummary> spaces) implements ListOutcome {

		public Listed {
			spaces = List.copyOf(spaces);
		}

		/** By Space name, for a round that looks up many sandboxes at once. */
		public Map<String, SpaceSummary> byName() {
			return this.spaces.stream().collect(Collectors.toMap(SpaceSummary::name, Function.identity(), (a, b) -> a));
		}

	}

}
