"""An entry point that looks for secrets wherever participant code can look: its environment, the
app's /proc entries (its parent), and every file it can read in the places the test names. It writes
what it found to $EVAL_TEST_CHANNEL/probe-<submission id>.txt and predicts from the model like run_model.py."""

import json
import os

channel = os.environ["EVAL_TEST_CHANNEL"]
with open(os.path.join(channel, "config.json")) as file:
    config = json.load(file)

lines = ["--- environment"]
lines += ["%s=%s" % item for item in sorted(os.environ.items())]
for name in ("environ", "mem", "cmdline"):
    try:
        with open("/proc/%d/%s" % (os.getppid(), name), "rb") as file:
            lines.append("--- the app's %s: %s" % (name, file.read(4096).decode("utf-8", "replace").replace("\0", " ")))
    except OSError as error:
        lines.append("--- the app's %s: denied (%s)" % (name, type(error).__name__))
for place in (config["work"], config["tmp"], config["home"]):
    for directory, _, files in os.walk(place):
        for name in files:
            path = os.path.join(directory, name)
            try:
                with open(path, "rb") as file:
                    lines.append("--- file %s: %s" % (path, file.read(65536).decode("utf-8", "replace")))
            except OSError:
                lines.append("--- file %s: unreadable" % path)
with open(os.path.join(channel, "probe-%s.txt" % os.environ["PODIUM_SUBMISSION_ID"]), "w") as file:
    file.write("\n".join(lines) + "\n")

with open(os.path.join(os.environ["MODEL_DIR"], "weights.txt")) as file:
    label = file.read().strip()
with open(os.path.join(os.environ["DATA_DIR"], "test.txt")) as file:
    ids = [line.strip() for line in file if line.strip()]
with open(os.environ["OUTPUT_PATH"], "w") as out:
    print(os.environ["PODIUM_ID_COLUMN"] + ",label", file=out)
    for key in ids:
        print(key + "," + label, file=out)
