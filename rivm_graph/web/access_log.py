"""Structured access log: one JSON line per request, with its time, query time and outcome.

Neither the query text nor the client's address is logged unless the operator asks for it
(RIVM_LOG_QUERY_TEXT, RIVM_LOG_CLIENT_ADDRESS).
"""

from __future__ import annotations

import contextlib
import json
import os
import time

from flask import Flask, Response, request

from .state import request_record


def write_line(line: str) -> None:
    """One whole line on standard error, with one system call (a line under 4 KB is never mixed
    with another's, even from other processes on the same pipe). The `logging` module did the
    same with a record, a caller lookup and a lock per line: a tenth of the time a lookup held
    the interpreter under load (py-spy --gil). A closed standard error loses the line, never
    the request."""
    data = (line + "\n").encode()
    with contextlib.suppress(OSError):
        while data:
            data = data[os.write(2, data) :]


#: One encoder for every line (``json.dumps`` with an option makes a new one per call).
_encode = json.JSONEncoder(ensure_ascii=False).encode
#: The second last written and its text: the time is formatted once per second.
_clock: tuple[int, str] = (-1, "")


def _now() -> str:
    global _clock
    second = int(time.time())
    if _clock[0] != second:
        _clock = (second, time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(second)))
    return _clock[1]


def init_access_log(app: Flask) -> None:
    if not app.config.get("ACCESS_LOG", True):
        return

    @app.before_request
    def start_clock() -> None:
        request_record()  # its clock starts now

    @app.after_request
    def log_request(response: Response) -> Response:
        done = request_record()
        record = {
            "time": _now(),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.monotonic() - done.started) * 1000, 1),
            "bytes": response.content_length,
        }
        if done.asked_query:
            record["query_ms"] = round((done.query_seconds or 0) * 1000, 1)
            record["cached"] = done.cached
            record["outcome"] = done.outcome or (
                "ok" if response.status_code < 400 else f"http-{response.status_code}"
            )
        if app.config.get("LOG_QUERY_TEXT"):
            record["query"] = request.values.get("query")
        if app.config.get("LOG_CLIENT_ADDRESS"):
            record["client"] = request.remote_addr
        write_line(_encode(record))
        return response
