package dev.podium.team;

/** Predictions for tests that need many different, valid files. */
public final class TeamTestData {

	private TeamTestData() {
	}

	/** Valid predictions for TestSupport's solution, different for each variant 0..9. */
	public static String predictions(int variant) {
		StringBuilder csv = new StringBuilder("id,label\n");
		String[] labels = { "1", "0", "1", "0", "0", "0", "0", "1", "0", "0" };
		for (int id = 0; id < 10; id++) {
			String label = (id == variant) ? ("1".equals(labels[id]) ? "0" : "1") : labels[id];
			csv.append(id).append(',').append(label).append('\n');
		}
		return csv.toString();
	}

}
