# Bob's model predicts "bob" for every id, and writes down what it finds of the jobs before it
# to $EVAL_TEST_CHANNEL/bob.json (participant code looking around, for the isolation test).
import json
import os
import site
import sys


def listing(path):
    found = []
    for directory, names, files in os.walk(path):
        for name in names + files:
            found.append(os.path.relpath(os.path.join(directory, name), path))
    return sorted(found)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with open("/proc/%d/stat" % pid) as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def predict(ids):
    channel = os.environ["EVAL_TEST_CHANNEL"]
    with open(os.path.join(channel, "config.json")) as file:
        config = json.load(file)
    seen = {
        "home": listing(os.environ["HOME"]),
        "tmpdir": listing(os.environ["TMPDIR"]),
        "user_site_enabled": bool(site.ENABLE_USER_SITE),
        "user_site_exists": os.path.exists(site.getusersitepackages()),
        "usercustomize_loaded": "usercustomize" in sys.modules,
        "tmp": listing(config["tmp"]),
        "app_home": listing(config["home"]),
        "jobs": sorted(os.listdir(os.path.dirname(os.path.dirname(os.environ["MODEL_DIR"])))),
        "data": listing(os.environ["DATA_DIR"]),
    }
    daemon = os.path.join(channel, "daemon.pid")
    if os.path.exists(daemon):
        with open(daemon) as file:
            seen["daemon_alive"] = alive(int(file.read().strip()))
    with open(os.path.join(channel, "bob.json"), "w") as file:
        json.dump(seen, file)
    return [(key, "bob") for key in ids]
