package dev.podium.importing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.podium.TestSupport;

/**
 * A competition repo in huggingface/competitions' format, as its code writes one
 * ({@code create.py}, {@code submissions.py}, {@code evaluate.py}): conf.json, the
 * solution with its split column, the four texts, teams.json and user_team.json keyed by
 * the 24-hex Hugging Face user ids, and per team a submission_info file with statuses
 * 0-4, score maps and naive UTC datetimes, beside the submitted files.
 * <p>
 * Three teams of one: alice scored twice (public 0.8 / private 0.6 on 2026-11-21, public
 * 0.6 / private 1.0 on 2026-11-22) and failed once today (2026-11-23), selecting nothing;
 * bob scored once (0.4 / 0.8, selected) and has one submission still pending, with its
 * file; carol joined and never submitted.
 */
public final class HfCompetitionRepo {

	public static final String ALICE = "65a1ce00000000000000a11c";

	public static final String BOB = "65b0b000000000000000b0b0";

	public static final String CAROL = "65ca401000000000000ca401";

	public static final String ALICE_TEAM = "0f0a1ce0-0000-4000-8000-000000000001";

	public static final String BOB_TEAM = "0f0b0b00-0000-4000-8000-000000000002";

	public static final String CAROL_TEAM = "0f0ca401-0000-4000-8000-000000000003";

	/** 10 of 10 right on the public rows. */
	public static final String ALL_RIGHT = """
			id,label
			0,1
			1,0
			2,1
			3,1
			4,0
			5,0
			6,1
			7,1
			8,0
			9,0
			""";

	final Map<String, String> files = new LinkedHashMap<>();

	/** A generic competition: file submissions, accuracy, 3 a day, 2 selections. */
	public static HfCompetitionRepo generic() {
		HfCompetitionRepo repo = new HfCompetitionRepo();
		repo.files.put("conf.json", """
				{
				    "COMPETITION_TYPE": "generic",
				    "SUBMISSION_LIMIT": 3,
				    "TIME_LIMIT": 10,
				    "HARDWARE": "cpu-basic",
				    "SELECTION_LIMIT": 2,
				    "END_DATE": "2026-12-20",
				    "EVAL_HIGHER_IS_BETTER": 1,
				    "SUBMISSION_ID_COLUMN": "id",
				    "SUBMISSION_COLUMNS": "id,label",
				    "SUBMISSION_ROWS": 10,
				    "EVAL_METRIC": "accuracy_score",
				    "LOGO": "https://example.org/logo.png",
				    "DATASET": "",
				    "SUBMISSION_FILENAMES": ["submission.csv"],
				    "SCORING_METRIC": "accuracy_score"
				}
				""");
		repo.files.put("solution.csv", TestSupport.SOLUTION);
		repo.files.put("COMPETITION_DESC.md",
				"# Sentiment Challenge\n\nPredict the label. <script>alert('x')</script>\n");
		repo.files.put("DATASET_DESC.md", "Columns: `id`, `label`.\n");
		repo.files.put("SUBMISSION_DESC.md", "Submit `id,label` for ids 0..9.\n");
		repo.files.put("RULES.md", "Be kind.\n");
		repo.files.put("teams.json", """
				{
				    "%1$s": {"id": "%1$s", "name": "alice's team", "members": ["%2$s"], "leader": "%2$s"},
				    "%3$s": {"id": "%3$s", "name": "Bob <b>the</b> Builder", "members": ["%4$s"], "leader": "%4$s"},
				    "%5$s": {"id": "%5$s", "name": "carol", "members": ["%6$s"], "leader": "%6$s"}
				}
				""".formatted(ALICE_TEAM, ALICE, BOB_TEAM, BOB, CAROL_TEAM, CAROL));
		repo.files.put("user_team.json", """
				{"%s": "%s", "%s": "%s", "%s": "%s"}
				""".formatted(ALICE, ALICE_TEAM, BOB, BOB_TEAM, CAROL, CAROL_TEAM));
		repo.files.put("submission_info/" + ALICE_TEAM + ".json", """
				{
				    "id": "%1$s",
				    "submissions": [
				        {"datetime": "2026-11-21 09:00:00", "submission_id": "a1", "submission_comment": "first",
				         "submission_repo": "", "space_id": "", "submitted_by": "%2$s", "status": 3, "selected": false,
				         "public_score": {"accuracy_score": 0.8}, "private_score": {"accuracy_score": 0.6}},
				        {"datetime": "2026-11-22 09:00:00", "submission_id": "a2", "submission_comment": "",
				         "submission_repo": "", "space_id": "", "submitted_by": "%2$s", "status": 3, "selected": false,
				         "public_score": {"accuracy_score": 0.6}, "private_score": {"accuracy_score": 1.0}},
				        {"datetime": "2026-11-23 08:00:00", "submission_id": "a3", "submission_comment": "",
				         "submission_repo": "", "space_id": "", "submitted_by": "%2$s", "status": 4, "selected": false,
				         "public_score": {}, "private_score": {}}
				    ]
				}
				""".formatted(ALICE_TEAM, ALICE));
		repo.files.put("submission_info/" + BOB_TEAM + ".json", """
				{
				    "id": "%1$s",
				    "submissions": [
				        {"datetime": "2026-11-21 12:00:00", "submission_id": "b1", "submission_comment": "",
				         "submission_repo": "", "space_id": "", "submitted_by": "%2$s", "status": 3, "selected": true,
				         "public_score": {"accuracy_score": 0.4}, "private_score": {"accuracy_score": 0.8}},
				        {"datetime": "2026-11-23 07:00:00", "submission_id": "b2", "submission_comment": "late",
				         "submission_repo": "", "space_id": "", "submitted_by": "%2$s", "status": 0, "selected": false,
				         "public_score": {}, "private_score": {}}
				    ]
				}
				""".formatted(BOB_TEAM, BOB));
		repo.files.put("submission_info/" + CAROL_TEAM + ".json", """
				{"id": "%s", "submissions": []}
				""".formatted(CAROL_TEAM));
		repo.files.put("submissions/" + ALICE_TEAM + "-a1.csv", TestSupport.PREDICTIONS);
		repo.files.put("submissions/" + ALICE_TEAM + "-a2.csv", TestSupport.PREDICTIONS);
		repo.files.put("submissions/" + ALICE_TEAM + "-a3.csv", "not,a\nvalid");
		repo.files.put("submissions/" + BOB_TEAM + "-b1.csv", TestSupport.PREDICTIONS);
		repo.files.put("submissions/" + BOB_TEAM + "-b2.csv", ALL_RIGHT);
		return repo;
	}

