"""The production HTTP server: gunicorn serving the app factory, configured in one place.

The worker is gunicorn's threaded one (gthread) with two changes of behaviour:

- **A request reaches a thread only once it has arrived whole.** gthread gives a connection to a
  thread as soon as its first bytes arrive, and the thread then waits for the rest: 64 clients
  sending a header every 5 s (the "slowloris" pattern) held every thread, and the health check
  went unanswered for as long as they stayed (measured). Here the main loop reads every request
  into memory as its bytes come (`request_reader`), answers 408 to a client that has not sent it
  whole within RIVM_REQUEST_READ_TIMEOUT, and past RIVM_MAX_CONNECTIONS open connections in a
  process answers 503 at once instead of leaving newcomers in the queue. The gunicorn hooks the
  query executor relies on (pre_fork, post_worker_init, forking) are untouched, which an
  asynchronous worker (gevent's monkey-patching) or another server would not have left so, and no
  proxy hop is added to every request.
- **A stop is bounded.** On SIGTERM a process stops accepting, lets the requests in progress run
  for RIVM_GRACEFUL_TIMEOUT, then cuts what is left (the queries in progress are stopped and
  answered 503) and exits even if a thread is still stuck. gthread waited for every request,
  queued ones included, and the last runaway queries kept the server alive until gunicorn
  killed it 30 s later.

It relies on gthread's internals (`TConn`, the poller, `_keep`, `futures`) of gunicorn 23, the
version range pyproject.toml allows.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import logging
import math
import os
import resource
import selectors
import socket
import struct
import sys
import threading
import time
from collections import deque
from concurrent import futures
from functools import partial
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestLine
from gunicorn.http.parser import RequestParser
from gunicorn.workers.gthread import TConn, ThreadWorker

from .config import server_processes
from .request_reader import RequestReader, Verdict
from .web import create_app
from .web.state import app_state

#: The longest request line gunicorn accepts (its own maximum).
REQUEST_LINE_LIMIT = 8190
#: The longest request head (request line and headers) read into memory: 431 beyond.
HEAD_LIMIT = 65536
#: Bytes read from a client at a time.
RECEIVE_SIZE = 65536
#: After the grace period, how long the requests cut short have to send their 503.
CUT_WAIT = 1.0
#: gunicorn's master kills a server process this long after the grace period if it has not
#: exited by itself (it always has, unless something is badly wrong).
STOP_MARGIN = 2
#: File descriptors a server process needs besides its client connections (listening socket,
#: pipes and pidfds of its query workers, log files, files being sent), per request thread and
#: in all.
FILES_PER_THREAD, FILES_BESIDE = 2, 64

_SECURITY_HEADERS = (
    "X-Content-Type-Options: nosniff\r\n"
    "Content-Security-Policy: default-src 'none'\r\n"
    "Referrer-Policy: no-referrer\r\n"
)
TOO_LONG = (
    f"The request line is longer than {REQUEST_LINE_LIMIT} bytes. Send a long query with POST: "
    "the query as the body (Content-Type: application/sparql-query) or as a form field "
    "(application/x-www-form-urlencoded), up to RIVM_MAX_QUERY_BYTES.\n"
)
HEAD_TOO_LARGE = (
    f"The request line and headers are longer than {HEAD_LIMIT} bytes, this server's limit.\n"
)


def plain_answer(status: str, body: str, *headers: str) -> bytes:
    """A complete HTTP/1.1 answer that closes the connection, for answers given by the server
    itself rather than the application."""
    data = body.encode()
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(data)}\r\n"
        "Connection: close\r\n"
        + "".join(f"{header}\r\n" for header in headers)
        + _SECURITY_HEADERS
        + "\r\n"
    )
    return head.encode() + data


#: What a client whose request will not be answered because the server stops is told.
STOPPING = plain_answer(
    "503 Service Unavailable",
    "The server is stopping. Send the request again in a moment.\n",
    "Retry-After: 1",
)


def _give_up_on_silent_reads(sock: socket.socket, seconds: float) -> None:
    """A thread reads a request from memory; should it ever read from the socket (gunicorn
    understanding the framing otherwise than the reader), it gives up after ``seconds``."""
    whole, fraction = divmod(seconds, 1)
    sock.setsockopt(
        socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", int(whole), int(fraction * 1e6))
    )


def _drain(sock: socket.socket) -> None:
    """Read what the client has sent and nobody will read: closing a socket with unread bytes
    resets the connection, and the client may lose the answer just sent."""
    with contextlib.suppress(OSError):
        while sock.recv(RECEIVE_SIZE):
            pass


def _answer_and_close(sock: socket.socket, answer: bytes) -> None:
    """Send a short answer without waiting for the client, then close."""
    with contextlib.suppress(OSError):
        sock.setblocking(False)
        _drain(sock)
        sock.send(answer)
        sock.shutdown(socket.SHUT_WR)
    sock.close()


def allow_open_files(connections: int, threads: int, log: Any) -> int:
    """Raise this process's open-files limit (up to the hard limit) so that ``connections``
    client sockets fit; the connections that fit if the hard limit is lower."""
    needed = connections + threads * FILES_PER_THREAD + FILES_BESIDE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        raised = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return connections
    fitting = max(1, soft - threads * FILES_PER_THREAD - FILES_BESIDE)
    log.warning(
        "the open-files limit (%d) allows %d connections per process, not %d "
        "(RIVM_MAX_CONNECTIONS)",
        soft,
        fitting,
        connections,
    )
    return fitting


class _Parser(RequestParser):
    """gunicorn's request parser; a request handed over cut short closes its connection."""

    def __init__(self, connection: _Connection, *args: Any):
        self.connection = connection
        super().__init__(*args)

    def __next__(self):
        message = super().__next__()
        if self.connection.close_after:
            message.force_close()
        return message


