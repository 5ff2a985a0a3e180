"""Podium's evaluation app: runs inside a private Docker Space and evaluates one job after another.

It speaks version 2 of Podium's sandbox API: it long-polls Podium for its next job, runs the job in
isolation from every other job, reports that participant code is starting, hands in the predictions
(a FILE submission's CSV as it is; for a MODEL submission what the organizer's prediction entry point,
or the participant's own `script.py`, writes) or reports why there are none, and asks again, until
Podium answers 410 Gone. Meanwhile it serves a tiny health page on $PORT (7860) so that the Space
counts as RUNNING; after 410 it keeps serving it until Podium deletes the Space.

Only the standard library talks to Podium; huggingface_hub is imported when a model or a dataset
has to be downloaded, so FILE-only work needs nothing installed.

    python app.py                  serve jobs until Podium retires the sandbox, then idle
    python app.py --until-retired  the same, but exit 0 once retired (for tests)
"""

import hashlib
import http.server
import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

# Secrets a Space may hold; read once, then kept out of every environment. HF_TOKEN is no longer
# given (a participant's token comes with their job), but an older Podium may still set it.
SECRET_VARIABLES = ("PODIUM_SANDBOX_TOKEN", "PODIUM_DATASET_TOKEN", "HF_TOKEN")
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY", re.IGNORECASE)
HUB_TOKEN_SHAPE = re.compile(r"hf_[A-Za-z0-9]{20,}")
# Where the sealed secrets wait for the re-executed app (see seal_secrets).
HANDOFF_VARIABLE = "_PODIUM_SECRETS_FD"
APP_FILE = os.path.abspath(__file__)
# The launcher that turns into participant code (see confine_and_exec).
LAUNCH_FLAG = "--exec-job"

EXIT_RETIRED = 0
EXIT_REFUSED = 2
EXIT_MISCONFIGURED = 4
EXIT_ISOLATION_LOST = 5

MESSAGE_LIMIT = 500
DEFAULT_TIME_LIMIT = 1800.0

# Linux prctl(2) options and capset(2) version, used through ctypes.
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522


# --------------------------------------------------------------------------- secrets


def is_secret_name(name):
    return bool(SECRET_NAME.search(name))


def seal_secrets():
    """Takes the secrets out of this process's environment and returns them.

    Deleting them from os.environ is not enough: /proc/<pid>/environ keeps showing the
    environment the process started with. So the app re-executes itself once with a clean
    environment and hands the secrets over through an inherited pipe. (Being non-dumpable, see
    harden_self, also keeps participant code out of /proc/<pid>/environ; this holds even where
    prctl is not available.)
    """
    handoff = os.environ.pop(HANDOFF_VARIABLE, None)
    if handoff is not None:
        fd = int(handoff)
        with os.fdopen(fd, "rb") as pipe:
            return json.loads(pipe.read().decode("utf-8"))
    secrets = {name: os.environ[name] for name in SECRET_VARIABLES if os.environ.get(name)}
    clean = {name: value for name, value in os.environ.items() if not is_secret_name(name)}
    if len(clean) == len(os.environ) or not hasattr(os, "execve"):
        return secrets
    payload = json.dumps(secrets).encode("utf-8")
    if len(payload) > 16384:  # stays well within a pipe's buffer, so that the write cannot block
        raise SystemExit("the secrets given to the evaluation app are implausibly large")
    read_end, write_end = os.pipe()
    os.write(write_end, payload)
    os.close(write_end)
    os.set_inheritable(read_end, True)
    clean[HANDOFF_VARIABLE] = str(read_end)
    clean.setdefault("PYTHONUNBUFFERED", "1")
    os.execve(sys.executable, [sys.executable, APP_FILE] + sys.argv[1:], clean)
    raise AssertionError("unreachable")


class Redactor:
    """Removes secret values (and anything shaped like a Hub token) from text that leaves the app."""

    def __init__(self, secrets):
        self.fixed = [value for value in secrets.values() if value and len(value) >= 4]
        self.current = []
        self.values = []
        self._sort()

    def add(self, value):
        if value and len(value) >= 4:
            self.current.append(value)
            self._sort()

    def forget_added(self):
        self.current = []
        self._sort()

    def _sort(self):
        self.values = sorted(set(self.fixed + self.current), key=len, reverse=True)

    def __call__(self, text):
        text = str(text)
        for value in self.values:
            text = text.replace(value, "***")
        return HUB_TOKEN_SHAPE.sub("hf_***", text)


redact = Redactor({})


def log(message):
    print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) + " " + redact(message), flush=True)


def safe_message(text, limit=MESSAGE_LIMIT):
    text = redact(text).strip()
    return text if len(text) <= limit else "..." + text[-(limit - 3):]


# --------------------------------------------------------------------------- the kernel's help


_libc = None


def libc():
    """The C library, or None where ctypes or prctl are not to be had (then the app does without)."""
    global _libc
    if _libc is None:
        try:
            import ctypes
            # CDLL(None) is the running interpreter with the C library it links: unlike
            # ctypes.util.find_library it starts no helper process.
            _libc = ctypes.CDLL(None, use_errno=True)
            _libc.prctl  # fails where there is no prctl
        except (ImportError, OSError, AttributeError):
            _libc = False
    return _libc or None


def prctl(option, argument=0, argument3=0):
    lib = libc()
    if lib is None:
        return False
    import ctypes
    return lib.prctl(ctypes.c_int(option), ctypes.c_ulong(argument), ctypes.c_ulong(argument3), ctypes.c_ulong(0),
                     ctypes.c_ulong(0)) == 0


def harden_self():
    """Makes the app non-dumpable and the reaper of every process its jobs leave behind.

    Non-dumpable: participant code runs as the same user, and would otherwise be allowed to read
    the app's memory (/proc/<pid>/mem, the sandbox token in it) and environment, or ptrace it.
    Child subreaper: a process that escapes its job with setsid or a double fork is re-parented
    to the app instead of to PID 1, so that the app still finds and ends it after the job.
    """
    if sys.platform.startswith("linux"):
        # The app needs no capability. Holding none, it is what it is in a Space (user 1000), and
        # non-dumpable is what keeps participant code (same user) out of its memory.
        try:
            drop_capabilities()
        except OSError as error:
            log("warning: the app could not drop its capabilities (%s)" % error)
    dumpable = prctl(PR_SET_DUMPABLE, 0)
    subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1)
    if not dumpable:
        log("warning: the app could not make itself non-dumpable")
    if not subreaper:
        log("warning: the app cannot reap escaped processes (no PR_SET_CHILD_SUBREAPER); "
            "only each job's process group is ended")


