# A huggingface/competitions "script" submission, unchanged: script.py reads the competition's
# hidden inputs from /tmp/data and writes submission.csv into its working directory (/tmp/model).
import csv
import json
import os

import helper  # a module of the same repository, importable because the repository is the working directory

channel = os.environ["EVAL_TEST_CHANNEL"]
with open(os.path.join(channel, "config.json")) as file:
    config = json.load(file)
# "/tmp/data" in a Space; the test's stand-in for /tmp here.
DATA = os.path.join(config["tmp"], "data")

with open(os.path.join(DATA, "test.csv"), newline="") as file:
    rows = list(csv.DictReader(file))
with open("submission.csv", "w", newline="") as file:
    writer = csv.writer(file)
    writer.writerow(["id", "pred"])
    for row in rows:
        writer.writerow([row["id"], helper.score(row["text"])])

with open("params.json") as file:
    params = json.load(file)
with open(os.path.join(channel, "script.json"), "w") as file:
    json.dump({"cwd": os.getcwd(), "files": sorted(os.listdir(".")), "USER_TOKEN": os.environ.get("USER_TOKEN"),
               "PARAMS": json.loads(os.environ["PARAMS"]), "params.json": params, "data": sorted(os.listdir(DATA))},
              file)
