"""Queries run in worker processes under a deadline, so a runaway query is really stopped.

Neither Python engine can interrupt a query from inside (Oxigraph's native code ignores signals
and thread tricks), and a thread cannot be killed. So each query goes to a small pool of worker
processes (pebble): at the deadline the worker running it is killed and replaced, the caller gets
:class:`QueryTimeout`, and every other query carries on. Workers are forked from the process that
holds the store, so they share its memory and start in milliseconds.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool
from pebble.common import CONSTS as PEBBLE

from .results import SerializedAnswer
from .store import GraphStore

_STORE: GraphStore | None = None  # what forked workers evaluate against

# pebble sends SIGTERM, then SIGKILL after term_timeout (3 s by default). A worker inside native
# query code cannot run its Python SIGTERM handler, so waiting longer only delays the answer.
PEBBLE.term_timeout = 0.2


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped."""


class WorkerLost(Exception):
    """The worker evaluating the query died (killed, or out of memory)."""


def _evaluate(
    text: str,
    media_type: str,
    max_rows: int | None,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
    add_labels: bool,
) -> SerializedAnswer:
    assert _STORE is not None, "worker forked without a store"
    return _STORE.query_serialized(
        text,
        media_type,
        max_rows=max_rows,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        add_labels=add_labels,
    )


class QueryExecutor:
    def __init__(self, store: GraphStore, *, workers: int, timeout: float, max_rows: int | None):
        self.store, self.workers, self.timeout, self.max_rows = store, workers, timeout, max_rows
        self._pool: ProcessPool | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _get_pool(self) -> ProcessPool:
        """One pool per process: a pool inherited through fork (gunicorn workers) is not usable."""
        global _STORE
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                _STORE = self.store
                self._pool = ProcessPool(
                    max_workers=self.workers, context=multiprocessing.get_context("fork")
                )
                self._pid = os.getpid()
            return self._pool

    def run(
        self,
        text: str,
        media_type: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        add_labels: bool = False,
    ) -> SerializedAnswer:
        future = self._get_pool().schedule(
            _evaluate,
            args=(text, media_type, self.max_rows, default_graphs, named_graphs, add_labels),
            timeout=self.timeout,
        )
        try:
            return future.result()
        except FutureTimeout as error:
            raise QueryTimeout(f"stopped after {self.timeout:g} s") from error
        except ProcessExpired as error:
            raise WorkerLost(str(error)) from error

    def close(self) -> None:
        with self._lock:
            if self._pool is not None and self._pid == os.getpid():
                self._pool.stop()
                self._pool.join(timeout=5)
            self._pool = None