def capabilities(field):
    try:
        with open("/proc/self/status", "r") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError):
        pass
    return None


def confine_and_exec(arguments):
    """The launcher of participant code: drops every capability, then becomes the command.

    Runs as `python -I -S app.py --exec-job <fd> -- <command...>` in the job's new session. If the
    app runs with capabilities (as root, say), participant code would otherwise be root too, and
    could write the organizer's read-only files or read the app's memory in spite of its being
    non-dumpable. NO_NEW_PRIVS keeps setuid programs and file capabilities from giving any back.
    A failure to launch is written to <fd> (closed on exec), so the app can tell it from the
    command's own failure.
    """
    fd = int(arguments[0])
    command = arguments[arguments.index("--") + 1:]
    os.set_inheritable(fd, False)
    try:
        if sys.platform.startswith("linux"):
            drop_capabilities()
        os.execvp(command[0], command)
    except BaseException as error:  # anything that keeps the command from starting
        reason = "%s: %s" % (type(error).__name__, getattr(error, "strerror", None) or error)
        os.write(fd, reason.encode("utf-8", "replace")[:2000])
        os._exit(127)


def drop_capabilities():
    held = [capabilities(field) or 0 for field in ("CapEff", "CapPrm", "CapInh", "CapAmb")]
    bounding = capabilities("CapBnd")
    lib = libc()
    if any(held) or (bounding and os.geteuid() == 0):
        if lib is None:
            raise OSError("capabilities cannot be dropped without ctypes")
        import ctypes
        try:
            with open("/proc/sys/kernel/cap_last_cap") as last:
                last_capability = int(last.read().strip())
        except (OSError, ValueError):
            last_capability = 63
        # The bounding set first: dropping from it needs CAP_SETPCAP, which capset removes.
        for capability in range(last_capability + 1):
            prctl(PR_CAPBSET_DROP, capability)
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
        header = (ctypes.c_uint32 * 2)(LINUX_CAPABILITY_VERSION_3, 0)
        data = (ctypes.c_uint32 * 6)()
        if lib.capset(header, data) != 0:
            raise OSError(ctypes.get_errno(), "capset failed")
    if not prctl(PR_SET_NO_NEW_PRIVS, 1):
        raise OSError("PR_SET_NO_NEW_PRIVS failed")
    if capabilities("CapEff") or capabilities("CapPrm"):
        raise OSError("capabilities are still held")
    if os.geteuid() == 0 and capabilities("CapBnd"):
        raise OSError("running as root with a bounding set that execve would give back")


# --------------------------------------------------------------------------- Podium's sandbox API


class PodiumProblem(Exception):
    """An answer of Podium that ends the current job or the loop (the subclasses say which)."""

    status = None


class Refused(PodiumProblem):
    """401 or 403: the token is wrong or no longer valid. Retrying cannot help."""


class UnknownSandbox(PodiumProblem):
    """404: Podium does not know this sandbox (any more)."""


class Retired(PodiumProblem):
    """410: this sandbox gets no more jobs."""


class StaleJob(PodiumProblem):
    """409: the job is no longer this sandbox's."""


class TooLarge(PodiumProblem):
    """413: the predictions are larger than the task allows; Podium failed the submission itself."""


class Rejected(PodiumProblem):
    """Any other 4xx: Podium understood and said no."""

    def __init__(self, status, body):
        super().__init__("HTTP %d" % status)
        self.status = status
        self.body = body


class GaveUp(Exception):
    """A host other than Podium kept failing (connection errors, 5xx) after every try."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would forward the Authorization header to wherever a redirect points.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Podium:
    """The sandbox API v2. Transient trouble (connection errors, 408, 425, 429, 5xx) is retried with
    backoff for as long as it lasts: Podium being away for a while must not end the stream."""

    RETRIED_STATUSES = (408, 425, 429, 500, 502, 503, 504)

    def __init__(self, callback_url, token, backoff=1.0, max_backoff=60.0, foreign_attempts=5):
        self.callback_url = callback_url.rstrip("/")
        self.token = token
        self.backoff = max(0.0, backoff)
        self.max_backoff = max(self.backoff, max_backoff)
        self.foreign_attempts = max(1, foreign_attempts)
        self.opener = urllib.request.build_opener(_NoRedirects())
        origin = urllib.parse.urlsplit(self.callback_url)
        self.origin = (origin.scheme, origin.netloc)

    def url(self, path):
        return self.callback_url + path

    def next_job(self, wait):
        """The next job's JSON, or None when Podium had none within `wait` seconds (204)."""
        status, body = self.request("POST", self.url("/jobs/next?wait=%d" % wait), timeout=wait + 30.0)
        if status == 204 or not body:
            return None
        return json.loads(body.decode("utf-8"))

    def file(self, job):
        url = self.resolve(job.file_url)
        return self.request("GET", url, timeout=300.0)[1]

    def started(self, job):
        self.request("POST", self.job_url(job, "/started"))

    def predictions(self, job, csv):
        self.request("PUT", self.job_url(job, "/predictions"), csv, "text/csv")

    def failure(self, job, category, message):
        body = json.dumps({"category": category, "message": message}).encode("utf-8")
        self.request("POST", self.job_url(job, "/failure"), body, "application/json")

    def job_url(self, job, suffix):
        return self.url("/jobs/%s%s" % (quote(job.id), suffix))

    def resolve(self, file_url):
        # Podium sends absolute URLs; a relative one is taken as relative to the callback URL.
        if re.match(r"^https?://", file_url or ""):
            return file_url
        return urllib.parse.urljoin(self.callback_url + "/", file_url or "")

    def is_podium(self, url):
        target = urllib.parse.urlsplit(url)
        return (target.scheme, target.netloc) == self.origin

    def request(self, method, url, body=None, content_type=None, timeout=60.0):
        """Returns (status, body) of a 2xx answer; raises a PodiumProblem for a final 4xx."""
        podium = self.is_podium(url)
        headers = {"Accept": "application/json, text/csv, */*", "User-Agent": "podium-eval-space/2"}
        if podium:
            # The sandbox token goes to Podium only, never to another host a URL might name.
            headers["Authorization"] = "Bearer " + self.token
        if content_type:
            headers["Content-Type"] = content_type
        described = "%s %s" % (method, urllib.parse.urlsplit(url).path)
        attempt = 0
        while True:
            attempt += 1
            retry_after = None
            try:
                request = urllib.request.Request(url, data=body, headers=headers, method=method)
                with self.opener.open(request, timeout=timeout) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                status = error.code
                detail = _read(error)
                if status not in self.RETRIED_STATUSES:
                    raise answer_problem(described, status, detail)
                problem = "HTTP %d" % status
                retry_after = _seconds(error.headers.get("Retry-After"))
            except (urllib.error.URLError, OSError) as error:
                problem = type(getattr(error, "reason", error)).__name__
            if not podium and attempt >= self.foreign_attempts:
                raise GaveUp("%s: %s after %d attempts" % (described, problem, attempt))
            wait = min(self.max_backoff, self.backoff * (2 ** min(attempt - 1, 16)))
            if retry_after is not None:
                wait = max(wait, min(retry_after, 300.0))
            log("%s failed (%s); retrying in %.1f s" % (described, problem, wait))
            time.sleep(wait)