class _Connection(TConn):
    """A client connection, with the request being read into memory before a thread sees it."""

    def __init__(self, cfg, sock, client, server, new_reader):
        super().__init__(cfg, sock, client, server)
        self.new_reader = new_reader
        self.reader: RequestReader = new_reader()
        #: When the request being read must have arrived (None: no request is being read).
        self.deadline: float | None = None
        #: Bytes that came after the request handed over (a pipelining client's next request).
        self.pending = b""
        self.close_after = False
        #: The request handed over, read from memory by the thread that takes the connection.
        self.arrived = b""

    def init(self) -> None:
        if self.parser is None:
            self.parser = _Parser(self, self.cfg, self.sock, self.client)
        super().init()
        self.parser.unreader.unread(self.arrived)
        self.arrived = b""

    def idle_past(self, now: float) -> bool:
        """Whether its keepalive time, set when it went idle between two requests, is over."""
        return self.timeout is not None and self.timeout <= now


class Worker(ThreadWorker):
    """gunicorn's threaded worker, reading each request whole before giving it to a thread, and
    stopping within a bound (see the module's docstring); it also answers an over-long request
    line with 414 and a message that says what to do (gunicorn's own answer is a 400 page)."""

    # gthread's own state, which types-gunicorn leaves out (private); every connection is ours.
    _lock: threading.RLock
    _keep: deque[_Connection]

    @property
    def server(self) -> RivmServer:
        """The application this worker serves: its settings, and the app and its state."""
        if not isinstance(self.app, RivmServer):
            raise RuntimeError("rivm_graph.server.Worker serves the application of RivmServer")
        return self.app

    def init_process(self) -> None:
        if self.cfg.is_ssl:
            raise RuntimeError("rivm-graph serves plain HTTP; terminate TLS in front of it")
        settings = self.server.settings
        self.read_timeout = float(settings.get("REQUEST_READ_TIMEOUT", 10))
        self.grace = float(settings.get("GRACEFUL_TIMEOUT", 5))
        self.body_limit = int(settings.get("MAX_QUERY_BYTES", 262144))
        self.worker_connections = allow_open_files(
            self.worker_connections, self.cfg.threads, self.log
        )
        self._timed_out = plain_answer(
            "408 Request Timeout",
            f"The request did not arrive whole within {self.read_timeout:g} s "
            "(RIVM_REQUEST_READ_TIMEOUT): send it all at once.\n",
        )
        self._reading: deque[tuple[float, _Connection]] = deque()  # in deadline order
        self._quick_stop = False
        self._warned: dict[str, float] = {}
        #: Requests handed to the threads and not finished (running or queued for a thread).
        self._in_threads = 0
        self._acceptors: list[tuple[socket.socket, Any]] = []
        self._accepting = False
        super().init_process()

    def _new_reader(self) -> RequestReader:
        return RequestReader(
            line_limit=REQUEST_LINE_LIMIT, head_limit=HEAD_LIMIT, body_limit=self.body_limit
        )

    # The main loop.

    def run(self) -> None:
        for listener in self.sockets:
            listener.setblocking(False)
            self._acceptors.append((listener, partial(self.accept, listener.getsockname())))
        # A signal writes to this pipe (gunicorn's wakeup fd): a stop is noticed at once; so does
        # a thread that finishes a request while this process takes no new connection.
        self.poller.register(self.PIPE[0], selectors.EVENT_READ, self._signalled)
        while self.alive:
            self.notify()
            self._accept_only_with_a_free_thread()
            for key, _ in self.poller.select(self._wait_time()):
                key.data(key.fileobj)
            done = futures.wait(self.futures, timeout=0, return_when=futures.FIRST_COMPLETED)
            for future in done.done:
                self.futures.remove(future)
            if not self.is_parent_alive():
                break
            self.murder_keepalived()
            self._answer_late_requests()
        self._stop()

    def _accept_only_with_a_free_thread(self) -> None:
        """Take new connections only while a thread is free. A process whose threads are all
        busy (waiting for slow queries, say) took new clients all the same and queued them
        behind those requests, while another process sat idle; it now leaves them in the
        listening socket's queue, for the first process with a free thread. Its own clients'
        next requests are still read and queued."""
        with self._lock:
            free = self._in_threads < self.cfg.threads
            if free == self._accepting:
                return
            self._accepting = free
            for listener, acceptor in self._acceptors:
                if free:
                    self.poller.register(listener, selectors.EVENT_READ, acceptor)
                else:
                    self.poller.unregister(listener)

    def _signalled(self, pipe: int) -> None:
        with contextlib.suppress(OSError):
            os.read(pipe, 4096)

    def _wait_time(self) -> float:
        if not self._reading:
            return 1.0
        return min(1.0, max(0.0, self._reading[0][0] - time.monotonic()))

    def _warn_now_and_then(self, message: str, *args: Any) -> None:
        """Log a warning at most every 10 s: a flood of clients would flood the log."""
        now = time.monotonic()
        if now - self._warned.get(message, -math.inf) >= 10:
            self._warned[message] = now
            self.log.warning(message, *args)

    # Connections arriving.

    def accept(self, server, listener) -> None:
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno in (errno.EMFILE, errno.ENFILE):
                self._warn_now_and_then("no file descriptor left to accept a connection")
                time.sleep(0.1)  # the listener stays readable: do not spin
            elif error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        if self.nr_conns >= self.worker_connections and not self._drop_an_idle_connection():
            self._refuse(sock)
            return
        _give_up_on_silent_reads(sock, self.read_timeout)
        conn = _Connection(self.cfg, sock, client, server, self._new_reader)
        with self._lock:
            self.nr_conns += 1
        self._start_reading(conn)
        with self._lock:
            self.poller.register(sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _refuse(self, sock: socket.socket) -> None:
        self._warn_now_and_then(
            "%d connections open, the limit of this process (RIVM_MAX_CONNECTIONS): "
            "new ones are answered 503",
            self.worker_connections,
        )
        body = (
            f"This server process already has {self.worker_connections} open connections, "
            "its limit (RIVM_MAX_CONNECTIONS). Try again in a moment.\n"
        )
        _answer_and_close(sock, plain_answer("503 Service Unavailable", body, "Retry-After: 1"))

    def _drop_an_idle_connection(self) -> bool:
        """Close the connection idle the longest between two requests (it may reconnect), to
        make room for a new client."""
        with self._lock:
            if not self._keep:
                return False
            conn = self._keep.popleft()
        self._close(conn)
        return True

    # Reading requests.

    def _start_reading(self, conn: _Connection) -> None:
        conn.deadline = time.monotonic() + self.read_timeout
        self._reading.append((conn.deadline, conn))

    def _readable(self, conn: _Connection, sock: socket.socket) -> None:
        if conn.deadline is None:  # idle between two requests until now
            with self._lock:
                try:
                    self._keep.remove(conn)
                except ValueError:
                    return
            self._start_reading(conn)
        try:
            data = sock.recv(RECEIVE_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client has gone
            self._close(conn)
            return
        self._take(conn, data)

    def _take(self, conn: _Connection, data: bytes) -> None:
        reader = conn.reader
        verdict = reader.feed(data)
        if verdict is Verdict.MORE:
            if reader.expects_continue:
                reader.expects_continue = False
                with contextlib.suppress(OSError):
                    conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        elif verdict is Verdict.HEAD_TOO_LARGE:
            self._answer(conn, plain_answer("431 Request Header Fields Too Large", HEAD_TOO_LARGE))
        elif verdict is Verdict.WHOLE:
            request, conn.pending = reader.split()
            self._hand_over(conn, request)
        else:  # CUT: gunicorn or the application answers from what has come, reading no more
            conn.close_after = True
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RD)
            self._hand_over(conn, bytes(reader.buffer))

    def _hand_over(self, conn: _Connection, request: bytes) -> None:
        conn.deadline = None
        conn.reader = conn.new_reader()
        with self._lock:
            self.poller.unregister(conn.sock)
        conn.arrived = request
        with self._lock:
            self._in_threads += 1
        self.enqueue_req(conn)

    def _answer_late_requests(self) -> None:
        now = time.monotonic()
        while self._reading and self._reading[0][0] <= now:
            deadline, conn = self._reading.popleft()
            if conn.deadline == deadline:  # still reading that request
                self._answer(conn, self._timed_out)

    def _answer(self, conn: _Connection, answer: bytes) -> None:
        self._forget(conn)
        _answer_and_close(conn.sock, answer)

    # Between requests.

    def finish_request(self, fs) -> None:
        with self._lock:
            self._in_threads -= 1
            wake = not self._accepting and self._in_threads < self.cfg.threads
        if wake:  # the main loop, waiting without the listeners, takes connections again
            with contextlib.suppress(OSError):
                os.write(self.PIPE[1], b".")
        conn: _Connection = fs.conn
        if fs.cancelled():  # queued when the server stopped
            conn.sock.settimeout(1)
            with contextlib.suppress(OSError):
                conn.sock.sendall(STOPPING)
            self._close(conn)
            return
        try:
            keepalive, _ = fs.result()
        except Exception:
            keepalive = False
        if not (keepalive and self.alive):
            self._close(conn)
            return
        conn.sock.setblocking(False)
        with self._lock:
            if conn.pending:
                # The next request is here already: the main loop reads it at once (the socket
                # is writable), without waiting for bytes that will not come.
                self.poller.register(
                    conn.sock, selectors.EVENT_WRITE, partial(self._read_pending, conn)
                )
                return
            conn.set_timeout()
            self._keep.append(conn)
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _read_pending(self, conn: _Connection, sock: socket.socket) -> None:
        data, conn.pending = conn.pending, b""
        self._start_reading(conn)
        with self._lock:
            self.poller.modify(sock, selectors.EVENT_READ, partial(self._readable, conn))
        self._take(conn, data)

    def murder_keepalived(self) -> None:
        """Close the connections idle between two requests for longer than keepalive."""
        now = time.time()
        while True:
            with self._lock:
                if not self._keep or not self._keep[0].idle_past(now):
                    return
                conn = self._keep.popleft()
            self._close(conn)

    def _forget(self, conn: _Connection) -> None:
        """Take a connection out of the loop's sight and count, before it is closed."""
        conn.deadline = None
        with self._lock:
            with contextlib.suppress(KeyError, ValueError, OSError, RuntimeError):
                self.poller.unregister(conn.sock)
            self.nr_conns -= 1

    def _close(self, conn: _Connection) -> None:
        self._forget(conn)
        conn.close()

    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, LimitRequestLine):
            return super().handle_error(req, client, addr, exc)
        self.log.warning("request line too long from a client: %s", exc)
        try:
            client.sendall(plain_answer("414 URI Too Long", TOO_LONG))
        except OSError:
            self.log.debug("could not send the 414 answer")

    # Stopping.

    def handle_quit(self, sig, frame) -> None:
        """SIGQUIT or SIGINT (^C): stop now, cutting whatever is in progress."""
        self.alive = False
        self._quick_stop = True
        self.cfg.worker_int(self)

    def _stop(self) -> None:
        """Stop accepting, let the requests in progress run for the grace period, cut what is
        left, and exit even if a thread is stuck (writing to a client that does not read, or
        waiting for a remote engine): a stop never waits longer than the grace period and
        CUT_WAIT."""
        with self._lock:
            self._accepting = False
            for listener in self.sockets:
                with contextlib.suppress(KeyError, ValueError):
                    self.poller.unregister(listener)
                self._turn_away_waiting_clients(listener)
                listener.close()
        self._close_waiting_connections()
        grace = 0.0 if self._quick_stop else self.grace
        left = self._wait_for(self.futures, grace)
        if left:
            self.log.warning("cutting %d requests still running after %g s", len(left), grace)
            executor = app_state(self.server.application).executor
            if hasattr(executor, "stop"):
                executor.stop()
            self.tpool.shutdown(wait=False, cancel_futures=True)  # the queued ones: 503
            running = [future for future in left if not future.cancelled()]
            left = self._wait_for(running, CUT_WAIT)
        executor = app_state(self.server.application).executor
        if hasattr(executor, "close"):
            executor.close()
        with self._lock:
            self.poller.close()
        if left:
            self.log.warning("exiting with %d requests stuck", len(left))
            logging.shutdown()
            os._exit(0)  # a stuck thread would hold the interpreter's exit
        self.tpool.shutdown(wait=False)

    def _turn_away_waiting_clients(self, listener: socket.socket) -> None:
        """Connections waiting in the listening socket's queue (left there while every thread
        was busy) are told that the server stops, as the requests queued for a thread are,
        rather than reset when the master closes the socket."""
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:  # none left (or the socket is gone)
                return
            _answer_and_close(sock, STOPPING)

    def _wait_for(self, requests, seconds: float) -> set:
        """The requests not done after ``seconds``, telling the master meanwhile that this
        process is alive (it would otherwise kill it after gunicorn's worker timeout)."""
        deadline = time.monotonic() + seconds
        while True:
            self.notify()
            left = futures.wait(requests, timeout=min(1.0, deadline - time.monotonic())).not_done
            if not left or time.monotonic() >= deadline:
                return left

    def _close_waiting_connections(self) -> None:
        """Connections reading a request or idle between two: nothing of theirs is in
        progress, so they are closed at once."""
        with self._lock:
            idle, self._keep = list(self._keep), deque()
        reading = [conn for deadline, conn in self._reading if conn.deadline == deadline]
        self._reading.clear()
        for conn in idle + reading:
            self._close(conn)


