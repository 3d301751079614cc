"""A stop is graceful and bounded, even with runaway queries in flight, on both stores."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rivm_graph.server import CUT_WAIT, STOP_MARGIN
from tests.conftest import running_server
from tests.processes import free_port, wait_until_up
from tests.test_sparql_protocol import fetch

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: Virtuoso refuses RUNAWAY (and a three-way cross product) before running it: its estimated cost
#: exceeds MaxQueryCostEstimationTime (the 503 "the engine estimated it would run too long").
#: Two patterns joined by a filter pass the estimate and run for minutes (measured: still
#: running at a 20 s timeout on the test graph).
RUNAWAY_ON_VIRTUOSO = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"
)
GRACE = 2
#: The README's bound: every process has exited RIVM_GRACEFUL_TIMEOUT + 2 s after SIGTERM.
BOUND = GRACE + STOP_MARGIN
#: Flags of /proc/<pid>/stat: the process is exiting.
PF_EXITING = 0x4


@contextlib.contextmanager
def server_in_its_own_session(**settings):
    """``rivm-graph serve`` as the leader of a new session: every process it starts (server
    processes, spawners, query workers) is found by its session id, even once orphaned."""
    env = {
        **os.environ,
        "RIVM_WORKERS": "1",
        "RIVM_RATE_LIMIT": "1000000 per minute",
        "RIVM_QUERY_BUDGET": "1000000 per minute",
        **{f"RIVM_{key}": str(value) for key, value in settings.items()},
    }
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="rivm-test-stop-", suffix=".log")[1])
    command = [sys.executable, "-m", "rivm_graph.cli", "serve", "--port", str(port)]
    with open(log, "ab") as sink:
        process = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log)
        yield f"http://127.0.0.1:{port}", process
    finally:
        for pid in session(process.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        log.unlink(missing_ok=True)


def stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def session(sid: int) -> dict[int, str]:
    """The living processes of a session (zombies have exited): pid → name."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = stat(int(entry.name))
                if int(fields[3]) == sid and fields[0] != "Z":
                    found[int(entry.name)] = (entry / "comm").read_text().strip()
    return found


def killed(pid: int) -> bool:
    """Exiting already, or SIGKILL pending: only the kernel's teardown is left to do."""
    try:
        if int(stat(pid)[6]) & PF_EXITING:
            return True
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    pending = [line.split()[1] for line in status.splitlines() if line[:6] in ("SigPnd", "ShdPnd")]
    return any(int(mask, 16) & (1 << (signal.SIGKILL - 1)) for mask in pending)


def left_after(sid: int, seconds: float) -> dict[int, str]:
    """What is left of the session after ``seconds``, query workers being torn down aside.

    A killed query worker that ran at idle priority waits for a processor to be torn down
    (seconds on a saturated machine); it no longer runs any code of ours.
    """
    deadline = time.monotonic() + seconds
    while True:
        left = {
            pid: name
            for pid, name in session(sid).items()
            if not (name == "rivm-query" and killed(pid))
        }
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def runaway_queries(base: str, pool: ThreadPoolExecutor, count: int, query: str = RUNAWAY):
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query})
    return [pool.submit(fetch, url) for _ in range(count)]


def wait_for_query_workers_to_be_busy(sid: int) -> None:
    """Until a query worker uses the processor (the runaway queries have reached them)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        workers = [pid for pid, name in session(sid).items() if name == "rivm-query"]
        with contextlib.suppress(OSError):
            if any(int(stat(pid)[11]) + int(stat(pid)[12]) > 10 for pid in workers):
                return
        time.sleep(0.1)
    raise AssertionError("no query worker took up the runaway queries")


def test_sigterm_with_runaway_queries_in_flight_stops_every_process_within_the_bound():
    """Six runaway queries on one process of 4 threads and 2 query workers: two run, two wait
    for a worker, two wait for a thread. Each would run for a minute (RIVM_QUERY_TIMEOUT and
    RIVM_QUERY_DEADLINE 60, and as many long queries allowed at once); before, gunicorn's master
    killed the server process after 30 s."""
    settings = {"QUERY_TIMEOUT": 60, "QUERY_DEADLINE": 60, "SLOW_QUERIES": 6}
    with (
        server_in_its_own_session(GRACEFUL_TIMEOUT=GRACE, **settings) as (base, master),
        ThreadPoolExecutor(max_workers=6) as pool,
    ):
        answers = runaway_queries(base, pool, 6)
        wait_for_query_workers_to_be_busy(master.pid)
        names = set(session(master.pid).values())
        assert {"rivm-spawner", "rivm-query"} <= names
        master.send_signal(signal.SIGTERM)
        left = left_after(master.pid, BOUND)
        assert not left, f"still running {BOUND} s after SIGTERM: {left}"
        for answer in answers:
            status, _, body = answer.result(timeout=5)
            assert status == 503 and b"stopping" in body, body
        assert not left_after(master.pid, 30), "the killed query workers are gone too"


#: About 1.2 s of processor time on the development machine (test_faults' BOUNDED_SLOW too).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 1000 } ?d ?e ?f }"


def test_a_request_in_progress_is_answered_in_full_and_the_stop_waits_no_longer():
    grace = 20
    with (
        server_in_its_own_session(GRACEFUL_TIMEOUT=grace) as (base, master),
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        url = f"{base}/sparql?" + urllib.parse.urlencode({"query": SLOW, "format": "json"})
        answer = pool.submit(fetch, url)
        wait_for_query_workers_to_be_busy(master.pid)
        master.send_signal(signal.SIGTERM)
        started = time.monotonic()
        status, _, body = answer.result(timeout=grace)
        assert status == 200 and b'"n"' in body, body[:200]
        assert not left_after(master.pid, grace)
        assert time.monotonic() - started < grace / 2


def test_interrupt_cuts_at_once():
    """^C (SIGINT; gunicorn sends its server processes SIGQUIT) has no grace period."""
    with (
        server_in_its_own_session(GRACEFUL_TIMEOUT=30, QUERY_TIMEOUT=60) as (base, master),
        ThreadPoolExecutor(max_workers=2) as pool,
    ):
        answers = runaway_queries(base, pool, 2)
        wait_for_query_workers_to_be_busy(master.pid)
        master.send_signal(signal.SIGINT)
        left = left_after(master.pid, CUT_WAIT + STOP_MARGIN)
        assert not left, left
        assert all(answer.result(timeout=5)[0] == 503 for answer in answers)


@pytest.mark.virtuoso
def test_sigterm_on_virtuoso_with_runaway_queries_in_flight_is_bounded(virtuoso):
    """On a remote engine a query already sent cannot be called back: the request is cut by
    the server process's exit at the end of the grace period."""
    with (
        server_in_its_own_session(
            GRACEFUL_TIMEOUT=GRACE,
            QUERY_TIMEOUT=60,
            QUERY_DEADLINE=60,
            SLOW_QUERIES=6,  # all six long at once: none is cut before SIGTERM
            STORE="sparql",
            SPARQL_QUERY_URL=virtuoso.query_url,
        ) as (base, master),
        ThreadPoolExecutor(max_workers=6) as pool,
    ):
        answers = runaway_queries(base, pool, 6, RUNAWAY_ON_VIRTUOSO)
        time.sleep(1)
        # The stop is tested with the queries still in flight, and there must be some.
        in_flight = [a for a in answers if not a.done()]
        early = [a.result()[:3:2] for a in answers if a.done()]
        assert in_flight, f"the engine is busy with them: all came back early: {early}"
        master.send_signal(signal.SIGTERM)
        left = left_after(master.pid, BOUND)
        assert not left, f"still running {BOUND} s after SIGTERM: {left}"
        for answer in in_flight:
            with contextlib.suppress(OSError):
                assert answer.result(timeout=5)[0] == 503


