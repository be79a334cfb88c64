"""Schemathesis hooks for NetEvent's API fuzzing: every error must be in the API.md shape,
and the run counts what it sent and what came back (written to $FUZZ_STATS as JSON)."""
import atexit
import json
import os
import threading

import schemathesis

_lock = threading.Lock()
_stats = {"requests": 0, "server_errors": 0, "bad_error_bodies": 0, "by_status": {}}


def _count(response, bad_shape=False):
    with _lock:
        _stats["requests"] += 1
        status = str(response.status_code)
        _stats["by_status"][status] = _stats["by_status"].get(status, 0) + 1
        if response.status_code >= 500:
            _stats["server_errors"] += 1
        if bad_shape:
            _stats["bad_error_bodies"] += 1


def _error_shape_problem(response):
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{response.status_code} without a JSON body"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return f"{response.status_code} body has no 'error' object: {body!r}"[:300]
    if not isinstance(error.get("code"), str) or not error["code"]:
        return "error.code is missing"
    if not isinstance(error.get("message"), str) or not error["message"]:
        return "error.message is missing"
    fields = error.get("fields")
    if fields is not None and not (
        isinstance(fields, dict) and all(isinstance(v, str) for v in fields.values())
    ):
        return "error.fields is not an object of strings"
    return None


@schemathesis.check
def api_md_error_shape(ctx, response, case):
    problem = _error_shape_problem(response)
    _count(response, bad_shape=problem is not None)
    if problem:
        raise AssertionError(f"{case.method} {case.path}: {problem}")
    return None


@atexit.register
def _write_stats():
    path = os.environ.get("FUZZ_STATS")
    if path:
        with open(path, "w") as out:
            json.dump(_stats, out)
