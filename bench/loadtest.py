"""A bounded load run on loopback: cheap queries, page views, dumps and a share of runaway queries.

    python -m bench.loadtest [--duration 60] [--clients 16] [--timeout 5]

It starts the production server (``rivm-graph serve``, gunicorn, settings from ``RIVM_*``), measures
the cheap lookups unloaded, then runs ``--clients`` concurrent clients for ``--duration`` seconds:
one client sends runaway queries back to back (each is stopped at the deadline), the others mix
varying lookups (40%), resource pages (25%), searches by name (10%), reconciliation batches of 10
names (5%), dump downloads (10%) and catalogue/VoID (10%) with a pause between requests. It prints
requests and errors by status, p50/p99 per route, the cheap-lookup p99 loaded against unloaded, how
busy the machine was (and how much of that the load clients themselves), the lookups' p99 while a
runaway query ran at normal and at idle priority, the server's memory (PSS of all its processes)
before and after, and whether any server process restarted. It asserts nothing: the figures go
in the issue notes.

"Unloaded" is measured twice, with one client and nothing else running: back to back, and pausing
between lookups as the load clients do. The paced figure is the one the loaded run compares with:
a client that pauses finds the processors idle, and waking them costs time of its own (here
about 1.5 ms a request, p50 1.8 ms back to back and 3.4 ms paced), which is not load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

from rivm_graph.stores.executor import SLOW_AFTER

REPOSITORY = Path(__file__).resolve().parent.parent
CITIES = [
    "clermont-ferrand",
    "vitoria-gasteiz",
    "queretaro",
    "anderson",
    "cuneo",
    "valladolid",
    "aranda-de-duero",
    "norman",
    "bridgewater",
    "braga",
    "regensburg",
    "karlsruhe",
    "homburg",
    "bad-kreuznach",
    "magog",
    "greer",
    "kremenchuk",
    "maebashi",
    "montreal",
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def lookup_path(rng: random.Random) -> str:
    iri = f"https://w3id.org/rivm/id/city/{rng.choice(CITIES)}"
    return "/sparql?query=" + quote(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} # {rng.random()}")


def name_of(rng: random.Random) -> str:
    """A city as a person types it: words for the slug's hyphens, sometimes only its beginning."""
    name = rng.choice(CITIES).replace("-", " ")
    return name[: rng.randint(3, len(name))] if rng.random() < 0.3 else name


def reconcile_path(rng: random.Random) -> str:
    """A batch of 10 queries as OpenRefine sends it, with a unique tag (no cache serves it)."""
    queries = {f"q{i}": {"query": name_of(rng), "limit": 3} for i in range(10)}
    return f"/reconcile?queries={quote(json.dumps(queries))}&_={rng.random()}"