def answer_problem(described, status, detail):
    if status in (401, 403):
        problem = Refused("%s: HTTP %d" % (described, status))
    elif status == 404:
        problem = UnknownSandbox("%s: HTTP 404" % described)
    elif status == 409:
        problem = StaleJob("%s: HTTP 409" % described)
    elif status == 410:
        problem = Retired("%s: HTTP 410" % described)
    elif status == 413:
        problem = TooLarge("%s: HTTP 413" % described)
    else:
        problem = Rejected(status, detail)
    problem.status = status
    return problem


def quote(value):
    return urllib.parse.quote(str(value), safe="")


def _read(error):
    try:
        return error.read()[:2000]
    except Exception:
        return b""


def _seconds(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- jobs and their outcomes


class EvaluationFailed(Exception):
    """A submission could not be evaluated: the submission's fault or the platform's."""

    def __init__(self, category, message):
        super().__init__(message)
        self.category = category
        self.message = message


def submission_fault(message):
    return EvaluationFailed("SUBMISSION", message)


def platform_fault(message):
    return EvaluationFailed("PLATFORM", message)


class Predictions:

    def __init__(self, csv):
        self.csv = csv


class IsolationLost(Exception):
    """The organizer's files changed, or a job's processes could not be ended: no further jobs."""


class Job:

    def __init__(self, body):
        if not isinstance(body, dict) or not body.get("jobId"):
            raise ValueError("the job names no jobId")
        self.id = str(body["jobId"])
        self.submission_id = str(body.get("submissionId") or "")
        self.kind = body.get("kind")
        self.task = body.get("task") if isinstance(body.get("task"), dict) else {}
        self.runner = str(self.task.get("runner") or "predict").strip().lower()
        self.time_limit = _positive(body.get("timeLimitSeconds"), DEFAULT_TIME_LIMIT)
        self.file_url = body.get("fileUrl")
        self.model = body.get("model")
        self.revision = body.get("revision")
        self.hub_token = body.get("hubToken") or None

    def describe(self):
        return "job %s (submission %s, %s%s, task %s/%s, runner %s)" % (
            self.id, self.submission_id, self.kind, (" " + str(self.model)) if self.kind == "MODEL" else "",
            self.task.get("competition"), self.task.get("slug"), self.runner)

    def drop_token(self):
        # Python cannot wipe a string; what is left in memory is out of reach for participant
        # code because the app is non-dumpable.
        self.hub_token = None


def _positive(value, default):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


# --------------------------------------------------------------------------- settings


class Settings:

    def __init__(self, environ, secrets):
        self.callback_url = environ.get("PODIUM_CALLBACK_URL", "").strip()
        self.sandbox_id = environ.get("PODIUM_SANDBOX_ID", "").strip() or None
        self.sandbox_token = secrets.get("PODIUM_SANDBOX_TOKEN", "")
        self.dataset = environ.get("PODIUM_DATASET", "").strip() or None
        self.dataset_token = secrets.get("PODIUM_DATASET_TOKEN") or None
        self.predict_command = environ.get("PODIUM_PREDICT_COMMAND", "").strip() or "python /app/predict.py"
        self.data_dir = environ.get("PODIUM_DATA_DIR", "").strip() or "/app/data"
        self.app_dir = os.path.dirname(APP_FILE)
        self.model_dir_override = environ.get("PODIUM_MODEL_DIR_OVERRIDE", "").strip() or None
        self.work_dir = environ.get("PODIUM_WORK_DIR", "").strip() or None
        self.script_workdir = environ.get("PODIUM_SCRIPT_WORKDIR", "").strip() or "/tmp/model"
        self.script_data_dir = environ.get("PODIUM_SCRIPT_DATA_DIR", "").strip() or "/tmp/data"
        # The Hub sets SPACE_ID in every Space. Outside one (a developer running app.py by hand),
        # the app does not chmod the organizer's files nor sweep the machine's /tmp and HOME.
        self.in_space = bool(environ.get("SPACE_ID", "").strip())
        home = environ.get("HOME", "").strip()
        default_swept = (["/tmp", "/var/tmp", "/dev/shm"] + ([home] if home else [])) if self.in_space else []
        swept = environ.get("PODIUM_SWEPT_DIRS")
        self.swept_dirs = [path for path in (swept.split(os.pathsep) if swept is not None else default_swept)
                           if path.strip()]
        self.port = int(environ.get("PORT", "7860"))
        self.poll_wait = max(0, min(30, int(environ.get("PODIUM_POLL_WAIT_SECONDS", "20"))))
        self.attempts = int(environ.get("PODIUM_RETRY_ATTEMPTS", "5"))
        self.backoff = float(environ.get("PODIUM_RETRY_BACKOFF_SECONDS", "1"))
        self.max_backoff = float(environ.get("PODIUM_RETRY_MAX_BACKOFF_SECONDS", "60"))

    def problems(self):
        found = []
        if not re.match(r"^https?://", self.callback_url):
            found.append("PODIUM_CALLBACK_URL is not set to an http(s) URL")
        if not self.sandbox_token:
            found.append("PODIUM_SANDBOX_TOKEN is not set")
        try:
            shlex.split(self.predict_command)
        except ValueError:
            found.append("PODIUM_PREDICT_COMMAND cannot be parsed")
        return found

    def predict_argv(self):
        return shlex.split(self.predict_command)


# --------------------------------------------------------------------------- the organizer's files


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stat_key(info):
    # ctime cannot be set back by an unprivileged process: a file whose inode still shows the
    # same ctime (and size, mtime, mode, inode) has not been written, chmod-ed or replaced.
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_mode)


