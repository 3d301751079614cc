"""The production HTTP server: gunicorn serving the app factory, configured in one place."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


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
        self.cfg.set("workers", int(self.settings.get("WORKERS", 2)))
        # Threads: a request waiting for a slow query holds a thread, not the whole process;
        # the query itself runs in the executor's worker processes.
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", int(self.settings.get("THREADS", 8)))
        # The app writes its own structured access log (web/access_log.py), without query text or
        # client address unless the operator enables them; gunicorn's would log both.
        self.cfg.set("accesslog", None)
        # Slow or incomplete requests are cut by the HTTP server, not by the application; long
        # request lines and headers are refused by it (gunicorn's own limits).
        self.cfg.set("timeout", int(self.settings.get("QUERY_TIMEOUT", 10)) + 20)
        self.cfg.set("keepalive", 5)
        # GET queries in the URL: gunicorn's largest request line (longer ones: POST them).
        self.cfg.set("limit_request_line", 8190)

    def load(self):
        return self.application


def run_server(settings: dict[str, Any]) -> None:
    RivmServer(settings).run()
