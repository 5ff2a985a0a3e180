"""Example prediction entry point: organizers replace this file with their task's own.

Podium's evaluation app runs it once per MODEL job (a task whose runner is `predict`), in a
subprocess that holds no token, in the job's own session, working directory, HOME, TMPDIR and
caches, with these environment variables:

    MODEL_DIR    the participant's model snapshot (the submitted repo at the submitted revision)
    DATA_DIR     the task's test inputs (read-only)
    OUTPUT_PATH  where to write the predictions CSV
    PODIUM_ID_COLUMN, PODIUM_COMPETITION, PODIUM_TASK, PODIUM_METRIC, PODIUM_SUBMISSION_ID,
    PODIUM_MODEL_ID, PODIUM_MODEL_REVISION, PODIUM_TIME_LIMIT_SECONDS   for information

Exit 0 after writing OUTPUT_PATH; anything else counts as the submission's failure, and the
last lines of stderr are shown to the participant (keep them free of anything confidential).
It runs participant code: whatever it leaves running, and the files it adds outside its own
places, are removed after the job; it must finish within the job's time limit.

This example fits a text-classification task: DATA_DIR/test.csv holds the id column and a
`text` column, the model is a Transformers sequence classifier, and the predictions are
`<id column>,label` with the label's index. It needs `transformers` and `torch` (add them to
requirements.txt).
"""

import csv
import os
import sys


def main():
    model_dir = os.environ["MODEL_DIR"]
    data_dir = os.environ["DATA_DIR"]
    output_path = os.environ["OUTPUT_PATH"]
    id_column = os.environ.get("PODIUM_ID_COLUMN", "id")

    try:
        from transformers import pipeline
    except ImportError:
        sys.exit("this evaluation image has no transformers: the organizer has to add it to requirements.txt")

    test_inputs = os.path.join(data_dir, "test.csv")
    with open(test_inputs, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))

    classify = pipeline("text-classification", model=model_dir, tokenizer=model_dir)
    label_ids = getattr(classify.model.config, "label2id", None) or {}
    results = classify([row["text"] for row in rows], truncation=True, batch_size=32)

    with open(output_path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([id_column, "label"])
        for row, result in zip(rows, results):
            writer.writerow([row[id_column], label_index(result["label"], label_ids)])


def label_index(label, label_ids):
    if label in label_ids:
        return label_ids[label]
    if label.startswith("LABEL_") and label[len("LABEL_"):].isdigit():
        return int(label[len("LABEL_"):])
    return label


if __name__ == "__main__":
    main()
