"""Faults: a query worker killed mid-query costs that query only; damaged dumps are never served."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import SERVER_PIDS, running_server
from tests.test_sparql_protocol import fetch, get
from tests.test_sparql_safety import CHEAP, RUNAWAY_PRODUCT, SLUGS


def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: state, parent, ... (proc(5), from field 3)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = stat_fields(int(entry.name))
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def name(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def spawner_of(gunicorn_worker: int) -> int:
    """The server process's one child: the spawner its query workers are forked from."""
    (spawner,) = children(gunicorn_worker)
    assert name(spawner) == "rivm-spawner"
    return spawner


def query_workers(gunicorn_worker: int) -> list[int]:
    return [pid for pid in children(spawner_of(gunicorn_worker)) if name(pid) == "rivm-query"]


def nice(pid: int) -> int:
    return int(stat_fields(pid)[16])


def cpu_ticks(pid: int) -> int:
    """User and system time so far, in clock ticks (0 for a process that has gone)."""
    try:
        fields = stat_fields(pid)
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


#: Clock ticks (1/100 s) in a second that tell a worker at work from an idle one (idle: 0). Low
#: enough for a machine busy with other work, where a worker gets a small share of a processor.
BUSY_TICKS = 5


@pytest.fixture(scope="module")
def server():
    with running_server(QUERY_TIMEOUT=30, QUERY_WORKERS=2) as base:
        yield base


def busy_worker(gunicorn_worker: int) -> int:
    """The query worker using the processor (a runaway query has been sent)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        workers = query_workers(gunicorn_worker)
        before = {pid: cpu_ticks(pid) for pid in workers}
        time.sleep(1)
        ticks = {pid: cpu_ticks(pid) - before[pid] for pid in workers}
        if ticks and max(ticks.values()) > BUSY_TICKS:
            return max(ticks, key=ticks.get)
    raise AssertionError("the runaway query is running in a worker process")


def lowered_worker(gunicorn_worker: int, within: float = 15) -> int:
    """The query worker given the lowest priority (a slow query is running), waited for: it is
    lowered after 0.1 s of processor time, which a loaded machine may take a while to give."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        lowered = [pid for pid in query_workers(gunicorn_worker) if nice(pid) == 19]
        if lowered:
            (pid,) = lowered
            return pid
        time.sleep(0.05)
    raise AssertionError("the slow query's worker has been given the lowest priority")


def alive(pid: int) -> bool:
    try:
        state = stat_fields(pid)[0]
    except OSError:
        return False
    return state != "Z"


def test_killing_the_worker_of_a_query_answers_503_for_it_alone(server):
    (gunicorn_worker,) = children(SERVER_PIDS[server])
    spawner = spawner_of(gunicorn_worker)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runaway = pool.submit(get, server, query=RUNAWAY_PRODUCT)
        busy = busy_worker(gunicorn_worker)
        cheap = pool.submit(lambda: [get(server, query=CHEAP.format(slug=s))[0] for s in SLUGS])
        os.kill(busy, signal.SIGKILL)
        status, _, body = runaway.result(timeout=30)
        assert status == 503
        assert b"worker stopped" in body
        assert cheap.result(timeout=30) == [200] * len(SLUGS)
    status, _, _ = get(server, query=CHEAP.format(slug="cuneo"))
    assert status == 200, "the pool replaced the killed worker"
    workers = query_workers(gunicorn_worker)
    assert len(workers) == 2 and busy not in workers
    # The replacement was forked by the spawner: the serving process forked nothing (a fork
    # stalls the process that makes it, and its pages are then copied as it writes them).
    assert children(gunicorn_worker) == [spawner]


