package dev.podium.sandbox.hub;

import java.util.Map;

/** What reading a dataset repo's files brought. */
public sealed interface DatasetOutcome
		permits DatasetOutcome.Read, DatasetOutcome.NotFound, DatasetOutcome.TooLarge, Unavailable, Refused {

	/**
	 * Every file of the repo at one commit.
	 *
	 * @param sha the commit the files were read at
	 * @param files contents by path in the repo
	 */
	record Read(String repoId, String sha, Map<String, byte[]> files) implements DatasetOutcome {

		@Override
		public String toString() {
			return "Read[" + this.repoId + "@" + this.sha + ", " + this.files.size() + " files]";
		}

	}

	/** Missing, not a valid id, or private to someone else than the token's owner. */
	record NotFound(String reason) implements DatasetOutcome {
	}

	/** Its files together are larger than the reader takes. */
	record TooLarge(long maxBytes) implements DatasetOutcome {
	}

}
