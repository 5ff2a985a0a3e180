"""Podium's evaluation app: runs inside one private Docker Space, does one job, then idles.

It fetches its job from Podium's sandbox API, hands in predictions for each submission (a FILE
submission's CSV as it is; a MODEL submission's output of the organizer's prediction entry point)
and reports what could not be evaluated. Meanwhile it serves a tiny health page on $PORT (7860)
so that the Space counts as RUNNING. Podium deletes the Space once the job is done.

Only the standard library talks to Podium; huggingface_hub is imported when a model or dataset
has to be downloaded, so FILE-only jobs need nothing installed.

    python app.py          do the job, then keep serving the health page
    python app.py --once   do the job, then exit (0: every submission handed in)
"""

import http.server
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

# Secrets Podium puts into the Space; read once, then kept out of every environment.
SECRET_VARIABLES = ("PODIUM_SANDBOX_TOKEN", "HF_TOKEN", "PODIUM_DATASET_TOKEN")
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY", re.IGNORECASE)
HUB_TOKEN_SHAPE = re.compile(r"hf_[A-Za-z0-9]{20,}")
# Where the sealed secrets wait for the re-executed app (see seal_secrets).
HANDOFF_VARIABLE = "_PODIUM_SECRETS_FD"

EXIT_DONE = 0
EXIT_INCOMPLETE = 1
EXIT_REFUSED = 2
EXIT_UNREACHABLE = 3
EXIT_MISCONFIGURED = 4

MESSAGE_LIMIT = 500


# --------------------------------------------------------------------------- secrets


def is_secret_name(name):
    return bool(SECRET_NAME.search(name))


def seal_secrets():
    """Takes the secrets out of this process's environment and returns them.

    Deleting them from os.environ is not enough: /proc/<pid>/environ keeps showing the
    environment the process started with, and the prediction entry point (participant code,
    same user) could read it there. So the app re-executes itself once with a clean
    environment and hands the secrets over through an inherited pipe.
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
    script = os.path.abspath(__file__)
    os.execve(sys.executable, [sys.executable, script] + sys.argv[1:], clean)
    raise AssertionError("unreachable")


class Redactor:
    """Removes secret values (and anything shaped like a Hub token) from text that leaves the app."""

    def __init__(self, secrets):
        self.values = sorted({value for value in secrets.values() if value and len(value) >= 4}, key=len,
                             reverse=True)

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


# --------------------------------------------------------------------------- Podium's sandbox API


class PodiumRefused(Exception):
    """401 or 403: the token is wrong or no longer valid. Retrying cannot help."""


class NotThisSandboxes(Exception):
    """404: not this sandbox's work (anymore), or the sandbox has expired."""


class PodiumUnreachable(Exception):
    """Podium kept failing (connection errors, 5xx) after every retry."""