#: Seconds of Virtuoso's work on the test graph: 1.5-2 s on a quiet machine, 8 s at load 14.
SLOW_ON_VIRTUOSO = (
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?c WHERE { ?a ?b ?c } LIMIT 1000 } "
    "?d ?e ?f FILTER(STR(?c) < STR(?f)) }"
)


@pytest.mark.virtuoso
def test_on_virtuoso_a_request_in_progress_is_answered_in_full_and_the_stop_waits_no_longer(
    virtuoso,
):
    """The engine's answer to a query sent before SIGTERM still reaches its client within the
    grace period, and the server exits as soon as it has."""
    grace = 60
    with (
        server_in_its_own_session(
            GRACEFUL_TIMEOUT=grace,
            QUERY_TIMEOUT=grace,
            QUERY_DEADLINE=grace,
            STORE="sparql",
            SPARQL_QUERY_URL=virtuoso.query_url,
        ) as (base, master),
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        url = f"{base}/sparql?" + urllib.parse.urlencode(
            {"query": SLOW_ON_VIRTUOSO, "format": "json"}
        )
        answer = pool.submit(fetch, url)
        time.sleep(0.5)
        assert not answer.done(), f"the engine answered at once: {answer.result()[::2]}"
        master.send_signal(signal.SIGTERM)
        status, _, body = answer.result(timeout=grace)
        assert status == 200 and b'"n"' in body, body[:200]
        assert not left_after(master.pid, BOUND), "the stop waits for nothing more"


@pytest.mark.parametrize("store", ["oxigraph", "oxigraph-memory"])
def test_a_stop_ends_every_server_process_cleanly(monkeypatch, tmp_path, store):
    """SIGTERM after answering: every server process exits on its own, none is ended by a signal.
    (With the store on disk, opened before the fork, the interpreter's finalisation crashed each
    server process with SIGSEGV, and the master logged it on every stop.)"""
    log = tmp_path / "server.log"
    monkeypatch.setenv("RIVM_TEST_SERVER_LOG", str(log))
    with running_server(WORKERS=2, STORE=store) as base:
        status, _, _ = fetch(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))
        assert status == 200
        assert fetch(base + "/doc/city/cuneo")[0] == 200
    text = log.read_text()
    assert text.count("Worker exiting") == 2, text[-2000:]
    assert "was sent SIG" not in text, text[-2000:]
    assert "Shutting down: Master" in text


def _status_of_a_child_calling_the_exit_hook(own_pid: bool) -> int:
    """Fork a child that calls the exit hook while gunicorn's ``sys.exit(3)`` is on its way (as
    gunicorn does, in a ``finally``), for itself or for another process; its exit status (7 if
    the hook returned)."""
    from types import SimpleNamespace

    from rivm_graph.server import end_without_finalising

    pid = os.fork()
    if pid == 0:  # the child
        try:
            try:
                sys.exit(3)
            finally:
                worker = SimpleNamespace(pid=os.getpid() if own_pid else os.getpid() + 1)
                end_without_finalising(None, worker)  # type: ignore[arg-type]
        except SystemExit:
            os._exit(7)
        os._exit(8)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_the_exit_hook_ends_a_server_process_with_gunicorns_status_and_leaves_the_master_alone():
    """In a server process the hook ends it with the status gunicorn chose (3 here); gunicorn also
    calls it in the master, for a server process that has vanished, and the master goes on."""
    assert _status_of_a_child_calling_the_exit_hook(own_pid=True) == 3
    assert _status_of_a_child_calling_the_exit_hook(own_pid=False) == 7
