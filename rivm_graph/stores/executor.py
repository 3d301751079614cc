"""Queries run in worker processes under a deadline, so a runaway query is really stopped.

Neither Python engine can interrupt a query from inside (Oxigraph's native code ignores signals
and thread tricks), and a thread cannot be killed. So each query goes to one of a few worker
processes: at the deadline that worker is killed and replaced, the caller gets
:class:`QueryTimeout`, and every other query carries on. Workers are forked from a copy of the
process that holds the store (the *spawner*, see :func:`_spawn_workers`), so they share its memory,
a replacement starts in milliseconds, and replacing one never stalls the serving process.

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
import select
import signal
import socket
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection

from ..rdf.results import SerializedAnswer
from .base import GraphStore, QueryTimeout

_STORE: GraphStore | None = None  # what forked workers evaluate against


class WorkerLost(Exception):
    """The worker evaluating the query died (killed, or out of memory)."""


class ServerStopping(Exception):
    """The server process is stopping: the query was cut, or not started."""

    def __init__(self) -> None:
        super().__init__("the server is stopping")


class TooManySlowQueries(Exception):
    """A query turned slow while its server process already runs as many slow queries as allowed:
    it is stopped at once, so that no client waits for it and the request threads stay free."""

    def __init__(self, running: int, retry_after: float):
        super().__init__(
            f"this server process is already running {running} long queries (RIVM_SLOW_QUERIES)"
        )
        self.running, self.retry_after = running, retry_after


def _name_process(name: str) -> None:
    """The name `ps`, `top` and /proc show for this process (Linux; elsewhere nothing changes)."""
    with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:
        comm.write(name)


def _serve(connection: Connection) -> None:
    """A worker's life: evaluate what arrives, send back the answer or the exception."""
    _name_process("rivm-query")
    while True:
        try:
            text, media_type, options = connection.recv()
        except (EOFError, OSError):
            return
        try:
            assert _STORE is not None, "worker forked without a store"
            reply: tuple[str, SerializedAnswer | Exception] = (
                "ok",
                _STORE.query_serialized(text, media_type, **options),
            )
        except Exception as error:
            reply = ("error", error)
        # With the processor time used so far: where the next query's time starts.
        try:
            connection.send((*reply, time.process_time()))
        except Exception as error:
            connection.send(("error", RuntimeError(str(error)), time.process_time()))


#: Signals a server process may have handlers for (gunicorn's); its helpers take the defaults.
_SERVER_SIGNALS = ("SIGHUP", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGABRT")


def _spawn_workers(control: socket.socket) -> None:
    """The spawner's life: fork a query worker for each request, hand back its pipe and pidfd.

    Forking copies the page tables of the process that forks, and afterwards every page that
    process writes is copied on first write: done by the serving process, each replacement of a
    worker stalled its requests for milliseconds. The spawner is a single-threaded copy of the
    server process made once, so forking from it costs the serving process nothing, and no lock
    held by another thread is ever inherited in a locked state.
    """
    _name_process("rivm-spawner")
    for name in _SERVER_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C: the server stops, and the spawner with it
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps exited workers
    living: list[int] = []  # pidfds of the workers forked here
    while control.recv(1):
        gone, _, _ = select.select(living, [], [], 0)
        for pidfd in gone:
            living.remove(pidfd)
            os.close(pidfd)
        mine, theirs = multiprocessing.Pipe()
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                mine.close()
                _serve(theirs)
            finally:
                os._exit(0)
        theirs.close()
        pidfd = os.pidfd_open(pid)  # the worker cannot have been reaped: it is waiting for work
        living.append(pidfd)
        socket.send_fds(control, [str(pid).encode()], [mine.fileno(), pidfd])
        mine.close()
    # The server process has gone (stopped, or killed): so do its workers, at once, even one in the
    # middle of a long query that would not notice its pipe closing until the query ends.
    for pidfd in living:
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)