class PodiumRejected(Exception):
    """Any other 4xx: Podium understood and said no."""

    def __init__(self, status, body):
        super().__init__("HTTP %d" % status)
        self.status = status
        self.body = body


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would forward the Authorization header to wherever a redirect points.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Podium:

    RETRIED_STATUSES = (408, 425, 429, 500, 502, 503, 504)

    def __init__(self, callback_url, token, attempts=5, backoff=1.0, timeout=60.0):
        self.callback_url = callback_url.rstrip("/")
        self.token = token
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_NoRedirects())
        origin = urllib.parse.urlsplit(self.callback_url)
        self.origin = (origin.scheme, origin.netloc)

    def url(self, path):
        return self.callback_url + path

    def job(self):
        return json.loads(self.request("GET", self.url("/job")).decode("utf-8"))

    def file(self, file_url):
        url = self.resolve(file_url)
        target = urllib.parse.urlsplit(url)
        if (target.scheme, target.netloc) == self.origin:
            return self.request("GET", url)
        try:
            return self.request("GET", url)
        except (PodiumUnreachable, PodiumRefused, NotThisSandboxes, PodiumRejected) as error:
            # Trouble with some other host is this submission's problem, not the end of the job.
            raise platform_fault("the submitted file could not be fetched (%s)" % type(error).__name__)

    def predictions(self, submission_id, csv):
        self.request("PUT", self.url("/submissions/%s/predictions" % quote(submission_id)), csv, "text/csv")

    def failure(self, submission_id, category, message):
        body = json.dumps({"category": category, "message": message}).encode("utf-8")
        self.request("POST", self.url("/submissions/%s/failure" % quote(submission_id)), body,
                     "application/json")

    def resolve(self, file_url):
        # Podium sends absolute URLs; a relative one is taken as relative to the callback URL.
        if re.match(r"^https?://", file_url or ""):
            return file_url
        return urllib.parse.urljoin(self.callback_url + "/", file_url or "")

    def request(self, method, url, body=None, content_type=None):
        headers = {"Accept": "application/json, text/csv, */*", "User-Agent": "podium-eval-space"}
        target = urllib.parse.urlsplit(url)
        if (target.scheme, target.netloc) == self.origin:
            # The sandbox token goes to Podium only, never to another host a URL might name.
            headers["Authorization"] = "Bearer " + self.token
        if content_type:
            headers["Content-Type"] = content_type
        described = "%s %s" % (method, target.path)
        for attempt in range(1, self.attempts + 1):
            retry_after = None
            try:
                request = urllib.request.Request(url, data=body, headers=headers, method=method)
                with self.opener.open(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                status = error.code
                detail = _read(error)
                if status in (401, 403):
                    raise PodiumRefused("%s: HTTP %d" % (described, status))
                if status == 404:
                    raise NotThisSandboxes("%s: HTTP 404" % described)
                if status not in self.RETRIED_STATUSES:
                    raise PodiumRejected(status, detail)
                problem = "HTTP %d" % status
                retry_after = _seconds(error.headers.get("Retry-After"))
            except (urllib.error.URLError, OSError) as error:
                problem = type(getattr(error, "reason", error)).__name__
            if attempt == self.attempts:
                raise PodiumUnreachable("%s: %s after %d attempts" % (described, problem, attempt))
            wait = self.backoff * (2 ** (attempt - 1))
            if retry_after is not None:
                wait = max(wait, min(retry_after, 60.0))
            log("%s failed (%s); retrying in %.1f s" % (described, problem, wait))
            time.sleep(wait)


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


# --------------------------------------------------------------------------- evaluation


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


class Settings:

    def __init__(self, environ, secrets):
        self.callback_url = environ.get("PODIUM_CALLBACK_URL", "").strip()
        self.sandbox_token = secrets.get("PODIUM_SANDBOX_TOKEN", "")
        self.hf_token = secrets.get("HF_TOKEN") or None
        self.dataset = environ.get("PODIUM_DATASET", "").strip() or None
        self.dataset_token = secrets.get("PODIUM_DATASET_TOKEN") or None
        self.predict_command = environ.get("PODIUM_PREDICT_COMMAND", "").strip() or "python /app/predict.py"
        self.data_dir = environ.get("PODIUM_DATA_DIR", "").strip() or "/app/data"
        self.model_dir_override = environ.get("PODIUM_MODEL_DIR_OVERRIDE", "").strip() or None
        self.work_dir = environ.get("PODIUM_WORK_DIR", "").strip() or None
        self.port = int(environ.get("PORT", "7860"))
        self.attempts = int(environ.get("PODIUM_RETRY_ATTEMPTS", "5"))
        self.backoff = float(environ.get("PODIUM_RETRY_BACKOFF_SECONDS", "1"))

    def problems(self):
        found = []
        if not re.match(r"^https?://", self.callback_url):
            found.append("PODIUM_CALLBACK_URL is not set to an http(s) URL")
        if not self.sandbox_token:
            found.append("PODIUM_SANDBOX_TOKEN is not set")
        return found


class Evaluation:
    """One job: every submission is either handed in or reported as a failure."""

    def __init__(self, settings, podium, status):
        self.settings = settings
        self.podium = podium
        self.status = status
        self.data_dir = None
        self.data_problem = None
        self.scratch = tempfile.mkdtemp(prefix="podium-", dir=settings.work_dir)

    def run(self):
        """Returns the exit status; PodiumRefused and PodiumUnreachable end the job."""
        try:
            job = self.podium.job()
            task = job.get("task") or {}
            submissions = job.get("submissions") or []
            self.status.update(state="working", total=len(submissions))
            log("job for sandbox %s: task %s/%s, %d submission(s)" % (
                job.get("sandboxId"), task.get("competition"), task.get("slug"), len(submissions)))
            handed_in = 0
            for item in submissions:
                if self.evaluate(task, item):
                    handed_in += 1
                self.status.update(done=self.status.get("done", 0) + 1)
            return EXIT_DONE if handed_in == len(submissions) else EXIT_INCOMPLETE
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def evaluate(self, task, item):
        """Returns whether Podium accepted a result (predictions or a failure) for the submission."""
        submission = str(item.get("id"))
        kind = item.get("kind")
        log("submission %s (%s%s)" % (submission, kind,
                                      (" " + str(item.get("model"))) if kind == "MODEL" else ""))
        try:
            try:
                if kind == "FILE":
                    csv = self.podium.file(item.get("fileUrl"))
                elif kind == "MODEL":
                    csv = self.predict(task, item)
                else:
                    raise platform_fault("the evaluation app does not know submissions of kind %s" % kind)
            except EvaluationFailed as failed:
                log("submission %s failed (%s): %s" % (submission, failed.category, failed.message))
                self.podium.failure(submission, failed.category, safe_message(failed.message))
                return True
            except (PodiumRefused, PodiumUnreachable, NotThisSandboxes, PodiumRejected):
                raise
            except Exception as error:  # a bug of the app must not leave the submission hanging
                log("submission %s: unexpected %s" % (submission, type(error).__name__))
                self.podium.failure(submission, "PLATFORM",
                                    "the evaluation app failed unexpectedly (%s)" % type(error).__name__)
                return True
            self.podium.predictions(submission, csv)
            log("submission %s: predictions handed in (%d bytes)" % (submission, len(csv)))
            return True
        except NotThisSandboxes:
            log("submission %s is no longer this sandbox's work (HTTP 404); skipped" % submission)
            return False
        except PodiumRejected as rejected:
            log("submission %s: Podium refused the call (HTTP %d)" % (submission, rejected.status))
            return False

    # ----------------------------------------------------------------- MODEL submissions

    def predict(self, task, item):
        workdir = tempfile.mkdtemp(prefix="submission-", dir=self.scratch)
        try:
            data_dir = self.test_inputs()
            model_dir = self.model(item, workdir)
            output = os.path.join(workdir, "predictions.csv")
            self.run_entry_point(task, item, model_dir, data_dir, output, workdir)
            if not os.path.isfile(output) or os.path.getsize(output) == 0:
                raise submission_fault("the prediction entry point wrote no predictions to OUTPUT_PATH")
            with open(output, "rb") as predictions:
                return predictions.read()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def test_inputs(self):
        """The task's test inputs: downloaded once per job, shared by its submissions."""
        if self.data_problem:
            raise platform_fault(self.data_problem)
        if self.data_dir:
            return self.data_dir
        if self.settings.dataset:
            try:
                snapshot_download = hub()
                self.data_dir = snapshot_download(repo_id=self.settings.dataset, repo_type="dataset",
                                                  token=self.settings.dataset_token,
                                                  cache_dir=os.path.join(self.scratch, "dataset-cache"))
            except EvaluationFailed as failed:
                self.data_problem = failed.message
                raise
            except Exception as error:
                log("dataset download failed: %s" % type(error).__name__)
                self.data_problem = "the task's test inputs could not be downloaded (%s)" % type(error).__name__
                raise platform_fault(self.data_problem)
        elif os.path.isdir(self.settings.data_dir):
            self.data_dir = self.settings.data_dir
        else:
            # The task has no dataset: the entry point brings whatever it needs.
            self.data_dir = tempfile.mkdtemp(prefix="data-", dir=self.scratch)
        return self.data_dir

    def model(self, item, workdir):
        if self.settings.model_dir_override:
            return self.settings.model_dir_override
        repo_id = item.get("model")
        revision = item.get("revision") or "main"
        if not repo_id:
            raise submission_fault("the submission names no model")
        snapshot_download = hub()
        try:
            return snapshot_download(repo_id=repo_id, revision=revision, token=self.settings.hf_token,
                                     cache_dir=os.path.join(workdir, "model-cache"))
        except Exception as error:
            category, reason = classify_download_error(error)
            log("model download failed: %s" % type(error).__name__)
            raise EvaluationFailed(category, "the model %s at revision %s could not be downloaded: %s" % (
                repo_id, revision, reason))

    def run_entry_point(self, task, item, model_dir, data_dir, output, workdir):
        try:
            command = shlex.split(self.settings.predict_command)
        except ValueError:
            raise platform_fault("PODIUM_PREDICT_COMMAND cannot be parsed")
        if not command or shutil.which(command[0]) is None:
            raise platform_fault("the prediction entry point is not installed in the evaluation image")
        if (os.path.basename(command[0]).startswith("python") and len(command) > 1
                and not command[1].startswith("-") and not os.path.isfile(command[1])):
            raise platform_fault("the prediction entry point is not installed in the evaluation image")
        timeout = float(task.get("timeoutSeconds") or 1800)
        stdout_path = os.path.join(workdir, "stdout.log")
        stderr_path = os.path.join(workdir, "stderr.log")
        log("running the prediction entry point (timeout %d s)" % timeout)
        started = time.monotonic()
        with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
            try:
                process = subprocess.Popen(command, cwd=workdir, stdin=subprocess.DEVNULL, stdout=stdout,
                                           stderr=stderr, close_fds=True, start_new_session=True,
                                           env=entry_point_environment(os.environ, task, item, model_dir,
                                                                       data_dir, output))
            except OSError as error:
                raise platform_fault("the prediction entry point could not start (%s)" % type(error).__name__)
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                kill_group(process)
                process.wait()
                raise submission_fault("the prediction entry point timed out after %d s" % timeout)
            finally:
                # Nothing the entry point started may outlive it and meddle with the next submission.
                kill_group(process)
        log("the prediction entry point exited with status %d after %.1f s" % (code, time.monotonic() - started))
        if code != 0:
            raise submission_fault("the prediction entry point exited with status %d: %s" % (
                code, tail(stderr_path) or tail(stdout_path) or "no output"))


def entry_point_environment(environ, task, item, model_dir, data_dir, output):
    """What the organizer's entry point (running participant code) sees: no token of anyone."""
    environment = {name: value for name, value in environ.items()
                   if not is_secret_name(name) and not name.startswith("PODIUM_") and name != HANDOFF_VARIABLE}
    environment.update({
        "MODEL_DIR": model_dir,
        "DATA_DIR": data_dir,
        "OUTPUT_PATH": output,
        "PODIUM_TASK": str(task.get("slug") or ""),
        "PODIUM_METRIC": str(task.get("metric") or ""),
        "PODIUM_ID_COLUMN": str(task.get("idColumn") or "id"),
        "PODIUM_SUBMISSION_ID": str(item.get("id") or ""),
        "PODIUM_MODEL_ID": str(item.get("model") or ""),
        "PODIUM_MODEL_REVISION": str(item.get("revision") or "main"),
    })
    return environment


def kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        pass


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
        self.values = {"state": "starting", "total": 0, "done": 0}

    def update(self, **values):
        with self.lock:
            self.values.update(values)

    def get(self, key, default=None):
        with self.lock:
            return self.values.get(key, default)

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
    once = "--once" in argv[1:]
    secrets = seal_secrets()
    redact = Redactor(secrets)
    settings = Settings(os.environ, secrets)
    status = Status()
    try:
        server = serve_health(settings.port, status)
    except OSError as error:
        if not once:
            raise
        log("no health page: port %d is not available (%s)" % (settings.port, type(error).__name__))
        server = None
    code = work(settings, status)
    status.update(state={EXIT_DONE: "done", EXIT_INCOMPLETE: "done"}.get(code, "failed"), exit=code)
    if once or code not in (EXIT_DONE, EXIT_INCOMPLETE):
        # A failed job ends the process (the health page, a daemon thread, with it): the Space
        # turns RUNTIME_ERROR and Podium retries the work in a new sandbox.
        return code
    log("job finished; idling until Podium deletes this Space")
    threading.Event().wait()
    return code


def work(settings, status):
    problems = settings.problems()
    if problems:
        log("cannot start: " + "; ".join(problems))
        return EXIT_MISCONFIGURED
    podium = Podium(settings.callback_url, settings.sandbox_token, settings.attempts, settings.backoff)
    try:
        code = Evaluation(settings, podium, status).run()
    except PodiumRefused as refused:
        log("Podium refused this sandbox's token (%s); giving up" % refused)
        return EXIT_REFUSED
    except NotThisSandboxes as gone:
        log("Podium does not know this sandbox (%s): it has expired; giving up" % gone)
        return EXIT_REFUSED
    except PodiumRejected as rejected:
        log("Podium rejected the job request (HTTP %d); giving up" % rejected.status)
        return EXIT_REFUSED
    except PodiumUnreachable as unreachable:
        log("Podium is unreachable (%s); giving up" % unreachable)
        return EXIT_UNREACHABLE
    log("job finished: %s" % ("every submission handed in" if code == EXIT_DONE
                               else "some submissions were not accepted"))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