def test_the_query_workers_of_a_killed_server_process_stop_with_it():
    """A query worker does not outlive its server process, even in the middle of a long query
    (it would otherwise run on, unsupervised, until the query ends)."""
    with running_server(QUERY_TIMEOUT=60, QUERY_WORKERS=2) as base:
        (gunicorn_worker,) = children(SERVER_PIDS[base])
        with ThreadPoolExecutor(max_workers=1) as pool:
            runaway = pool.submit(get, base, query=RUNAWAY_PRODUCT)
            busy = busy_worker(gunicorn_worker)
            spawner = spawner_of(gunicorn_worker)
            idle = [pid for pid in query_workers(gunicorn_worker) if pid != busy]
            os.kill(gunicorn_worker, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while any(map(alive, [busy, spawner, *idle])) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not any(map(alive, [busy, spawner, *idle])), "no process is left behind"
            with pytest.raises(OSError):
                runaway.result(timeout=30)
        # gunicorn starts a new server process, with its own spawner and workers.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):
                (fresh,) = children(SERVER_PIDS[base])
                if len(query_workers(fresh)) == 2:
                    break
            time.sleep(0.2)
        assert get(base, query=CHEAP.format(slug="cuneo"))[0] == 200


def current_dumps(dump_dir: Path) -> list[Path]:
    """The folder of the current data version's dumps (beside it: the tables, the releases)."""
    return [
        p for p in dump_dir.iterdir() if (p / "SHA256SUMS").is_file() and (p / "rivm.nt").exists()
    ]


def test_a_damaged_dump_is_rebuilt_at_start_never_served(tmp_path):
    with running_server(DUMP_DIR=str(tmp_path)) as base:
        status, _, good = fetch(base + "/dumps/rivm.nt")
        assert status == 200
    (version,) = current_dumps(tmp_path)
    damaged = version / "rivm.nt"
    damaged.write_bytes(damaged.read_bytes()[: len(good) // 2])
    (version / "rivm.ttl").unlink()
    with running_server(DUMP_DIR=str(tmp_path)) as base:
        status, headers, body = fetch(base + "/dumps/rivm.nt")
        assert status == 200 and body == good
        assert int(headers["Content-Length"]) == len(good)
        status, _, _ = fetch(base + "/dumps/rivm.ttl")
        assert status == 200


def test_a_dump_damaged_while_serving_is_refused_not_served_truncated(tmp_path):
    with running_server(DUMP_DIR=str(tmp_path)) as base:
        (version,) = current_dumps(tmp_path)
        target = version / "rivm.jsonld"
        target.write_bytes(target.read_bytes()[:1000])
        status, headers, body = fetch(base + "/dumps/rivm.jsonld")
        assert status == 503 and b"damaged" in body
        assert headers["Retry-After"]
        (version / "rivm.rdf").unlink()
        status, _, body = fetch(base + "/dumps/rivm.rdf")
        assert status == 503 and b"missing" in body


def test_a_slow_query_yields_the_cpu_to_quick_ones(server):
    (gunicorn_worker,) = children(SERVER_PIDS[server])
    with ThreadPoolExecutor(max_workers=1) as pool:
        runaway = pool.submit(get, server, query=RUNAWAY_PRODUCT)
        lowered_worker(gunicorn_worker)
        deadline = time.monotonic() + 10  # the fresh worker may take a moment to start
        while True:
            niceness = {pid: nice(pid) for pid in query_workers(gunicorn_worker)}
            if len(niceness) == 3 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        # The busy worker runs at the lowest priority; two fresh ones keep the pool's place.
        assert sorted(niceness.values()) == [0, 0, 19], niceness
        busy = next(pid for pid, nice in niceness.items() if nice == 19)
        assert os.sched_getscheduler(busy) == os.SCHED_IDLE, "it runs only on idle CPU"
        os.kill(busy, signal.SIGKILL)
        assert runaway.result(timeout=30)[0] == 503
    assert get(server, query=CHEAP.format(slug="cuneo"))[0] == 200


#: About 1.2 s of processor time on the 2-core development machine: slow, but well within 3 s
#: (LIMIT 2500 took 1.6 s on an earlier machine of the kind and 3.0 s on this one: too close).
BOUNDED_SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 1000 } ?d ?e ?f }"
)