class _Worker:
    """A query worker process, seen from the server: its pid, a pidfd and the pipe to it."""

    def __init__(self, pid: int, connection: Connection, pidfd: int):
        self.pid, self.connection, self.pidfd = pid, connection, pidfd
        #: Processor seconds the worker had used when it sent its last answer (a forked process
        #: starts from zero), so a query's own time needs no look at /proc unless it is slow.
        self.cpu_seconds = 0.0
        #: Running a slow query, outside the pool (a fresh worker has taken its place there).
        self.slow = False
        #: To be replaced: stopped in the middle of a query, or lost.
        self.spent = False
        self._lock = threading.Lock()
        self._gone = False

    def kill(self, wait: bool = True) -> None:
        """Stop the worker and, unless told not to, wait until it is gone (its memory freed).
        The pidfd names this process and no other, even if its pid has been reused; once
        closed, it is never used again (its number may name another file by then)."""
        with self._lock:
            if self._gone:
                return
            self._gone = True
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        if wait:
            select.select([self.pidfd], [], [], 5)  # readable once the process has exited
        os.close(self.pidfd)
        self.connection.close()

    def interrupt(self) -> None:
        """Kill the worker from another thread than the one waiting for its answer, which
        reads end-of-file and releases it (unless it is being killed and released already)."""
        with self._lock, contextlib.suppress(OSError):
            if not self._gone:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)


