"""The production HTTP server: gunicorn serving the app factory, configured in one place."""

from __future__ import annotations

import gc
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from .config import server_processes

#: The longest request line gunicorn accepts (its own maximum).
REQUEST_LINE_LIMIT = 8190
TOO_LONG = (
    f"The request line is longer than {REQUEST_LINE_LIMIT} bytes. Send a long query with POST: "
    "the query as the body (Content-Type: application/sparql-query) or as a form field "
    "(application/x-www-form-urlencoded), up to RIVM_MAX_QUERY_BYTES.\n"
)


class Worker(ThreadWorker):
    """gunicorn's threaded worker, answering an over-long request line with 414 and a message
    that says what to do (gunicorn's own answer is a 400 HTML page)."""

    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, LimitRequestLine):
            return super().handle_error(req, client, addr, exc)
        self.log.warning("request line too long from a client: %s", exc)
        body = TOO_LONG.encode()
        head = (
            "HTTP/1.1 414 URI Too Long\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Content-Security-Policy: default-src 'none'\r\n"
            "Referrer-Policy: no-referrer\r\n\r\n"
        )
        try:
            client.sendall(head.encode() + body)
        except OSError:
            self.log.debug("could not send the 414 answer")


def freeze_heap() -> None:
    """Move every object alive now (the loaded app: graph, labels, templates) out of the cyclic
    garbage collector's sight, before a fork. A full collection walked them all (about 17 ms for
    the app's 65,000 objects, measured; far more on a busy machine), holding the GIL of a serving
    process, and writing to each object's header made forked processes copy the pages holding
    them. Frozen objects stay shared; what is created afterwards is collected as usual."""
    gc.freeze()


def start_query_workers(worker) -> None:
    """gunicorn's post_worker_init hook: a server process starts its query workers before its
    request threads exist (so none of its client connections is inherited by them)."""
    freeze_heap()
    executor = worker.wsgi.extensions.get("rivm_executor")
    if hasattr(executor, "start"):
        executor.start()


class RivmServer(BaseApplication):
    """gunicorn with the application built before it starts.

    The app (and the whole graph) is built here, in the master process, before any worker is forked:
    a data file that cannot be loaded stops the server with a message naming the file and the line,
    and nothing half-loaded is ever served. Workers share the loaded graph (copy-on-write).
    """

    def __init__(self, settings: dict[str, Any]):
        from .web import create_app

        self.settings = settings
        self.application = create_app(settings)
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"{self.settings['HOST']}:{self.settings['PORT']}")
        self.cfg.set("workers", server_processes(self.settings))
        # Threads: a request waiting for a slow query holds a thread, not the whole process;
        # the query itself runs in the executor's worker processes.
        self.cfg.set("worker_class", "rivm_graph.server.Worker")  # gthread, with a 414 answer
        self.cfg.set("threads", int(self.settings.get("THREADS", 4)))
        # The app writes its own structured access log (web/access_log.py), without query text or
        # client address unless the operator enables them; gunicorn's would log both.
        self.cfg.set("accesslog", None)
        # Slow or incomplete requests are cut by the HTTP server, not by the application; long
        # request lines and headers are refused by it (gunicorn's own limits).
        self.cfg.set("timeout", int(self.settings.get("QUERY_TIMEOUT", 10)) + 20)
        self.cfg.set("keepalive", 5)
        # GET queries in the URL: gunicorn's largest request line (longer ones: POST them).
        self.cfg.set("limit_request_line", REQUEST_LINE_LIMIT)
        self.cfg.set("pre_fork", lambda arbiter, worker: freeze_heap())
        self.cfg.set("post_worker_init", start_query_workers)

    def load(self):
        return self.application


def run_server(settings: dict[str, Any]) -> None:
    RivmServer(settings).run()