def test_a_slow_query_starved_of_cpu_is_not_stopped_for_time_it_did_not_get():
    """The deadline of a lowered-priority query counts the processor time it was given.

    The worker is frozen (SIGSTOP) for longer than the whole limit, as a saturated machine would
    starve it; once thawed it finishes well inside its CPU allowance and the client gets the answer.
    """
    # (The wall-clock limit, 10 s by default, is raised: on a machine busy with other work, a
    # query at idle priority gets little processor time.)
    with running_server(QUERY_TIMEOUT=3, QUERY_DEADLINE=30, QUERY_WORKERS=2) as base:
        (gunicorn_worker,) = children(SERVER_PIDS[base])
        with ThreadPoolExecutor(max_workers=1) as pool:
            started = time.monotonic()
            slow = pool.submit(get, base, query=BOUNDED_SLOW, format="json")
            lowered = lowered_worker(gunicorn_worker)
            os.kill(lowered, signal.SIGSTOP)
            time.sleep(3.5)
            os.kill(lowered, signal.SIGCONT)
            status, _, body = slow.result(timeout=30)
            waited = time.monotonic() - started
        assert status == 200, body[:300]
        assert waited > 3, "the answer came after more wall-clock time than the limit"
        assert b'"n"' in body


def test_a_lost_spawner_is_started_again(server):
    (gunicorn_worker,) = children(SERVER_PIDS[server])
    spawner = spawner_of(gunicorn_worker)
    workers = query_workers(gunicorn_worker)
    os.kill(spawner, signal.SIGKILL)
    assert get(server, query=CHEAP.format(slug="braga"))[0] == 200, "the workers serve on"
    with ThreadPoolExecutor(max_workers=1) as pool:
        runaway = pool.submit(get, server, query=RUNAWAY_PRODUCT)
        deadline = time.monotonic() + 10
        busy = None
        while busy is None and time.monotonic() < deadline:
            before = {pid: cpu_ticks(pid) for pid in workers}
            time.sleep(1)
            ticks = {pid: cpu_ticks(pid) - n for pid, n in before.items()}
            if max(ticks.values()) > BUSY_TICKS:
                busy = max(ticks, key=ticks.get)
        assert busy is not None, "the runaway query runs in one of the workers"
        os.kill(busy, signal.SIGKILL)
        assert runaway.result(timeout=30)[0] == 503
    assert spawner_of(gunicorn_worker) != spawner, "a new spawner, and the old one reaped"
    assert len(query_workers(gunicorn_worker)) == 1, "the replacement comes from the new spawner"
    assert get(server, query=CHEAP.format(slug="cuneo"))[0] == 200


def test_a_query_is_slow_by_the_processor_time_it_takes_not_by_its_wait():
    """Waiting for a processor does not make a query slow; using one does, after 0.1 s."""
    with running_server(QUERY_TIMEOUT=30, QUERY_WORKERS=2) as server:
        (gunicorn_worker,) = children(SERVER_PIDS[server])
        workers = sorted(query_workers(gunicorn_worker))
        for pid in workers:  # as a saturated machine would: the query gets no processor for 1.5 s
            os.kill(pid, signal.SIGSTOP)
        with ThreadPoolExecutor(max_workers=1) as pool:
            try:
                cheap = pool.submit(get, server, query=CHEAP.format(slug="magog"))
                time.sleep(1.5)
                assert [nice(pid) for pid in workers] == [0, 0], "not lowered for waiting"
            finally:
                for pid in workers:
                    os.kill(pid, signal.SIGCONT)
            assert cheap.result(timeout=30)[0] == 200
        assert sorted(query_workers(gunicorn_worker)) == workers, "and not replaced"
        with ThreadPoolExecutor(max_workers=1) as pool:
            runaway = pool.submit(get, server, query=RUNAWAY_PRODUCT)
            busy = busy_worker(gunicorn_worker)  # found after 0.5 s of its processor time
            assert nice(busy) == 19 and os.sched_getscheduler(busy) == os.SCHED_IDLE
            os.kill(busy, signal.SIGKILL)
            assert runaway.result(timeout=30)[0] == 503
