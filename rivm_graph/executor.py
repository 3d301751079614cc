"""Queries run in worker processes under a deadline, so a runaway query is really stopped.

Neither Python engine can interrupt a query from inside (Oxigraph's native code ignores signals
and thread tricks), and a thread cannot be killed. So each query goes to one of a few worker
processes: at the deadline that worker is killed and replaced, the caller gets
:class:`QueryTimeout`, and every other query carries on. Workers are forked from the process that
holds the store, so they share its memory and a replacement starts in milliseconds.

The pool is built on the standard library's ``multiprocessing`` (a Pipe per worker, ``poll`` for
the deadline). pebble was used first; measured on this project it added 0.3-0.6 ms of CPU and about
0.9 ms of latency to every query (its two management threads and its own protocol), more than a
lookup query costs, and that alone kept the endpoint below its throughput target.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection

from .results import SerializedAnswer
from .store import GraphStore, QueryTimeout

_STORE: GraphStore | None = None  # what forked workers evaluate against
_CONTEXT = multiprocessing.get_context("fork")


class WorkerLost(Exception):
    """The worker evaluating the query died (killed, or out of memory)."""


def _serve(connection: Connection) -> None:
    """A worker's life: evaluate what arrives, send back the answer or the exception."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            text, media_type, options = connection.recv()
        except (EOFError, OSError):
            return
        try:
            assert _STORE is not None, "worker forked without a store"
            reply = ("ok", _STORE.query_serialized(text, media_type, **options))
        except Exception as error:
            reply = ("error", error)
        try:
            connection.send(reply)
        except Exception as error:
            connection.send(("error", RuntimeError(str(error))))


#: After this many seconds a query is slow: its worker yields the CPU to quick queries.
SLOW_AFTER = 0.5
#: A slow query's deadline counts the processor time its worker was given, so a busy server does
#: not stop a query it would answer when quiet (a lowered-priority worker may get little CPU);
#: this many times the limit in wall-clock time is the most a client ever waits.
WALL_CLOCK_FACTOR = 3
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float | None:
    """Processor time (user + system) the process has used, or None where /proc is missing."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _lower_priority(worker: _Worker) -> None:
    """The lowest priority there is: Linux's SCHED_IDLE policy (the worker runs only when nothing
    else wants the CPU, and a waking request preempts it at once), else nice 19."""
    # Gone already, or not allowed: the deadline still applies.
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, 19)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(worker.process.pid, os.SCHED_IDLE, os.sched_param(0))


class _Worker:
    def __init__(self) -> None:
        mine, theirs = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(theirs,), daemon=True)
        self.process.start()
        theirs.close()
        self.connection = mine

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class QueryExecutor:
    def __init__(self, store: GraphStore, *, workers: int, timeout: float, max_rows: int | None):
        self.store, self.workers, self.timeout, self.max_rows = store, workers, timeout, max_rows
        self._idle: queue.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _pool(self) -> queue.Queue[_Worker]:
        """One pool per process: workers inherited through fork (gunicorn workers) are not ours."""
        global _STORE
        with self._lock:
            if self._idle is None or self._pid != os.getpid():
                _STORE = self.store
                self._all = [_Worker() for _ in range(self.workers)]
                self._idle = queue.Queue()
                for worker in self._all:
                    self._idle.put(worker)
                self._pid = os.getpid()
            return self._idle

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker()
        with self._lock:
            self._all = [fresh if w is worker else w for w in self._all]
        return fresh

    def run(
        self,
        text: str,
        media_type: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        add_labels: bool = False,
    ) -> SerializedAnswer:
        idle = self._pool()
        try:
            worker = idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"no query worker was free for {self.timeout:g} s") from None
        options = {
            "max_rows": self.max_rows,
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
            "add_labels": add_labels,
        }
        try:
            try:
                worker.connection.send((text, media_type, options))
                if worker.connection.poll(min(SLOW_AFTER, self.timeout)):
                    status, value = worker.connection.recv()
                else:
                    # A slow query yields the CPU to quick ones: its worker gets the lowest
                    # priority, and is replaced once done (priority cannot be raised back
                    # without privileges).
                    _lower_priority(worker)
                    if not self._wait_slow(worker):
                        worker = self._replace(worker)
                        raise QueryTimeout(f"stopped after {self.timeout:g} s")
                    status, value = worker.connection.recv()
                    worker = self._replace(worker)
            except (EOFError, OSError, BrokenPipeError) as error:
                worker = self._replace(worker)
                raise WorkerLost(str(error) or "the worker exited") from error
        finally:
            idle.put(worker)
        if status == "error":
            raise value
        return value

    def _wait_slow(self, worker: _Worker) -> bool:
        """Wait for a slow query's answer; False once it has used up its time.

        The first SLOW_AFTER seconds count in full (as if the worker had the CPU throughout);
        from then on only the processor time the worker gets counts.
        """
        started = time.monotonic() - SLOW_AFTER
        hard_stop = started + self.timeout * WALL_CLOCK_FACTOR
        cpu_start = _cpu_seconds(worker.process.pid)
        while True:
            now = time.monotonic()
            cpu_now = _cpu_seconds(worker.process.pid)
            if cpu_start is None or cpu_now is None:
                used = now - started
            else:
                used = SLOW_AFTER + cpu_now - cpu_start
            remaining = min(self.timeout - used, hard_stop - now)
            if remaining <= 0:
                return False
            if worker.connection.poll(min(remaining, 0.25)):
                return True

    def close(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                for worker in self._all:
                    worker.kill()
            self._all, self._idle, self._pid = [], None, None


class InProcessExecutor:
    """For a store whose engine runs elsewhere and enforces the deadline itself (a remote SPARQL
    engine): the query is sent from the request's own thread, no worker process is needed."""

    def __init__(self, store: GraphStore, *, timeout: float, max_rows: int | None):
        self.store, self.timeout, self.max_rows = store, timeout, max_rows

    def run(
        self,
        text: str,
        media_type: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        add_labels: bool = False,
    ) -> SerializedAnswer:
        return self.store.query_serialized(
            text,
            media_type,
            max_rows=self.max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            add_labels=add_labels,
        )

    def close(self) -> None:
        pass


def executor_for(store: GraphStore, *, workers: int, timeout: float, max_rows: int | None):
    """Worker processes for an engine that cannot stop itself; direct calls otherwise."""
    if store.needs_query_workers:
        return QueryExecutor(store, workers=workers, timeout=timeout, max_rows=max_rows)
    return InProcessExecutor(store, timeout=timeout, max_rows=max_rows)
