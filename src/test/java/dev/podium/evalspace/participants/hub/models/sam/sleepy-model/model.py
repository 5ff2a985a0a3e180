# Sam's model never finishes: it starts a helper, then sleeps far beyond any time limit.
import os
import subprocess
import sys
import time


def predict(ids):
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    with open(os.path.join(os.environ["EVAL_TEST_CHANNEL"], "sleepy.pids"), "w") as file:
        file.write("%d %d" % (os.getpid(), helper.pid))
    time.sleep(120)
    return [(key, "late") for key in ids]