class OrganizerFiles:
    """The app, the prediction entry point and the test inputs: read-only, and verified by SHA-256.

    Each root's manifest (every directory, file and symbolic link; a file's SHA-256) is taken when
    the root is first protected. verify() walks the roots again; a file whose inode metadata
    changed is hashed again, and any difference (content, an added or removed entry) is reported.
    """

    def __init__(self, read_only=True):
        self.manifests = {}
        self.read_only = read_only

    def roots(self):
        return list(self.manifests)

    def covers(self, path):
        real = os.path.realpath(path)
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.manifests)

    def protect(self, path):
        if not os.path.lexists(path):
            return
        root = os.path.realpath(path)
        if self.covers(root):
            return
        # A root inside the new one is now part of it.
        for inner in [other for other in self.manifests if other.startswith(root.rstrip(os.sep) + os.sep)]:
            del self.manifests[inner]
        if self.read_only:
            make_read_only(root)
        self.manifests[root] = self.scan(root, {})

    def verify(self):
        """Paths that differ from their manifest (sorted), restoring read-only modes on the way."""
        changed = []
        for root, manifest in self.manifests.items():
            current = self.scan(root, manifest)
            for path in set(manifest) | set(current):
                before, after = manifest.get(path), current.get(path)
                if before is None or after is None or before[0] != after[0] or before[2] != after[2]:
                    changed.append(os.path.join(root, path) if path else root)
                elif before[1] != after[1]:
                    manifest[path] = after  # touched but the same: no need to hash it again next time
        return sorted(changed)

    def scan(self, root, known):
        """{relative path: (kind, stat key, digest)}; digests are reused where the stat key is unchanged."""
        entries = {}

        def add(relative, full):
            try:
                info = os.lstat(full)
            except OSError:
                return
            key = _stat_key(info)
            if stat.S_ISLNK(info.st_mode):
                entries[relative] = ("link", key, os.readlink(full))
            elif stat.S_ISDIR(info.st_mode):
                entries[relative] = ("dir", key, None)
                if self.read_only and info.st_mode & 0o222 and info.st_uid == os.geteuid():
                    make_read_only(full, recursive=False)
            elif stat.S_ISREG(info.st_mode):
                previous = known.get(relative)
                if previous is not None and previous[0] == "file" and previous[1] == key:
                    digest = previous[2]
                else:
                    try:
                        digest = sha256(full)
                    except OSError:
                        digest = "unreadable"
                    if self.read_only and info.st_mode & 0o222:
                        make_read_only(full, recursive=False)
                entries[relative] = ("file", key, digest)
            else:
                entries[relative] = ("other", key, None)

        add("", root)
        if os.path.isdir(root) and not os.path.islink(root):
            for directory, names, files in os.walk(root):
                for name in names + files:
                    full = os.path.join(directory, name)
                    add(os.path.relpath(full, root), full)
        return entries


def make_read_only(path, recursive=True):
    """Clears the write bits where the app owns the file (an image's root-owned files already are)."""

    def clear(target):
        try:
            info = os.lstat(target)
            if not stat.S_ISLNK(info.st_mode) and info.st_mode & 0o222 and info.st_uid == os.geteuid():
                os.chmod(target, stat.S_IMODE(info.st_mode) & ~0o222)
        except OSError:
            pass

    if recursive and os.path.isdir(path) and not os.path.islink(path):
        for directory, names, files in os.walk(path, topdown=False):
            for name in files + names:
                clear(os.path.join(directory, name))
    clear(path)


# --------------------------------------------------------------------------- processes and files a job leaves