def freeze_heap() -> None:
    """Move every object alive now (the loaded app: graph, labels, templates) out of the cyclic
    garbage collector's sight, before a fork. A full collection walked them all (about 17 ms for
    the app's 65,000 objects, measured; far more on a busy machine), holding the GIL of a serving
    process, and writing to each object's header made forked processes copy the pages holding
    them. Frozen objects stay shared; what is created afterwards is collected as usual."""
    gc.freeze()


def end_without_finalising(arbiter: Any, worker: Worker) -> None:
    """gunicorn's worker_exit hook, the last thing a server process does: it ends at once, with the
    exit status gunicorn chose, without the interpreter's finalisation. A process forked from one
    that had opened an on-disk Oxigraph store (RocksDB) crashed with SIGSEGV in that finalisation,
    even with the store closed before the fork (measured; the C++ library's exit-time destructors
    wait for background threads that a forked copy does not have), and the master logged "Worker
    was sent SIGSEGV!" for every process on every stop. Everything this process wrote is flushed
    first; its query workers have already been stopped by the worker's own stop. (gunicorn also
    calls this hook in the master, for a process that has vanished: nothing is done there.)"""
    if os.getpid() != worker.pid:
        return
    exiting = sys.exc_info()[1]
    status = exiting.code if isinstance(exiting, SystemExit) else 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status if isinstance(status, int) else 1)


