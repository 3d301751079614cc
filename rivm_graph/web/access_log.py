"""Structured access log: one JSON line per request, with its time, query time and outcome.

Neither the query text nor the client's address is logged unless the operator asks for it
(RIVM_LOG_QUERY_TEXT, RIVM_LOG_CLIENT_ADDRESS).
"""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, Response, request

from .state import request_record

logger = logging.getLogger("rivm.access")


def init_access_log(app: Flask) -> None:
    if not app.config.get("ACCESS_LOG", True):
        return
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False

    @app.before_request
    def start_clock() -> None:
        request_record()  # its clock starts now

    @app.after_request
    def log_request(response: Response) -> Response:
        done = request_record()
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
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
        logger.info(json.dumps(record, ensure_ascii=False))
        return response
