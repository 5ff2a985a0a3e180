"""The organizer's prediction entry point in these tests: loads the participant's MODEL_DIR/model.py
and writes `id,label` for every id of DATA_DIR/test.txt, as a real predict.py loads a model."""

import importlib.util
import os
import sys


def main():
    spec = importlib.util.spec_from_file_location("model", os.path.join(os.environ["MODEL_DIR"], "model.py"))
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    with open(os.path.join(os.environ["DATA_DIR"], "test.txt")) as file:
        ids = [line.strip() for line in file if line.strip()]
    rows = model.predict(ids)
    if rows is None:
        return
    with open(os.environ["OUTPUT_PATH"], "w") as out:
        print(os.environ.get("PODIUM_ID_COLUMN", "id") + ",label", file=out)
        for key, value in rows:
            print("%s,%s" % (key, value), file=out)


if __name__ == "__main__":
    sys.exit(main())
