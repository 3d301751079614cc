"""Slow and idle clients cannot stop a server process from answering others (raw sockets)."""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
import socket
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rivm_graph.server import HEAD_LIMIT
from tests.conftest import SERVER_PIDS, STORES, running_server
from tests.test_sparql_protocol import get
from tests.test_sparql_safety import CHEAP, SLUGS

#: How each kind of slow client starts, and what it adds every TRICKLE seconds (never enough).
SLOW_KINDS = {
    "request line": (b"GET /sparql?query=ASK", b"%20"),
    "headers": (b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Slow: 1\r\n"),
    "body": (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 1000\r\n\r\nA",
        b"S",
    ),
    "idle": (b"", b""),
}
TRICKLE = 1.0
SLOW_CLIENTS = 500


def address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


@contextlib.contextmanager
def slow_clients(base: str, count: int, kinds=tuple(SLOW_KINDS)):
    """``count`` connections of the given kinds, each sending a little every TRICKLE seconds
    from a thread that stops with the block (so the test is bounded)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 200), hard))
    sockets: list[tuple[socket.socket, bytes]] = []
    stop = threading.Event()

    def trickle():
        while not stop.wait(TRICKLE):
            for sock, more in sockets:
                with contextlib.suppress(OSError):
                    sock.send(more)

    try:
        for i in range(count):
            start, more = SLOW_KINDS[kinds[i % len(kinds)]]
            sock = socket.create_connection(address(base), timeout=5)
            if start:
                sock.sendall(start)
            sockets.append((sock, more))
        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        yield [sock for sock, _ in sockets]
    finally:
        stop.set()
        for sock, _ in sockets:
            sock.close()


def timed_get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=5) as response:
        response.read()
        return response.status, time.monotonic() - started


def lookup_url(base: str, slug: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": CHEAP.format(slug=slug)})


def open_sockets(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


def still_open(sock: socket.socket) -> bool:
    """Not closed by the server (whatever it sent before is read and ignored)."""
    sock.setblocking(False)
    try:
        while sock.recv(65536):
            pass
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False


def exchange(base: str, data: bytes, *, timeout: float = 10) -> bytes:
    """Send raw bytes, read the answer until the server closes the connection."""
    with socket.create_connection(address(base), timeout=timeout) as sock:
        sock.sendall(data)
        return read_all(sock)


def read_all(sock: socket.socket) -> bytes:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


@pytest.mark.parametrize("store", STORES)
def test_hundreds_of_slow_clients_do_not_stop_others_from_being_answered(store, request):
    """The server's defaults (one process of 4 threads, as running_server starts it), on either
    store; before the worker read requests whole, 64 such clients held every thread and /healthz
    went unanswered for as long as they stayed."""
    settings = {}
    if store == "virtuoso":
        engine = request.getfixturevalue("virtuoso")
        settings = {"STORE": "sparql", "SPARQL_QUERY_URL": engine.query_url}
    with running_server(**settings) as base:
        assert timed_get(lookup_url(base, "cuneo"))[0] == 200  # the pool is up
        with slow_clients(base, SLOW_CLIENTS) as sockets:
            time.sleep(2 * TRICKLE)
            (worker,) = _server_processes(base)
            assert open_sockets(worker) >= SLOW_CLIENTS, "the server holds every slow connection"
            for slug in SLUGS:
                status, seconds = timed_get(base + "/healthz")
                assert status == 200 and seconds < 1, seconds
                status, seconds = timed_get(lookup_url(base, slug))
                assert status == 200 and seconds < 1, seconds
            assert all(map(still_open, sockets)), "they are still being waited for"


def _server_processes(base: str) -> list[int]:
    from tests.test_faults import children

    return children(SERVER_PIDS[base])


@pytest.fixture(scope="module")
def impatient_server():
    with running_server(REQUEST_READ_TIMEOUT=1, MAX_QUERY_BYTES=1000) as base:
        yield base


@pytest.mark.parametrize("kind", list(SLOW_KINDS))
def test_a_request_not_sent_whole_in_time_gets_408_and_is_dropped(impatient_server, kind):
    with slow_clients(impatient_server, 1, kinds=(kind,)) as (sock,):
        sock.settimeout(5)
        started = time.monotonic()
        answer = read_all(sock)  # trickling on, until the server closes the connection
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"RIVM_REQUEST_READ_TIMEOUT" in answer and b"Connection: close" in answer
    assert 0.5 < waited < 3, "the deadline counts the whole request, not the time between bytes"


def test_a_kept_alive_connection_gets_the_time_again_for_its_next_request(impatient_server):
    connection = http.client.HTTPConnection(*address(impatient_server), timeout=5)
    try:
        for _ in range(3):
            time.sleep(0.6)  # 1.8 s on this connection in all, each request well within 1 s
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            assert response.status == 200 and response.read()
            assert not response.will_close
    finally:
        connection.close()


def test_requests_sent_slowly_but_in_time_are_answered(impatient_server):
    """A body sent a byte at a time, chunked or not, and pipelined requests all arrive whole."""
    query = b"ASK { ?s ?p ?o }"
    length_framed = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: text/csv\r\nContent-Length: %d\r\n\r\n" % len(query) + query
    )
    chunked = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: text/csv\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"6\r\nASK { \r\na\r\n?s ?p ?o }\r\n0\r\n\r\n"
    )
    with socket.create_connection(address(impatient_server), timeout=5) as sock:
        for i in range(len(length_framed)):
            sock.send(length_framed[i : i + 1])
            time.sleep(0.2 / len(length_framed))
        sock.sendall(length_framed + chunked)  # two more, pipelined, in one packet
        answers = read_all(sock)
    assert answers.count(b"HTTP/1.1 200 OK") == 3, answers
    assert answers.count(b"\r\n\r\ntrue") + answers.count(b"\r\n\r\n_askResult\r\ntrue") == 3


def test_a_client_expecting_100_continue_gets_it_before_sending_its_body(impatient_server):
    query = b"ASK { ?s ?p ?o }"
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Connection: close\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(query)
    )
    with socket.create_connection(address(impatient_server), timeout=5) as sock:
        sock.sendall(head)
        assert sock.recv(65536).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(query)
        assert b"HTTP/1.1 200 OK" in read_all(sock)


def test_a_body_over_the_limit_is_refused_without_waiting_for_it(impatient_server):
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 50000\r\n\r\nASK"
    )
    with socket.create_connection(address(impatient_server), timeout=5) as sock:
        sock.sendall(head)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_head_over_the_limit_gets_431(impatient_server):
    """Each header under gunicorn's limit for one field, together over the head limit."""
    padding = b"".join(b"X-Padding-%d: %s\r\n" % (i, b"x" * 7000) for i in range(10))
    assert len(padding) > HEAD_LIMIT
    answer = exchange(impatient_server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + padding)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"longer than 65536 bytes" in answer


def kept_alive(base: str) -> socket.socket:
    """A connection idle after a first request, kept open for the next."""
    sock = socket.create_connection(address(base), timeout=5)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while not answer.endswith(b"}\n"):  # the end of the health check's JSON
        answer += sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200 ") and b"Connection: close" not in answer
    return sock


def test_beyond_the_connection_limit_a_new_client_gets_a_clear_503():
    with running_server(MAX_CONNECTIONS=20, REQUEST_READ_TIMEOUT=30) as base:
        # At the limit, the connection idle the longest between two requests makes room.
        kept = [kept_alive(base) for _ in range(10)]
        with slow_clients(base, 10, kinds=("headers",)):
            time.sleep(2 * TRICKLE)
            assert timed_get(base + "/healthz")[0] == 200
            assert not still_open(kept[0]) and all(map(still_open, kept[1:]))
        for sock in kept:
            sock.close()
        time.sleep(0.5)
        # Connections in the middle of a request do not.
        with slow_clients(base, 20, kinds=("headers",)):
            time.sleep(2 * TRICKLE)
            started = time.monotonic()
            answer = exchange(base, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert time.monotonic() - started < 1
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
        assert b"Retry-After: 1\r\n" in answer and b"RIVM_MAX_CONNECTIONS" in answer
        time.sleep(0.5)
        assert timed_get(base + "/healthz")[0] == 200, "served again once they have gone"


#: A query that runs until the deadline in a query worker (a cross product counted).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_new_clients_go_to_a_process_with_a_free_thread():
    """Two server processes of one thread each; one thread waits for a runaway query. New
    clients are all answered while it runs: the busy process leaves new connections to the
    other. (It used to take about half of them and queue them behind the runaway.)"""
    deadline = 6
    with (
        running_server(
            WORKERS=2, THREADS=1, QUERY_DEADLINE=deadline, QUERY_TIMEOUT=deadline
        ) as base,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        runaway = pool.submit(get, base, query=RUNAWAY)
        time.sleep(0.5)  # the runaway has reached one process's thread
        answered = []
        for n in range(12):
            status, _, body = get(base, query=f"ASK {{ }} # {n}")  # a new connection each time
            assert status == 200, body
            answered.append(runaway.done())
        status, _, _ = runaway.result(timeout=deadline + 30)
        assert status == 503  # stopped at the deadline
        assert not any(answered), "a new client waited for the runaway query to end"