def proc_children():
    children = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as file:
                data = file.read()
            # The command name may hold spaces and parentheses: the fields follow the last ')'.
            fields = data[data.rindex(b")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return children


def descendants(pid):
    children = proc_children()
    if children is None:
        return None
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_processes(group=None):
    """Kills every descendant of the app (the job's group and whatever escaped it); True when none is left.

    Only the app's own descendants: never its parent or anything else on the machine.
    """
    if group is not None:
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass
    me = os.getpid()
    for _ in range(400):
        found = descendants(me)
        if found is None:  # no /proc: the process group is all the app can end
            reap()
            return True
        if not found:
            return True
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        reap()
        time.sleep(0.005)
    return not descendants(me)


def remove_tree(path):
    """Removes a file or directory tree, making directories writable where a job took that away."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return True
    if not stat.S_ISDIR(info.st_mode):
        try:
            os.unlink(path)
        except OSError:
            return False
        return True

    def retry(function, target, _):
        try:
            os.chmod(os.path.dirname(target), 0o700)
            if os.path.isdir(target) and not os.path.islink(target):
                os.chmod(target, 0o700)
                shutil.rmtree(target, onerror=lambda *args: None)
            else:
                function(target)
        except OSError:
            pass

    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    shutil.rmtree(path, onerror=retry)
    return not os.path.lexists(path)


def fresh_directory(path):
    """An empty directory at path: whatever is there is removed (or emptied where it cannot be)."""
    if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
        os.unlink(path)
    elif os.path.isdir(path) and not remove_tree(path):
        for name in os.listdir(path):
            if not remove_tree(os.path.join(path, name)):
                raise platform_fault("%s cannot be cleared for the job" % path)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


class Leftovers:
    """What a job adds to the shared writable places (/tmp, /var/tmp, /dev/shm, the app's HOME):
    everything that was not there before the job is removed after it."""

    def __init__(self, areas, spared):
        self.areas = [os.path.realpath(area) for area in areas if os.path.isdir(area)]
        self.spared = [os.path.realpath(path) for path in spared]
        self.known = {}

    def _walk(self, area):
        for directory, names, files in os.walk(area):
            names[:] = [name for name in names if not self._spared(os.path.join(directory, name))]
            for name in names + files:
                yield os.path.join(directory, name)

    def _spared(self, path):
        return any(path == spared or path.startswith(spared.rstrip(os.sep) + os.sep) for spared in self.spared)

    def before_job(self):
        self.known = {area: set(self._walk(area)) for area in self.areas}

    def after_job(self):
        uid = os.geteuid()
        return sum(self._sweep(area, self.known.get(area, set()), uid) for area in self.areas)

    def _sweep(self, directory, known, uid):
        # Top-down: a new entry goes whole; only directories that were there before are entered.
        removed = 0
        try:
            entries = list(os.scandir(directory))
        except OSError:
            return 0
        for entry in entries:
            if self._spared(entry.path):
                continue
            if entry.path not in known:
                try:
                    owner = entry.stat(follow_symlinks=False).st_uid
                except OSError:
                    continue
                if owner == uid and remove_tree(entry.path):
                    removed += 1
            elif entry.is_dir(follow_symlinks=False):
                removed += self._sweep(entry.path, known, uid)
        return removed


# --------------------------------------------------------------------------- evaluation


class JobSpace:
    """One job's own directories: scratch, HOME, TMPDIR, caches and Python user site, all removed after it."""

    def __init__(self, jobs_dir, job):
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", job.id)[:64] or "job"
        self.root = tempfile.mkdtemp(prefix=name + "-", dir=jobs_dir)
        self.home = self._dir("home")
        self.tmp = self._dir("tmp")
        self.work = self._dir("work")
        self.logs = self._dir("logs")
        self.model = os.path.join(self.root, "model")
        self.extra = []  # other paths the job used (the script contract's directories)

    def _dir(self, name):
        path = os.path.join(self.root, name)
        os.makedirs(path, mode=0o700)
        return path

    def environment(self):
        cache = os.path.join(self.home, ".cache")
        return {
            "HOME": self.home,
            "TMPDIR": self.tmp,
            "TMP": self.tmp,
            "TEMP": self.tmp,
            "XDG_CACHE_HOME": cache,
            "XDG_CONFIG_HOME": os.path.join(self.home, ".config"),
            "XDG_DATA_HOME": os.path.join(self.home, ".local", "share"),
            "XDG_STATE_HOME": os.path.join(self.home, ".local", "state"),
            "HF_HOME": os.path.join(cache, "huggingface"),
            "HF_HUB_CACHE": os.path.join(cache, "huggingface", "hub"),
            "HF_DATASETS_CACHE": os.path.join(cache, "huggingface", "datasets"),
            "HF_ASSETS_CACHE": os.path.join(cache, "huggingface", "assets"),
            "HF_XET_CACHE": os.path.join(cache, "huggingface", "xet"),
            "TORCH_HOME": os.path.join(cache, "torch"),
            "PIP_CACHE_DIR": os.path.join(cache, "pip"),
            "MPLCONFIGDIR": os.path.join(self.home, ".config", "matplotlib"),
            "TRITON_CACHE_DIR": os.path.join(cache, "triton"),
            "CUDA_CACHE_PATH": os.path.join(cache, "nv"),
            "NUMBA_CACHE_DIR": os.path.join(cache, "numba"),
            "PYTHONPYCACHEPREFIX": os.path.join(cache, "pycache"),
            "PYTHONUSERBASE": os.path.join(self.home, ".local"),
            "PYTHONNOUSERSITE": "1",
        }

    def remove(self):
        ok = True
        for path in self.extra:
            ok = remove_tree(path) and ok
        return remove_tree(self.root) and ok


class Evaluator:
    """Runs one job after another, each in isolation, and tells Podium about each."""

    def __init__(self, settings, podium, status):
        self.settings = settings
        self.podium = podium
        self.status = status
        base = settings.work_dir or tempfile.gettempdir()
        os.makedirs(base, exist_ok=True)
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="podium-app-", dir=base))
        self.jobs_dir = os.path.join(self.root, "jobs")
        self.datasets_dir = os.path.join(self.root, "datasets")
        self.hub_home = os.path.join(self.root, "hub-home")
        for path in (self.jobs_dir, self.datasets_dir, self.hub_home):
            os.makedirs(path, mode=0o700)
        # huggingface_hub reads its locations when imported: the app's own downloads use a home of
        # their own, emptied after each job, never a cache that participant code could have seeded.
        os.environ["HF_HOME"] = self.hub_home
        for name, place in (("HF_HUB_CACHE", "hub"), ("HF_XET_CACHE", "xet"), ("HF_ASSETS_CACHE", "assets")):
            os.environ[name] = os.path.join(self.hub_home, place)
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        self.datasets = {}
        self.organizer = OrganizerFiles(read_only=settings.in_space)
        self.leftovers = Leftovers(settings.swept_dirs, [self.root])
        self.image_user_site = image_user_site() if settings.in_space else None
        self.served = 0

    # ----------------------------------------------------------------- start and end

    def protect_organizer_files(self):
        started = time.monotonic()
        self.organizer.protect(self.settings.app_dir)
        if os.path.isdir(self.settings.data_dir):
            self.organizer.protect(self.settings.data_dir)
        script = entry_point_script(self.settings)
        if script:
            self.organizer.protect(script)
        if self.image_user_site:
            self.organizer.protect(self.image_user_site)
        files = sum(len(manifest) for manifest in self.organizer.manifests.values())
        log("organizer files %s: %d entries under %s (%.1f s)" % (
            "read-only and hashed" if self.organizer.read_only else "hashed (not in a Space: left writable)",
            files, ", ".join(self.organizer.roots()), time.monotonic() - started))
        if self.leftovers.areas:
            log("swept after each job: %s" % ", ".join(self.leftovers.areas))
        else:
            log("not in a Space: no shared directory is swept after jobs")

    def close(self):
        end_processes()
        remove_tree(self.root)

    # ----------------------------------------------------------------- one job

    def handle(self, job):
        """Evaluates one job and reports it; raises Retired, Refused, UnknownSandbox or IsolationLost."""
        self.status.update(state="working")
        log("%s" % job.describe())
        if job.hub_token:
            redact.add(job.hub_token)
        try:
            changed = self.organizer.verify()
            if changed:
                log("the organizer's files changed since the app started (%s): refusing further jobs"
                    % ", ".join(changed[:5]))
                try:
                    self.report(job, platform_fault("the evaluation sandbox's files were changed; this sandbox takes "
                                                    "no further jobs, the submission is retried elsewhere"))
                finally:
                    raise IsolationLost("organizer files changed")
            outcome, problem, lost = self.isolated(job)
            try:
                if problem is None:
                    self.report(job, outcome)
            finally:
                if lost:
                    raise IsolationLost(lost)  # it outranks whatever the report met
            if problem is not None:
                raise problem
        finally:
            job.drop_token()
            redact.forget_added()
            self.served += 1
            self.status.update(jobs=self.served)

    def isolated(self, job):
        """(outcome, a PodiumProblem that dropped the job or None, why isolation is lost or None).

        Whatever the job started or wrote is gone afterwards, however it ended.
        """
        outcome, problem, space = None, None, None
        try:
            self.leftovers.before_job()
            space = JobSpace(self.jobs_dir, job)
            outcome = self.evaluate(job, space)
        except PodiumProblem as dropped:
            problem = dropped
        except Exception as error:
            log("job %s: cannot prepare the job (%s: %s)" % (job.id, type(error).__name__, error))
            outcome = platform_fault("the evaluation sandbox could not prepare the job (%s)" % type(error).__name__)
        finally:
            ended = end_processes()
            changed = self.organizer.verify()
            if space is not None:
                space.remove()
            self.tidy_root()
            removed = self.leftovers.after_job()
            if removed:
                log("removed %d file(s) the job left behind" % removed)
        if not ended:
            log("processes of job %s could not all be ended: refusing further jobs" % job.id)
            return outcome, problem, "processes of the job survived it"
        if changed:
            log("job %s changed the organizer's files (%s): refusing further jobs" % (job.id, ", ".join(changed[:5])))
            outcome = submission_fault("the submission changed the evaluation's read-only files (%s)"
                                       % ", ".join(os.path.basename(path) for path in changed[:3]))
            return outcome, problem, "organizer files changed"
        return outcome, problem, None

    def tidy_root(self):
        # Participant code could write into the app's own directory too (same user), chmod it or
        # remove it: put it back as the app left it.
        for path in (self.root, self.jobs_dir, self.datasets_dir, self.hub_home):
            try:
                if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
                    os.unlink(path)
                os.makedirs(path, mode=0o700, exist_ok=True)
                os.chmod(path, 0o700)
            except OSError as error:
                log("the app's work directory cannot be restored (%s)" % type(error).__name__)
        for name in os.listdir(self.root):
            path = os.path.join(self.root, name)
            if name == "datasets":
                for dataset in os.listdir(path):
                    if os.path.realpath(os.path.join(path, dataset)) not in self.datasets.values():
                        remove_tree(os.path.join(path, dataset))
            elif name in ("jobs", "hub-home"):
                for entry in os.listdir(path):
                    remove_tree(os.path.join(path, entry))
            else:
                remove_tree(path)

    def evaluate(self, job, space):
        """Predictions or an EvaluationFailed; PodiumProblem (the job is dropped) passes through."""
        try:
            if job.kind == "FILE":
                return self.file_submission(job)
            if job.kind == "MODEL":
                if job.runner == "predict":
                    return self.predict(job, space)
                if job.runner == "script":
                    return self.script(job, space)
                raise platform_fault("the evaluation app does not know the runner %r" % job.runner)
            raise platform_fault("the evaluation app does not know submissions of kind %s" % job.kind)
        except EvaluationFailed as failed:
            return failed
        except PodiumProblem:
            raise
        except Exception as error:  # a bug of the app must not leave the submission hanging
            log("job %s: unexpected %s: %s" % (job.id, type(error).__name__, error))
            return platform_fault("the evaluation app failed unexpectedly (%s)" % type(error).__name__)

    def report(self, job, outcome):
        try:
            if isinstance(outcome, Predictions):
                self.podium.predictions(job, outcome.csv)
                log("job %s: predictions handed in (%d bytes)" % (job.id, len(outcome.csv)))
            else:
                log("job %s failed (%s): %s" % (job.id, outcome.category, outcome.message))
                self.podium.failure(job, outcome.category, safe_message(outcome.message))
        except StaleJob:
            log("job %s is no longer this sandbox's (HTTP 409): dropped" % job.id)
        except TooLarge:
            log("job %s: the predictions are larger than the task allows (HTTP 413); Podium failed it" % job.id)
        except Rejected as rejected:
            log("job %s: Podium refused the report (HTTP %d): dropped" % (job.id, rejected.status))

    def start(self, job):
        """Tells Podium that participant code is about to run; the time limit starts now."""
        self.podium.started(job)
        return time.monotonic() + job.time_limit

    # ----------------------------------------------------------------- FILE

    def file_submission(self, job):
        if not job.file_url:
            raise platform_fault("the job names no file")
        from_podium = self.podium.is_podium(self.podium.resolve(job.file_url))
        try:
            csv = self.podium.file(job)
        except GaveUp:
            raise platform_fault("the submitted file could not be fetched (its host kept failing)")
        except PodiumProblem as problem:
            # Only Podium's own answers about this job or sandbox end the job or the loop;
            # trouble with another host is this submission's problem.
            if from_podium and isinstance(problem, (StaleJob, Retired, Refused)):
                raise
            raise platform_fault("the submitted file could not be fetched (HTTP %s%s)" % (
                problem.status, "" if from_podium else " from another host"))
        self.start(job)
        return Predictions(csv)

    # ----------------------------------------------------------------- MODEL: the organizer's entry point

    def predict(self, job, space):
        command = self.settings.predict_argv()
        if not command or shutil.which(command[0]) is None:
            raise platform_fault("the prediction entry point is not installed in the evaluation image")
        if (os.path.basename(command[0]).startswith("python") and len(command) > 1
                and not command[1].startswith("-") and not os.path.isfile(command[1])):
            raise platform_fault("the prediction entry point is not installed in the evaluation image")
        data_dir = self.test_inputs(job, space)
        os.makedirs(space.model, mode=0o700)
        self.download_model(job, space.model)
        output = os.path.join(space.work, "predictions.csv")
        environment = self.environment(space)
        environment.update({
            "MODEL_DIR": space.model,
            "DATA_DIR": data_dir,
            "OUTPUT_PATH": output,
            "PODIUM_COMPETITION": str(job.task.get("competition") or ""),
            "PODIUM_TASK": str(job.task.get("slug") or ""),
            "PODIUM_METRIC": str(job.task.get("metric") or ""),
            "PODIUM_ID_COLUMN": str(job.task.get("idColumn") or "id"),
            "PODIUM_SUBMISSION_ID": job.submission_id,
            "PODIUM_MODEL_ID": str(job.model or ""),
            "PODIUM_MODEL_REVISION": str(job.revision or "main"),
            "PODIUM_TIME_LIMIT_SECONDS": "%d" % job.time_limit,
        })
        deadline = self.start(job)
        code, stderr = self.run_participant(job, space, command, space.work, environment, deadline,
                                            "the prediction entry point")
        if code != 0:
            raise submission_fault("the prediction entry point exited with status %d: %s" % (
                code, stderr or "no output"))
        return Predictions(read_output(output, "the prediction entry point wrote no predictions to OUTPUT_PATH"))

    # ----------------------------------------------------------------- MODEL: huggingface/competitions' script.py

    def script(self, job, space):
        """Runs the participant's repo the way huggingface/competitions runs a "script" competition.

        There, the Space downloads the submitted repo into /tmp/model, the competition's DATASET
        into /tmp/data, writes /tmp/model/params.json, blanks USER_TOKEN and runs `python script.py`
        in /tmp/model; the submission is /tmp/model/submission.csv, whatever the exit status.
        """
        workdir = self.settings.script_workdir
        data_link = self.settings.script_data_dir
        data_dir = self.test_inputs(job, space)
        space.extra.append(workdir)
        fresh_directory(workdir)
        self.download_model(job, workdir)
        if not os.path.isfile(os.path.join(workdir, "script.py")):
            raise submission_fault("the repository has no script.py at its top level")
        if os.path.realpath(data_dir) != os.path.realpath(data_link):
            if os.path.lexists(data_link):
                if os.path.isdir(data_link) and not os.path.islink(data_link):
                    remove_tree(data_link)
                else:
                    os.unlink(data_link)
            if os.path.lexists(data_link):
                raise platform_fault("%s cannot be prepared for the job" % data_link)
            os.makedirs(os.path.dirname(data_link) or "/", exist_ok=True)
            os.symlink(data_dir, data_link)
            space.extra.append(data_link)
        params = competitions_params(job, workdir, self.settings)
        params_file = os.path.join(workdir, "params.json")
        if not os.path.lexists(params_file):
            with open(params_file, "w", encoding="utf-8") as file:
                json.dump(params, file, indent=4)
        environment = self.environment(space)
        environment.update({"USER_TOKEN": "", "PARAMS": json.dumps(params)})
        python = shutil.which("python", path=environment.get("PATH")) or sys.executable
        deadline = self.start(job)
        code, stderr = self.run_participant(job, space, [python, "script.py"], workdir, environment, deadline,
                                            "script.py")
        submission = os.path.join(workdir, "submission.csv")
        if code != 0:
            log("job %s: script.py exited with status %d" % (job.id, code))
            if not os.path.isfile(submission) or os.path.getsize(submission) == 0:
                raise submission_fault("script.py exited with status %d and wrote no submission.csv: %s" % (
                    code, stderr or "no output"))
        return Predictions(read_output(submission, "script.py wrote no submission.csv in its working directory"))

    # ----------------------------------------------------------------- downloads

    def test_inputs(self, job, space):
        """The task's hidden inputs: the job's dataset, else PODIUM_DATASET, else the image's data dir."""
        dataset = job.task.get("dataset") or self.settings.dataset
        if dataset:
            return self.dataset(str(dataset))
        if os.path.isdir(self.settings.data_dir):
            return self.settings.data_dir
        # The task has no dataset: the entry point brings whatever it needs.
        return space._dir("data")

    def dataset(self, repo_id):
        """Downloaded once per sandbox, then read-only and verified like the image's files."""
        if repo_id in self.datasets:
            return self.datasets[repo_id]
        snapshot_download = hub()
        target = os.path.join(self.datasets_dir, re.sub(r"[^A-Za-z0-9_.-]", "_", repo_id))
        remove_tree(target)
        try:
            snapshot_download(repo_id=repo_id, repo_type="dataset", token=self.settings.dataset_token or False,
                              local_dir=target)
        except Exception as error:
            remove_tree(target)
            log("dataset download failed: %s" % type(error).__name__)
            raise platform_fault("the task's test inputs could not be downloaded (%s)" % type(error).__name__)
        self.organizer.protect(target)
        self.datasets[repo_id] = os.path.realpath(target)
        return self.datasets[repo_id]

    def download_model(self, job, target):
        """The participant's repo at the pinned revision, with their token if any, which is then dropped."""
        try:
            if not job.model:
                raise submission_fault("the submission names no model")
            override = self.settings.model_dir_override
            if override:
                source = os.path.join(override, str(job.model))
                copy_tree(source if os.path.isdir(source) else override, target)
                return
            revision = job.revision or "main"
            snapshot_download = hub()
            try:
                snapshot_download(repo_id=str(job.model), repo_type="model", revision=revision,
                                  token=job.hub_token or False, local_dir=target)
            except Exception as error:
                category, reason = classify_download_error(error)
                log("model download failed: %s" % type(error).__name__)
                raise EvaluationFailed(category, "the model %s at revision %s could not be downloaded: %s" % (
                    job.model, revision, reason))
        finally:
            job.drop_token()

    # ----------------------------------------------------------------- participant code

    def environment(self, space):
        """What participant code sees: the image's environment without any token, with the job's own places."""
        environment = {name: value for name, value in os.environ.items()
                       if not is_secret_name(name) and not name.startswith("PODIUM_") and name != HANDOFF_VARIABLE}
        if "TRANSFORMERS_CACHE" in environment:
            environment["TRANSFORMERS_CACHE"] = os.path.join(space.home, ".cache", "huggingface", "hub")
        environment.update(space.environment())
        if self.image_user_site:
            # The image's own user-site packages stay importable, read-only, while user sites are off.
            paths = [path for path in environment.get("PYTHONPATH", "").split(os.pathsep) if path]
            environment["PYTHONPATH"] = os.pathsep.join(paths + [self.image_user_site])
        return environment

    def run_participant(self, job, space, command, cwd, environment, deadline, what):
        """(exit status, tail of stderr). Runs in a new session, with no capabilities, within the time limit."""
        stdout_path = os.path.join(space.logs, "stdout.log")
        stderr_path = os.path.join(space.logs, "stderr.log")
        read_end, write_end = os.pipe()
        launcher = [sys.executable, "-I", "-S", APP_FILE, LAUNCH_FLAG, str(write_end), "--"] + list(command)
        remaining = max(0.0, deadline - time.monotonic())
        log("running %s (time limit %d s)" % (what, job.time_limit))
        started = time.monotonic()
        try:
            with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
                try:
                    process = subprocess.Popen(launcher, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout,
                                               stderr=stderr, close_fds=True, pass_fds=(write_end,),
                                               start_new_session=True, env=environment)
                except OSError as error:
                    raise platform_fault("%s could not start (%s)" % (what, type(error).__name__))
                finally:
                    os.close(write_end)
                with os.fdopen(read_end, "rb") as launch:
                    read_end = None
                    launch_error = launch.read().decode("utf-8", "replace")
                try:
                    if launch_error:
                        process.wait()
                        log("%s could not be launched: %s" % (what, launch_error))
                        raise platform_fault("%s could not be started in the sandbox (%s)" % (what, launch_error))
                    try:
                        code = process.wait(timeout=max(0.0, deadline - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        try:
                            os.kill(process.pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                        process.wait()
                        log("%s ran over the time limit of %d s: killed" % (what, job.time_limit))
                        raise submission_fault("the time limit of %d s was exceeded (%s was stopped)" % (
                            job.time_limit, what))
                finally:
                    # Nothing participant code started may outlive it and meddle with the next job.
                    end_processes(process.pid)
        finally:
            if read_end is not None:
                os.close(read_end)
        log("%s exited with status %d after %.1f s (of %.0f s allowed)" % (
            what, code, time.monotonic() - started, remaining))
        return code, tail(stderr_path) or tail(stdout_path)


def competitions_params(job, workdir, settings):
    """huggingface/competitions' params.json (EvalParams), without its token: what Podium knows of it."""
    return {
        "competition_id": str(job.task.get("competition") or ""),
        "competition_type": "script",
        "metric": str(job.task.get("metric") or ""),
        "token": "",
        "team_id": "",
        "submission_id": job.submission_id,
        "submission_id_col": str(job.task.get("idColumn") or "id"),
        "submission_cols": [],
        "submission_rows": 0,
        "output_path": workdir,
        "submission_repo": str(job.model or ""),
        "time_limit": int(job.time_limit),
        "dataset": str(job.task.get("dataset") or settings.dataset or ""),
        "submission_filenames": ["submission.csv"],
    }


def entry_point_script(settings):
    try:
        command = settings.predict_argv()
    except ValueError:
        return None
    if len(command) > 1 and os.path.basename(command[0]).startswith("python") and os.path.isfile(command[1]):
        return command[1]
    return None


def image_user_site():
    """The user-site packages the image installed (pip as user 1000 puts them there), if any."""
    try:
        import site
        path = site.getusersitepackages()
    except Exception:
        return None
    if path and os.path.isdir(path) and os.listdir(path):
        return os.path.realpath(path)
    return None


def copy_tree(source, target):
    if not os.path.isdir(source):
        raise submission_fault("the model could not be found")
    shutil.copytree(source, target, symlinks=False, dirs_exist_ok=True)


def read_output(path, missing):
    if not os.path.isfile(path) or os.path.islink(path) or os.path.getsize(path) == 0:
        raise submission_fault(missing)
    with open(path, "rb") as file:
        return file.read()


def tail(path, lines=10):
    try:
        with open(path, "rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - 8192))
            text = file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return safe_message("\n".join(text.strip().splitlines()[-lines:]))


def hub():
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise platform_fault("huggingface_hub is not installed in the evaluation image")
    return snapshot_download


TRANSIENT_ERRORS = ("ConnectionError", "ConnectError", "Timeout", "TimeoutError", "TimeoutException",
                    "ReadTimeout", "ConnectTimeout", "NetworkError", "LocalEntryNotFoundError")


def classify_download_error(error):
    """A missing, gated or private model is the submission's fault; a Hub outage is not."""
    names = {cls.__name__ for cls in type(error).__mro__}
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    if names & {"RepositoryNotFoundError", "GatedRepoError", "DisabledRepoError"}:
        return "SUBMISSION", "the repository does not exist or is not accessible"
    if "RevisionNotFoundError" in names:
        return "SUBMISSION", "the revision does not exist"
    if isinstance(status, int) and (status >= 500 or status in (408, 429)):
        return "PLATFORM", "the Hub answered HTTP %d" % status
    if isinstance(status, int):
        return "SUBMISSION", "the Hub answered HTTP %d" % status
    if names & set(TRANSIENT_ERRORS):
        return "PLATFORM", "the Hub could not be reached"
    if "OSError" in names and getattr(error, "errno", None) == 28:
        return "SUBMISSION", "the model does not fit on the evaluation disk"
    return "SUBMISSION", type(error).__name__


# --------------------------------------------------------------------------- health page


class Status:

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {"state": "starting", "jobs": 0, "protocol": 2}

    def update(self, **values):
        with self.lock:
            self.values.update(values)

    def snapshot(self):
        with self.lock:
            return dict(self.values)


def serve_health(port, status):
    class Health(http.server.BaseHTTPRequestHandler):

        def do_GET(self):
            body = json.dumps(dict(status.snapshot(), app="podium-eval-space")).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_HEAD(self):
            self.send_response(200)
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("0.0.0.0", port), Health)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="health", daemon=True)
    thread.start()
    log("health page on port %d" % server.server_address[1])
    return server


# --------------------------------------------------------------------------- main


def main(argv):
    global redact
    if len(argv) > 1 and argv[1] == LAUNCH_FLAG:
        confine_and_exec(argv[2:])
        return 127
    until_retired = "--until-retired" in argv[1:]
    secrets = seal_secrets()
    redact = Redactor(secrets)
    harden_self()
    settings = Settings(os.environ, secrets)
    status = Status()
    try:
        serve_health(settings.port, status)
    except OSError as error:
        if not until_retired:
            raise
        log("no health page: port %d is not available (%s)" % (settings.port, type(error).__name__))
    code = work(settings, status)
    if code != EXIT_RETIRED or until_retired:
        # Any other end ends the process (the health page, a daemon thread, with it): the Space
        # turns RUNTIME_ERROR and Podium replaces it.
        return code
    log("retired: idling until Podium deletes this Space")
    threading.Event().wait()
    return code


def work(settings, status):
    problems = settings.problems()
    if problems:
        log("cannot start: " + "; ".join(problems))
        status.update(state="misconfigured")
        return EXIT_MISCONFIGURED
    podium = Podium(settings.callback_url, settings.sandbox_token, settings.backoff, settings.max_backoff,
                    settings.attempts)
    evaluator = Evaluator(settings, podium, status)
    try:
        evaluator.protect_organizer_files()
        code = loop(settings, podium, evaluator, status)
    finally:
        evaluator.close()
    return code


def loop(settings, podium, evaluator, status):
    log("asking for jobs (sandbox %s)" % (settings.sandbox_id or "?"))
    try:
        while True:
            status.update(state="waiting")
            asked = time.monotonic()
            try:
                body = podium.next_job(settings.poll_wait)
            except (ValueError, Rejected, StaleJob, TooLarge) as error:
                # Not an answer of the protocol: ask again, without hammering.
                log("unexpected answer to the job request (%s); asking again" % type(error).__name__)
                time.sleep(max(settings.backoff, 1.0))
                continue
            if body is None:
                if settings.poll_wait > 0 and time.monotonic() - asked < 1.0:
                    time.sleep(settings.backoff)  # a 204 that did not wait: do not hammer Podium
                continue
            try:
                job = Job(body)
            except ValueError as error:
                log("ignored a job Podium sent: %s" % error)
                continue
            finally:
                body = None
            try:
                evaluator.handle(job)
            except StaleJob:
                log("job %s is no longer this sandbox's (HTTP 409): dropped" % job.id)
            except (Rejected, TooLarge) as rejected:
                log("job %s: Podium refused a call (%s): dropped" % (job.id, rejected))
    except Retired:
        status.update(state="retired")
        log("Podium retired this sandbox (HTTP 410) after %d job(s)" % evaluator.served)
        return EXIT_RETIRED
    except Refused as refused:
        status.update(state="refused")
        log("Podium refused this sandbox's token (%s); giving up" % refused)
        return EXIT_REFUSED
    except UnknownSandbox as gone:
        status.update(state="refused")
        log("Podium does not know this sandbox (%s); giving up" % gone)
        return EXIT_REFUSED
    except IsolationLost as lost:
        status.update(state="stopped")
        log("this sandbox takes no further jobs: %s" % lost)
        return EXIT_ISOLATION_LOST


if __name__ == "__main__":
    sys.exit(main(sys.argv))