	/**
	 * A script competition: each submission a model repo whose script.py writes
	 * submission.csv, with the test inputs in a dataset; bob's pending submission names
	 * his repo at the commit he submitted.
	 */
	public static HfCompetitionRepo script() {
		HfCompetitionRepo repo = generic();
		repo.files.put("conf.json",
				repo.files.get("conf.json")
					.replace("\"generic\"", "\"script\"")
					.replace("\"TIME_LIMIT\": 10", "\"TIME_LIMIT\": 120")
					.replace("\"DATASET\": \"\"", "\"DATASET\": \"org/hidden-inputs\""));
		String sha = "0123456789abcdef0123456789abcdef01234567";
		repo.files.put("submission_info/" + BOB_TEAM + ".json",
				repo.files.get("submission_info/" + BOB_TEAM + ".json")
					.replace("\"b2\"", "\"" + sha + "__b2\"")
					.replace("\"late\",\n         \"submission_repo\": \"\"",
							"\"late\",\n         \"submission_repo\": \"bob/script-repo\""));
		repo.files.remove("submissions/" + BOB_TEAM + "-b2.csv");
		return repo;
	}

	public HfCompetitionRepo with(String path, String content) {
		this.files.put(path, content);
		return this;
	}

	public HfCompetitionRepo without(String path) {
		this.files.remove(path);
		return this;
	}

	public Map<String, byte[]> bytes() {
		Map<String, byte[]> bytes = new LinkedHashMap<>();
		this.files.forEach((path, content) -> bytes.put(path, content.getBytes(StandardCharsets.UTF_8)));
		return bytes;
	}

	/** A zip of the files as a checkout would hold them: all under one folder. */
	public byte[] zip(String folder) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(out)) {
			for (Map.Entry<String, byte[]> file : bytes().entrySet()) {
				zip.putNextEntry(new ZipEntry(folder + "/" + file.getKey()));
				zip.write(file.getValue());
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
