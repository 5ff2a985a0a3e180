"""A stand-in for huggingface_hub's snapshot_download, installed as `huggingface_hub` on the app's
PYTHONPATH by EvaluationAppTests: the Hub is the directory $FAKE_HUB_ROOT (models/<id>, datasets/<id>),
a repo with a `.token` file is private to that token, and every call is recorded in $FAKE_HUB_LOG."""

import json
import os
import shutil


class RepositoryNotFoundError(Exception):
    pass


def snapshot_download(repo_id, repo_type=None, revision=None, token=None, local_dir=None, **ignored):
    repo_type = repo_type or "model"
    with open(os.environ["FAKE_HUB_LOG"], "a") as calls:
        calls.write(json.dumps({"repo_id": repo_id, "repo_type": repo_type, "revision": revision,
                                "token": token}) + "\n")
    source = os.path.join(os.environ["FAKE_HUB_ROOT"], repo_type + "s", repo_id)
    if not os.path.isdir(source):
        raise RepositoryNotFoundError(repo_id)
    private = os.path.join(source, ".token")
    if os.path.exists(private):
        with open(private) as file:
            if file.read().strip() != token:
                raise RepositoryNotFoundError(repo_id)
    shutil.copytree(source, local_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".token"))
    return local_dir