class _Spawner:
    """The server's side of the spawner process (see :func:`_spawn_workers`)."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                ours.close()
                _spawn_workers(theirs)
            finally:
                os._exit(0)
        theirs.close()
        self.pid, self.control, self.lock = pid, ours, threading.Lock()

    def spawn(self) -> _Worker:
        with self.lock:
            self.control.sendall(b"w")
            pid, fds, _, _ = socket.recv_fds(self.control, 32, 2)
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise OSError("the query worker spawner has stopped")
        return _Worker(int(pid), Connection(fds[0]), fds[1])

    def close(self) -> None:
        self.control.close()  # the spawner reads end-of-file and exits
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


#: After this much processor time a query is slow: its worker yields the CPU to quick queries.
#: (Time spent waiting for a processor does not count: on a saturated machine a quick query may
#: wait longer than this, and it is not slow for that.) Every example query takes under 15 ms.
SLOW_AFTER = 0.1
#: How long a query may take before the server starts to look at its worker's processor time.
_FIRST_LOOK = 0.05
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
        os.setpriority(os.PRIO_PROCESS, worker.pid, 19)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(worker.pid, os.SCHED_IDLE, os.sched_param(0))


class QueryExecutor:
    """Queries in worker processes, each answered or stopped by a deadline.

    Two limits stop a query: ``timeout``, the processor time its worker may use (a busy server
    does not stop a query for time it was not given), and ``deadline``, the wall-clock seconds its
    client waits at most, waiting for a free worker included. A slow query (past SLOW_AFTER of
    processor time) leaves the pool: a fresh worker takes its place, so quick queries never wait
    behind it; at most ``slow_queries`` run at once, and one more is stopped as soon as it turns
    slow (:class:`TooManySlowQueries`), so slow queries can never hold every request thread.
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        workers: int,
        timeout: float,
        max_rows: int | None,
        deadline: float,
        slow_queries: int,
    ):
        self.store, self.workers, self.timeout, self.max_rows = store, workers, timeout, max_rows
        self.deadline, self.slow_queries = deadline, slow_queries
        self._slow = threading.BoundedSemaphore(slow_queries)
        #: Idle workers; None is stop()'s token, passed on to every caller waiting for one.
        self._idle: queue.Queue[_Worker | None] | None = None
        self._all: list[_Worker] = []
        self._spawner: _Spawner | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._stopping = False

    def start(self) -> None:
        """Start this process's spawner and workers now (gunicorn calls it in each server process
        before its threads start); otherwise the first query does."""
        self._pool()

    def _pool(self) -> queue.Queue[_Worker | None]:
        """One pool per process: workers inherited through fork (gunicorn workers) are not ours."""
        global _STORE
        if self._idle is not None and self._pid == os.getpid():
            return self._idle
        with self._lock:
            if self._idle is None or self._pid != os.getpid():
                _STORE = self.store
                self._spawner = _Spawner()
                self._all = [self._spawner.spawn() for _ in range(self.workers)]
                self._slow = threading.BoundedSemaphore(self.slow_queries)
                self._idle = queue.Queue()
                for worker in self._all:
                    self._idle.put(worker)
                self._pid = os.getpid()
            return self._idle

    def _spawn(self) -> _Worker:
        spawner = self._spawner
        assert spawner is not None, "the pool is started before a worker is spawned"
        try:
            fresh = spawner.spawn()
        except OSError:  # the spawner was killed: a new one (unless another thread made it)
            with self._lock:
                if self._spawner is spawner:
                    spawner.close()
                    self._spawner = _Spawner()
                spawner = self._spawner
            assert spawner is not None
            fresh = spawner.spawn()
        with self._lock:
            self._all.append(fresh)
        return fresh

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all = [w for w in self._all if w is not worker]

    def _release(self, worker: _Worker, idle: queue.Queue[_Worker | None]) -> None:
        """After a query: the worker back into the pool, or replaced. A slow query's worker is
        replaced in any case (its priority cannot be raised back without privileges); its place
        in the pool was filled when it turned slow. While the server stops, no worker is started
        and none is waited for (at idle priority, on a busy machine, a teardown took seconds)."""
        if self._stopping:
            worker.kill(wait=False)
            if worker.slow:
                self._slow.release()
            return
        if worker.slow:
            self._retire(worker)
            self._slow.release()
        elif worker.spent:
            self._retire(worker)
            idle.put(self._spawn())
        else:
            idle.put(worker)

    def run(
        self,
        text: str,
        media_type: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        add_labels: bool = False,
        until: float | None = None,
        streamed: bool = False,
    ) -> SerializedAnswer:
        """Evaluate in a worker; ``until`` is the ``time.monotonic()`` by which the caller must
        have an answer (default: ``deadline`` seconds from now).

        A ``streamed`` query (:func:`~rivm_graph.rdf.query_text.is_streamed`: the engine spends
        little on each row) is read here instead, the deadline checked between its rows: handing
        it to a worker cost more than answering it (measured side by side: 3.65 -> 2.62 ms of
        server CPU per DESCRIBE once read here)."""
        until = time.monotonic() + self.deadline if until is None else until
        if self._stopping:
            raise ServerStopping
        if streamed and self.max_rows is not None:  # (uncapped, its rows could fill memory)
            return self.store.query_serialized(
                text,
                media_type,
                max_rows=self.max_rows,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                add_labels=add_labels,
                until=until,
            )
        idle = self._pool()
        try:
            worker = idle.get(timeout=max(0.0, until - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(
                f"no query worker was free within {self.deadline:g} s, this endpoint's limit "
                "(RIVM_QUERY_DEADLINE)"
            ) from None
        if worker is None:  # stop()'s token: pass it on to the next one waiting
            idle.put(None)
            raise ServerStopping
        options = {
            "max_rows": self.max_rows,
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
            "add_labels": add_labels,
        }
        try:
            try:
                worker.connection.send((text, media_type, options))
                first_look = min(_FIRST_LOOK, max(0.0, until - time.monotonic()))
                if not worker.connection.poll(first_look):
                    self._wait(worker, until, idle)
                status, value, worker.cpu_seconds = worker.connection.recv()
            except (EOFError, OSError, BrokenPipeError) as error:
                worker.spent = True
                if self._stopping:  # stop() killed it
                    raise ServerStopping from error
                raise WorkerLost(str(error) or "the worker exited") from error
        finally:
            self._release(worker, idle)
        if status == "error":
            raise value
        assert isinstance(value, SerializedAnswer)
        return value

    def _wait(self, worker: _Worker, until: float, idle: queue.Queue[_Worker | None]) -> None:
        """Wait for the answer of a query that did not come at once; raise QueryTimeout (or
        TooManySlowQueries) if it must be stopped, marking its worker spent.

        The query's processor time is read from /proc (the time since it was sent where /proc
        is missing). Past SLOW_AFTER of it, the query is slow (see :meth:`_set_aside`).
        """
        started = time.monotonic() - _FIRST_LOOK
        while True:
            now = time.monotonic()
            cpu_now = _cpu_seconds(worker.pid)
            used = now - started if cpu_now is None else cpu_now - worker.cpu_seconds
            if used >= SLOW_AFTER and not worker.slow:
                self._set_aside(worker, idle)
            if used >= self.timeout:
                worker.spent = True
                raise QueryTimeout(
                    f"it used {self.timeout:g} s of processor time, this endpoint's limit "
                    "(RIVM_QUERY_TIMEOUT)"
                )
            if now >= until:
                worker.spent = True
                raise QueryTimeout(
                    f"it had no answer within {self.deadline:g} s, this endpoint's limit "
                    "(RIVM_QUERY_DEADLINE)"
                )
            remaining = min(self.timeout - used, until - now)
            # Looked at often until the query is known to be slow, then four times a second.
            if worker.connection.poll(min(remaining, 0.25 if worker.slow else 0.02)):
                return

    def _set_aside(self, worker: _Worker, idle: queue.Queue[_Worker | None]) -> None:
        """A query has turned slow: its worker drops to the lowest priority and leaves the pool,
        a fresh worker taking its place; or, with the slow queries allowed already running, it
        is stopped."""
        if not self._slow.acquire(blocking=False):
            worker.spent = True
            raise TooManySlowQueries(self.slow_queries, retry_after=self.deadline)
        worker.slow = True
        _lower_priority(worker)
        if not self._stopping:
            idle.put(self._spawn())

    def stop(self) -> None:
        """Cut every query in progress, now (the server process is stopping): their workers are
        killed, their callers and those waiting for a worker get ServerStopping (a 503), and no
        worker is started again."""
        self._stopping = True
        with self._lock:
            workers = list(self._all) if self._pid == os.getpid() else []
            idle = self._idle
        for worker in workers:
            worker.interrupt()
        if idle is not None:
            idle.put(None)

    def close(self) -> None:
        """Kill this process's workers (not waiting for their teardown) and its spawner."""
        with self._lock:
            if self._pid == os.getpid() and self._spawner is not None:
                for worker in self._all:
                    worker.kill(wait=False)
                self._spawner.close()
            self._all, self._idle, self._spawner, self._pid = [], None, None, None


#: Seconds a query sent to a remote engine has when the long-query places are taken: plenty for
#: what the engine answers at once (a lookup on Virtuoso: 3-30 ms), not enough to hold a thread.
QUICK_WHEN_BUSY = 2.0


class InProcessExecutor:
    """For a store whose engine runs elsewhere and enforces the deadline itself (a remote SPARQL
    engine): the query is sent from the request's own thread, no worker process is needed.

    A query cannot be told slow while the engine works on it, so the places are given out when
    it is sent: up to ``slow_queries`` queries at once may take the whole ``deadline``; one sent
    while they are all taken has QUICK_WHEN_BUSY seconds, and past them it is stopped
    (:class:`TooManySlowQueries`), so long queries can never hold every request thread.
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        timeout: float,
        max_rows: int | None,
        deadline: float,
        slow_queries: int,
    ):
        self.store, self.timeout, self.max_rows = store, timeout, max_rows
        self.deadline, self.slow_queries = deadline, slow_queries
        self._long = threading.BoundedSemaphore(slow_queries)
        self._stopping = False

    def run(
        self,
        text: str,
        media_type: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        add_labels: bool = False,
        until: float | None = None,
        streamed: bool = False,  # every query runs here
    ) -> SerializedAnswer:
        if self._stopping:
            raise ServerStopping
        now = time.monotonic()
        until = now + self.deadline if until is None else until
        long = self._long.acquire(blocking=False)
        try:
            return self.store.query_serialized(
                text,
                media_type,
                max_rows=self.max_rows,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                add_labels=add_labels,
                until=until if long else min(until, now + QUICK_WHEN_BUSY),
            )
        except QueryTimeout as error:
            if long or until <= now + QUICK_WHEN_BUSY:
                raise
            raise TooManySlowQueries(self.slow_queries, retry_after=self.deadline) from error
        finally:
            if long:
                self._long.release()

    def stop(self) -> None:
        """No new query is sent (the server process is stopping). One already sent cannot be
        called back; the process exits without it at the end of its grace period."""
        self._stopping = True

    def close(self) -> None:
        pass


def executor_for(
    store: GraphStore,
    *,
    workers: int,
    timeout: float,
    max_rows: int | None,
    deadline: float,
    slow_queries: int,
) -> QueryExecutor | InProcessExecutor:
    """Worker processes for an engine that cannot stop itself; direct calls otherwise."""
    if store.needs_query_workers:
        return QueryExecutor(
            store,
            workers=workers,
            timeout=timeout,
            max_rows=max_rows,
            deadline=deadline,
            slow_queries=slow_queries,
        )
    return InProcessExecutor(
        store, timeout=timeout, max_rows=max_rows, deadline=deadline, slow_queries=slow_queries
    )