def pick(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.4:
        return "lookup", lookup_path(rng)
    if roll < 0.65:
        return "page", f"/doc/city/{rng.choice(CITIES)}"
    if roll < 0.75:
        return "search", f"/search?format=json&q={quote(name_of(rng))}&_={rng.random()}"
    if roll < 0.8:
        return "reconcile", reconcile_path(rng)
    if roll < 0.9:
        return "dump", "/dumps/rivm.nt.gz"
    return "description", rng.choice(["/catalog", "/.well-known/void"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path, headers={"Accept": "text/html,*/*;q=0.8"})
    response = connection.getresponse()
    response.read()
    return response.status


def client(port: int, index: int, until: float, runaway: bool, out, pause: float) -> None:
    """Requests until ``until``; puts (route, status, seconds, started) records and the
    client's own processor time on ``out``."""
    rng = random.Random(index)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    records = []
    while time.monotonic() < until:
        route, path = ("runaway", "/sparql?query=" + quote(RUNAWAY)) if runaway else pick(rng)
        start = time.monotonic()
        try:
            status = request(connection, path)
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        records.append((route, status, time.monotonic() - start, start))
        if not runaway:
            time.sleep(pause)
    out.put((records, time.process_time()))


def unloaded_lookups(port: int, rng: random.Random, count: int, pause: float) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(count):
        start = time.monotonic()
        request(connection, lookup_path(rng))
        times.append(time.monotonic() - start)
        if pause:
            time.sleep(pause)
    return times


def busy_seconds() -> tuple[float, float]:
    """Processor time spent by the whole machine (not idle, not waiting) and elapsed, summed over
    the processors, in seconds (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / ticks, sum(fields[:8]) / ticks


def during_runaway(records: list, slow_after: float) -> dict[str, list[float]]:
    """Successful lookups by what the runaway query was doing when they were sent: in its first
    ``slow_after`` seconds (normal priority; SLOW_AFTER counts processor time, and a runaway has a
    core to itself, so about as long), later (idle priority), or just stopped (its worker being
    replaced: up to 0.3 s after its answer)."""
    runs = sorted((start, start + took) for route, _, took, start in records if route == "runaway")
    phases: dict[str, list[float]] = defaultdict(list)
    for route, status, took, start in records:
        if route != "lookup" or status != 200:
            continue
        phase = "no runaway query"
        for begin, end in runs:
            if begin <= start < begin + slow_after:
                phase = "runaway at normal priority"
            elif begin + slow_after <= start < end:
                phase = "runaway at idle priority"
            elif end <= start < end + 0.3:
                phase = "runaway just stopped"
            else:
                continue
            break
        phases[phase].append(took)
    return phases


def tree_memory_kb(pid: int) -> tuple[int, set[int]]:
    """Proportional set size (shared pages split between sharers) of a process and all its
    descendants, and their pids: forked workers share the graph, so RSS would count it twice."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
            except OSError:
                continue
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, of in parents.items():
            if of == parent and child not in family:
                family.add(child)
                frontier.append(child)
    total = 0
    for member in family:
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total, family


def server_lookup_times(log: Path, start: int, end: int) -> list[float]:
    """The server's own time (ms) for the successful, quick SPARQL requests in a log segment."""
    with open(log, "rb") as f:
        f.seek(start)
        lines = f.read(end - start).decode(errors="replace").splitlines()
    times = []
    for line in lines:
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("path") == "/sparql" and record.get("outcome") == "ok":
                times.append(record["ms"])
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--timeout", type=float, default=5, help="RIVM_QUERY_TIMEOUT for the run")
    parser.add_argument("--no-runaway", action="store_true", help="all clients send cheap traffic")
    parser.add_argument("--warmup", type=float, default=15, help="seconds of the same mix first")
    parser.add_argument(
        "--pause", type=float, default=0.1, help="a client's pause between requests"
    )
    # Enough samples that the 99th percentile is not one or two outliers (10 of 1,000).
    parser.add_argument(
        "--unloaded-samples", type=int, default=1000, help="paced lookups measured unloaded"
    )
    parser.add_argument(
        "--hot-samples", type=int, default=2000, help="back-to-back lookups measured unloaded"
    )
    args = parser.parse_args()
    port = free_port()
    env = {
        **os.environ,
        "RIVM_QUERY_TIMEOUT": str(args.timeout),
        "RIVM_RATE_LIMIT": "10000000 per minute",
        "RIVM_QUERY_BUDGET": "10000000 per minute",
        "RIVM_ACCESS_LOG": "true",
    }
    # The server's own access log gives its time per request, without the load clients' own
    # scheduling delays (16 client processes share the cores with the server). It is kept where
    # RIVM_LOADTEST_LOG says, else written to a temporary file removed at the end.
    kept_log = os.environ.get("RIVM_LOADTEST_LOG")
    log = open(kept_log, "wb") if kept_log else tempfile.NamedTemporaryFile(suffix=".log")  # noqa: SIM115
    log_path = Path(log.name)
    server = subprocess.Popen(
        [sys.executable, "-m", "rivm_graph.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request(http.client.HTTPConnection("127.0.0.1", port, timeout=2), "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rng = random.Random(0)
        for _ in range(50):
            request(warm, lookup_path(rng))
            request(warm, f"/doc/city/{rng.choice(CITIES)}")
        unloaded_from = log_path.stat().st_size
        hot = unloaded_lookups(port, rng, args.hot_samples, 0)
        unloaded_to = log_path.stat().st_size
        paced = unloaded_lookups(port, rng, args.unloaded_samples, args.pause)
        paced_to = log_path.stat().st_size
        # Warm-up with the same mix (runaway queries included), so that "before" is the memory of
        # a server that has already done everything once; then the measured run.
        queue: multiprocessing.Queue = multiprocessing.Queue()
        until = time.monotonic() + args.warmup
        warmers = [
            multiprocessing.Process(
                target=client,
                args=(port, 1000 + i, until, i == 0 and not args.no_runaway, queue, args.pause),
            )
            for i in range(args.clients)
        ]
        for w in warmers:
            w.start()
        for _ in warmers:
            queue.get()
        for w in warmers:
            w.join()
        rss_before, pids_before = tree_memory_kb(server.pid)
        loaded_from = log_path.stat().st_size
        busy_from, elapsed_from = busy_seconds()
        until = time.monotonic() + args.duration
        workers = [
            multiprocessing.Process(
                target=client,
                args=(port, i, until, i == 0 and not args.no_runaway, queue, args.pause),
            )
            for i in range(args.clients)
        ]
        for w in workers:
            w.start()
        time.sleep(args.duration / 2)
        rss_middle, _ = tree_memory_kb(server.pid)
        results = [queue.get() for _ in workers]
        busy_to, elapsed_to = busy_seconds()
        records = [r for records, _ in results for r in records]
        clients_cpu = sum(cpu for _, cpu in results)
        for w in workers:
            w.join()
        rss_after, pids_after = tree_memory_kb(server.pid)
        loaded_to = log_path.stat().st_size
        healthy = request(http.client.HTTPConnection("127.0.0.1", port, timeout=30), "/healthz")
    finally:
        server.terminate()
        server.wait(timeout=20)

    print(
        f"machine: {os.cpu_count()} cores; {args.clients} clients for {args.duration:g} s, "
        f"pausing {args.pause * 1000:g} ms between requests "
        + (
            "(no runaway queries)"
            if args.no_runaway
            else f"(1 sending runaway queries, deadline {args.timeout:g} s)"
        )
    )
    busy, elapsed = busy_to - busy_from, elapsed_to - elapsed_from
    print(
        f"requests: {len(records)} ({len(records) / args.duration:.0f}/s); processors busy "
        f"{busy / elapsed:.0%} of the time, the load clients' own share {clients_cpu / elapsed:.0%}"
    )
    statuses = Counter(status for _, status, _, _ in records)
    print("by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    by_route = defaultdict(list)
    for route, status, elapsed, _ in records:
        by_route[route].append((status, elapsed))
    print(f"{'route':<12} {'n':>7} {'p50 ms':>9} {'p99 ms':>9}  statuses")
    for route, items in sorted(by_route.items()):
        times = [e for _, e in items]
        codes = Counter(s for s, _ in items)
        print(
            f"{route:<12} {len(items):>7} {percentile(times, 0.5) * 1000:>9.1f} "
            f"{percentile(times, 0.99) * 1000:>9.1f}  {dict(sorted(codes.items()))}"
        )
    loaded = percentile([e for s, e in by_route["lookup"] if s == 200], 0.99)
    for name, unloaded in ((f"paced ({args.pause * 1000:g} ms)", paced), ("back to back", hot)):
        print(
            f"cheap lookups unloaded, {name}: p50 {statistics.median(unloaded) * 1000:.1f} ms, "
            f"p99 {percentile(unloaded, 0.99) * 1000:.1f} ms; loaded p99 {loaded * 1000:.1f} ms "
            f"= {loaded / percentile(unloaded, 0.99):.1f}x"
        )
    server_hot = server_lookup_times(log_path, unloaded_from, unloaded_to)
    server_paced = server_lookup_times(log_path, unloaded_to, paced_to)
    server_loaded = server_lookup_times(log_path, loaded_from, loaded_to)
    log.close()
    if server_hot and server_paced and server_loaded:
        loaded = percentile(server_loaded, 0.99)
        paced, hot = percentile(server_paced, 0.99), percentile(server_hot, 0.99)
        print(
            f"cheap lookups as the server timed them: unloaded p99 paced {paced:.1f} ms, back to "
            f"back {hot:.1f} ms; loaded p99 {loaded:.1f} ms = {loaded / paced:.1f}x / "
            f"{loaded / hot:.1f}x"
        )
    if not args.no_runaway:
        for phase, times in sorted(during_runaway(records, SLOW_AFTER).items()):
            print(
                f"  lookups sent while {phase}: {len(times)}, "
                f"p50 {percentile(times, 0.5) * 1000:.1f} ms, "
                f"p99 {percentile(times, 0.99) * 1000:.1f} ms"
            )
    server_errors = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    runaway_503 = sum(1 for s, _ in by_route["runaway"] if s == 503)
    print(f"5xx or failed: {server_errors} ({runaway_503} of them the runaway queries' 503)")
    print(f"health check after the run: {healthy}")
    print(
        f"server memory (PSS, all processes): {rss_before / 1024:.0f} MB after warm-up, "
        f"{rss_middle / 1024:.0f} MB half-way, {rss_after / 1024:.0f} MB at the end"
    )
    gunicorn = {p for p in pids_before if p != server.pid}
    print(
        f"server processes before/after: {len(pids_before)}/{len(pids_after)}; "
        f"query workers replaced after deadlines: {len(pids_after - pids_before)}; "
        f"gunicorn master kept: {server.pid in pids_after}; "
        f"original processes still alive: {len(gunicorn & pids_after)}/{len(gunicorn)}"
    )


if __name__ == "__main__":
    main()