def start_query_workers(worker: Worker) -> None:
    """gunicorn's post_worker_init hook: a server process starts its query workers before its
    request threads exist (so none of its client connections is inherited by them)."""
    freeze_heap()
    executor = app_state(worker.server.application).executor
    if hasattr(executor, "start"):
        executor.start()


class RivmServer(BaseApplication):
    """gunicorn with the application built before it starts.

    The app (and the whole graph) is built here, in the master process, before any worker is forked:
    a data file that cannot be loaded stops the server with a message naming the file and the line,
    and nothing half-loaded is ever served. Workers share the loaded graph (copy-on-write).
    """

    def __init__(self, settings: dict[str, Any]):
        self.settings = settings
        self.application = create_app(settings)
        super().__init__()

    def load_config(self) -> None:
        self.cfg.set("bind", f"{self.settings['HOST']}:{self.settings['PORT']}")
        self.cfg.set("workers", server_processes(self.settings))
        # Threads: a request waiting for a slow query holds a thread, not the whole process;
        # the query itself runs in the executor's worker processes.
        self.cfg.set("worker_class", "rivm_graph.server.Worker")
        self.cfg.set("threads", int(self.settings.get("THREADS", 4)))
        self.cfg.set("worker_connections", int(self.settings.get("MAX_CONNECTIONS", 1000)))
        # The app writes its own structured access log (web/access_log.py), without query text or
        # client address unless the operator enables them; gunicorn's would log both.
        self.cfg.set("accesslog", None)
        # Slow or incomplete requests are cut by the worker (408), not by the application; long
        # request lines and headers are refused by it.
        self.cfg.set("timeout", int(self.settings.get("QUERY_TIMEOUT", 10)) + 20)
        self.cfg.set("keepalive", 5)
        # The worker exits by itself within its grace period and CUT_WAIT; the master kills it
        # only if it has not.
        grace = float(self.settings.get("GRACEFUL_TIMEOUT", 5))
        self.cfg.set("graceful_timeout", math.ceil(grace) + STOP_MARGIN)
        # GET queries in the URL: gunicorn's largest request line (longer ones: POST them).
        self.cfg.set("limit_request_line", REQUEST_LINE_LIMIT)
        self.cfg.set("pre_fork", lambda arbiter, worker: freeze_heap())
        self.cfg.set("post_worker_init", start_query_workers)
        self.cfg.set("worker_exit", end_without_finalising)

    def load(self):
        return self.application
