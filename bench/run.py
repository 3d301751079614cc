"""Side by side: the project's SPARQL server against rdflib-endpoint 0.6.3, on the same data.

    python -m bench.run [--data real,100000] [--clients 1,8] [--duration 10] [--max-requests 20000]

For each data set (``real``: the repository; a number: the synthetic graph of about that many
triples, written by bench/synthetic.py), it starts both servers on free loopback ports: ours with
``rivm-graph serve`` (the production gunicorn configuration, settings from ``RIVM_*``) and the
baseline with ``python -m bench.baseline`` (rdflib-endpoint under uvicorn, one process). Then, for
each scenario and number of concurrent clients, it drives one server and then the other with the
same load (the order alternates from cell to cell), each cell bounded by ``--duration`` seconds or
``--max-requests`` answers, whichever comes first, after a short warm-up. Scenarios:

- ``lookup``: ``SELECT ?p ?o WHERE { <iri> ?p ?o }``, the IRI changing on every request;
- ``aggregate``: ``SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class``;
- ``describe``: ``DESCRIBE <iri>``, the IRI changing on every request.

Every request also carries a unique comment, so no answer cache (ours, or rdflib-endpoint's parsed
query cache) ever serves it: each figure is the cost of evaluating the query. The load comes from
``wrk`` with a Lua script when it is installed, else from Python client processes with keep-alive
connections. It prints every figure (successful answers per second, p50 and p99 latency, errors,
the CPU time all of a server's processes spent per answer, the load driver's own CPU use) and the
ratios ours/theirs, with the machine's core count; it asserts nothing. Our server's per-client
budgets are lifted for the run (all the load comes from one loopback client; see LIFTED_BUDGETS).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import multiprocessing
import os
import platform
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from rivm_graph.config import load_settings
from rivm_graph.files import data_files, graph_files
from rivm_graph.namespaces import ID_BASE

from . import synthetic

REPOSITORY = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_varying.lua"
SELECT_JSON = "application/sparql-results+json"

SCENARIOS: dict[str, tuple[str, str]] = {  # name: (query, Accept); {iri} varies per request
    "lookup": ("SELECT ?p ?o WHERE { <{iri}> ?p ?o }", SELECT_JSON),
    "aggregate": (
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class",
        SELECT_JSON,
    ),
    "describe": ("DESCRIBE <{iri}>", "text/turtle"),
}


# Servers -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cpu(session: int) -> float:
    """CPU seconds used so far by every process of a session (Linux /proc; NaN elsewhere),
    including children they have reaped (a replaced query worker, say)."""
    if not Path("/proc/self/stat").exists():
        return float("nan")
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # from field 3 (state) on
        if int(fields[3]) == session:  # field 6: session id
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


def http_get(port: int, query: str, accept: str, timeout: float = 120) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/sparql?query=" + quote(query), headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Server:
    """A server process (and its children) in its own session, so it is stopped as a group."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path):
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.port = int(argv[argv.index("--port") + 1])
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.ready_after: float | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                self.argv,
                cwd=REPOSITORY,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.started = time.perf_counter()

    def wait_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited ({self.process.returncode}); see {self.log}"
                )
            try:
                status, _ = http_get(self.port, "ASK {}", SELECT_JSON, timeout=5)
                if status == 200:
                    self.ready_after = time.perf_counter() - self.started
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout:g} s; see {self.log}")

    def stop(self) -> None:
        """SIGTERM to the server's main process (a graceful stop: gunicorn lets its workers finish),
        then SIGKILL to whatever is left of its session."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)


#: The whole load comes from one loopback client, so the per-client budgets (RIVM_RATE_LIMIT,
#: RIVM_QUERY_BUDGET) would answer nearly everything with 429. They are lifted, not switched off:
#: the limiter still counts every request (per second, so its windows stay as short as a real
#: client's), and its cost stays in the figures. Values set in the environment win.
LIFTED_BUDGETS = {
    "RIVM_RATE_LIMIT": "1000000 per second",
    "RIVM_QUERY_BUDGET": "1000000 per second",
}


def wait_idle(servers: list[Server], timeout: float = 120, busy: float = 0.05) -> None:
    """Wait until no server uses more than ``busy`` of a core (queries left running by clients
    that have gone), at most ``timeout`` seconds; say so when it took a while."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        before = [session_cpu(s.pid) for s in servers]
        time.sleep(0.25)
        used = [(session_cpu(s.pid) - b) / 0.25 for s, b in zip(servers, before, strict=True)]
        if not any(u > busy for u in used):  # also true when /proc is not there (NaN)
            break
    waited = time.perf_counter() - started
    if waited > 2:
        print(f"    (waited {waited:.0f} s for the servers to finish earlier queries)", flush=True)


def our_server(root: Path, port: int, log: Path) -> Server:
    script = Path(sys.executable).with_name("rivm-graph")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "rivm_graph.cli"]
    env = {**LIFTED_BUDGETS, **os.environ, "RIVM_DATA_ROOT": str(root)}
    return Server("ours", [*argv, "serve", "--host", "127.0.0.1", "--port", str(port)], env, log)


def baseline_server(root: Path, port: int, log: Path) -> Server:
    argv = [sys.executable, "-m", "bench.baseline", "--root", str(root), "--port", str(port)]
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")])),
    )
    return Server("rdflib-endpoint", argv, env, log)


# Data --------------------------------------------------------------------------------------------


@dataclass
class DataSet:
    name: str
    root: Path
    triples: int = 0
    subjects: list[str] = field(default_factory=list)


def read_data(name: str, root: Path, seed: int) -> DataSet:
    """Count what the servers load, and list the resources (subjects of data/) to look up."""
    data = DataSet(name, root)
    in_data = {p.resolve() for p in data_files(root)}
    subjects: set[str] = set()
    for f in graph_files(root):
        for quad in ox.parse(path=str(f.path), format=ox.RdfFormat.TURTLE):
            data.triples += 1
            subject = quad.subject
            if (
                f.path.resolve() in in_data
                and isinstance(subject, ox.NamedNode)
                and subject.value.startswith(ID_BASE)
            ):
                subjects.add(subject.value)
    data.subjects = sorted(subjects)
    random.Random(seed).shuffle(data.subjects)
    return data


def prepare_data(spec: str, work: Path) -> DataSet:
    if spec == "real":
        return read_data("real", REPOSITORY, synthetic.SEED)
    target = int(spec)
    root = work / f"synthetic-{target}"
    started = time.perf_counter()
    written, cities = synthetic.write_root(target, root)
    print(
        f"  synthetic {target}: {written} triples, {cities} cities, "
        f"written in {time.perf_counter() - started:.1f} s to {root}",
        flush=True,
    )
    return read_data(f"synth-{human(target)}", root, synthetic.SEED)


def human(n: int) -> str:
    for unit, size in (("M", 1_000_000), ("k", 1_000)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


def request_paths(scenario: str, data: DataSet) -> list[str]:
    query, _ = SCENARIOS[scenario]
    if "{iri}" not in query:
        return ["/sparql?query=" + quote(query, safe="")]
    return ["/sparql?query=" + quote(query.replace("{iri}", iri), safe="") for iri in data.subjects]


# Load drivers ------------------------------------------------------------------------------------


@dataclass
class Cell:
    requests: int  # successful (2xx) answers: the rate counts these only
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # other answers (latencies include them), socket errors and timeouts
    client_cpu: float  # CPU seconds used by the load driver per wall second
    server_cpu: float = float("nan")  # CPU seconds used by all the server's processes

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu * 1000 / self.requests if self.requests else float("nan")

    def summary(self) -> str:
        return (
            f"{self.rate:>9.1f} req/s  p50 {fmt(self.p50_ms, '>8.2f')} ms  "
            f"p99 {fmt(self.p99_ms, '>8.2f')} ms  n={self.requests:<6} err={self.errors:<4} "
            f"{self.seconds:5.1f} s  server CPU {fmt(self.cpu_ms_per_request, '>6.2f')} ms/req  "
            f"client CPU {self.client_cpu:4.0%}"
        )

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(
    port: int, paths_file: Path, accept: str, clients: int, seconds: float, limit: int, nonce: str
) -> Cell:
    threads = max(1, min(clients, os.cpu_count() or 1))
    per_thread = math.ceil(limit / threads)
    argv = [
        shutil.which("wrk") or "wrk",
        f"-t{threads}",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "60s",
        "-s",
        str(LUA_SCRIPT),
        f"http://127.0.0.1:{port}",
        "--",
        str(paths_file),
        str(per_thread),
        accept,
        nonce,
    ]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    stopped, result = 0, None
    for line in process.stdout:
        if line.startswith("LIMIT"):
            stopped += 1
            if stopped == threads:
                process.send_signal(signal.SIGINT)  # wrk then reports the time actually taken
        elif line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if result is None:
        raise RuntimeError(f"wrk gave no result (exit {process.returncode}): {' '.join(argv)}")
    wall = result["duration_us"] / 1e6
    if not result["requests"]:  # nothing came back in time: no latency to report
        result["p50_us"] = result["p99_us"] = float("nan")
    socket_errors = result["connect"] + result["read"] + result["write"] + result["timeout"]
    return Cell(
        requests=result["requests"] - result["status"],  # answers with a non-2xx status
        seconds=wall,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        errors=result["status"] + socket_errors,
        client_cpu=(usage.ru_utime + usage.ru_stime) / wall if wall else 0.0,
    )


def _python_client(port, paths, accept, start_at, end_at, limit, offset, nonce, client, results):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, errors, n = [], 0, 0
    time.sleep(max(0.0, start_at - time.monotonic()))
    while n < limit and time.monotonic() < end_at:
        path = paths[(offset + n) % len(paths)] + f"%0A%23%20{nonce}-{client}-{n}"
        n += 1
        sent = time.monotonic()
        try:
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            latencies.append(time.monotonic() - sent)
            if response.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    results.put((latencies, errors, time.monotonic()))


def run_python(
    port: int, paths: list[str], accept: str, clients: int, seconds: float, limit: int, nonce: str
) -> Cell:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 0.3
    per_client = math.ceil(limit / clients)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    processes = [
        context.Process(
            target=_python_client,
            args=(
                port,
                paths,
                accept,
                start_at,
                start_at + seconds,
                per_client,
                c * 7919,
                nonce,
                c,
                results,
            ),
        )
        for c in range(clients)
    ]
    for p in processes:
        p.start()
    gathered = [results.get() for _ in processes]
    for p in processes:
        p.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    latencies = sorted(x for lats, _, _ in gathered for x in lats)
    wall = max(end for _, _, end in gathered) - start_at
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    def percentile(q: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, math.ceil(q * len(latencies)) - 1)] * 1000

    return Cell(
        requests=len(latencies) - sum(e for _, e, _ in gathered),
        seconds=wall,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        errors=sum(e for _, e, _ in gathered),
        client_cpu=cpu / wall if wall else 0.0,
    )


@dataclass
class Load:
    """One scenario against one server, at one concurrency."""

    port: int
    paths: list[str]
    paths_file: Path
    accept: str
    clients: int

    def run(self, driver: str, seconds: float, limit: int, nonce: str) -> Cell:
        nonce = quote(nonce, safe="")  # it goes into the URL as it is
        if driver == "wrk":
            return run_wrk(
                self.port, self.paths_file, self.accept, self.clients, seconds, limit, nonce
            )
        return run_python(self.port, self.paths, self.accept, self.clients, seconds, limit, nonce)


# Checks ------------------------------------------------------------------------------------------


def answers_agree(ports: dict[str, int], data: DataSet, sample: int = 20) -> str:
    """Do both servers give the same number of rows for some lookups, and the same aggregate?"""

    def rows(port: int, query: str) -> list[dict]:
        status, body = http_get(port, query, SELECT_JSON)
        if status != 200:
            raise RuntimeError(f"HTTP {status} for {query!r}: {body[:200]!r}")
        return json.loads(body)["results"]["bindings"]

    differences = []
    for iri in data.subjects[:sample]:
        query = SCENARIOS["lookup"][0].replace("{iri}", iri)
        counts = {name: len(rows(port, query)) for name, port in ports.items()}
        if len(set(counts.values())) > 1:
            differences.append(f"<{iri}>: {counts}")
    aggregate = {
        name: {
            r["class"]["value"]: int(r["n"]["value"]) for r in rows(port, SCENARIOS["aggregate"][0])
        }
        for name, port in ports.items()
    }
    if len({json.dumps(a, sort_keys=True) for a in aggregate.values()}) > 1:
        differences.append("the aggregate differs")
    if differences:
        return "NO: " + "; ".join(differences)
    classes = next(iter(aggregate.values()))
    return f"yes ({sample} lookups, aggregate over {len(classes)} classes)"


# The run -----------------------------------------------------------------------------------------


@dataclass
class Row:
    data: str
    triples: int
    scenario: str
    clients: int
    cells: dict[str, Cell]


def measure_data_set(data: DataSet, args, work: Path, driver: str, rows: list[Row]) -> None:
    with_baseline = data.triples <= args.baseline_max_triples
    servers = [our_server(data.root, free_port(), work / f"ours-{data.name}.log")]
    if with_baseline:
        servers.append(baseline_server(data.root, free_port(), work / f"rdflib-{data.name}.log"))
    else:
        print(f"  rdflib-endpoint skipped: {data.triples} triples > --baseline-max-triples")
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready(args.startup_timeout)
            print(f"  {server.name}: ready {server.ready_after:.1f} s after start", flush=True)
        ports = {s.name: s.port for s in servers}
        if with_baseline:
            print(f"  same answers: {answers_agree(ports, data)}", flush=True)
        cell_index = 0
        for scenario in args.scenarios:
            paths = request_paths(scenario, data)
            paths_file = work / f"paths-{data.name}-{scenario}.txt"
            paths_file.write_text("\n".join(paths) + "\n")
            accept = SCENARIOS[scenario][1]
            for clients in args.clients:
                order = servers if cell_index % 2 == 0 else servers[::-1]
                cell_index += 1
                cells: dict[str, Cell] = {}
                for server in order:
                    load = Load(server.port, paths, paths_file, accept, clients)
                    nonce = f"{data.name}.{scenario}.{clients}.{server.name}"
                    # Neither server stops a query whose client has gone: let both finish what
                    # earlier cells (and the warm-up) left running before measuring.
                    wait_idle(servers)
                    if args.warmup > 0:
                        load.run(driver, args.warmup, args.max_requests, nonce + ".warm-up")
                        wait_idle(servers)
                    cpu_before = session_cpu(server.pid)
                    cell = load.run(driver, args.duration, args.max_requests, nonce)
                    cell.server_cpu = session_cpu(server.pid) - cpu_before
                    cells[server.name] = cell
                    print(
                        f"  {scenario:<9} {clients:>2} clients  {server.name:<15} {cell.summary()}",
                        flush=True,
                    )
                rows.append(Row(data.name, data.triples, scenario, clients, cells))
    finally:
        for server in servers:
            server.stop()


def ratio(ours: Cell | None, theirs: Cell | None) -> tuple[float | None, float | None]:
    """Throughput ours/theirs and p99 ours/theirs (None when theirs has no figure)."""
    if not ours or not theirs or not theirs.rate:
        return None, None
    p99 = ours.p99_ms / theirs.p99_ms if theirs.p99_ms and not math.isnan(theirs.p99_ms) else None
    return ours.rate / theirs.rate, p99


def fmt(value: float | None, spec: str) -> str:
    """``value`` in ``spec``, or a dash as wide when there is no figure."""
    if value is None or math.isnan(value):
        return format("—", spec.rstrip("f").split(".")[0])
    return format(value, spec)


def print_table(rows: list[Row]) -> None:
    """One line per cell: each server's figures, then ours/theirs. "cpu" is the CPU time all of a
    server's processes used per answer (ms), a figure that other load on the machine disturbs less.
    """
    columns = f"{'p50 ms':>8}{'p99 ms':>9}{'err':>5}{'cpu':>8}"
    head = (
        f"{'data':<11}{'triples':>8} {'scenario':<10}{'cl':>2} |"
        f"{'ours req/s':>11}{columns} |{'rdflib req/s':>13}{columns} |"
        f"{'req/s ×':>8}{'p99 ratio':>10}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        ours, theirs = row.cells.get("ours"), row.cells.get("rdflib-endpoint")
        speed, p99 = ratio(ours, theirs)

        def part(cell: Cell | None, width: int) -> str:
            if cell is None:
                return f"{'—':>{width}}{'—':>8}{'—':>9}{'—':>5}{'—':>8}"
            return (
                f"{cell.rate:>{width}.1f}{fmt(cell.p50_ms, '>8.2f')}{fmt(cell.p99_ms, '>9.2f')}"
                f"{cell.errors:>5}{fmt(cell.cpu_ms_per_request, '>8.2f')}"
            )

        print(
            f"{row.data:<11}{row.triples:>8} {row.scenario:<10}{row.clients:>2} |"
            f"{part(ours, 11)} |{part(theirs, 13)} |"
            f"{fmt(speed, '>7.1f')}×{fmt(p99, '>10.2f')}"
        )


def print_targets(rows: list[Row]) -> None:
    """The issue's targets, 8 concurrent clients, as information (nothing fails)."""
    print("\nIssue 3 targets (8 concurrent clients; information, not a test):")
    printed = 0
    for row in rows:
        if row.clients != 8 or row.scenario not in ("lookup", "aggregate"):
            continue
        speed, p99 = ratio(row.cells.get("ours"), row.cells.get("rdflib-endpoint"))
        if speed is None:
            continue
        on_100k = row.data != "real" and 50_000 < row.triples < 200_000
        if row.scenario == "lookup" and (row.data == "real" or on_100k):
            met = speed >= 5 and p99 is not None and p99 < 1
            goal = "≥ 5× throughput and lower p99"
        elif row.scenario == "aggregate" and on_100k:
            met, goal = speed >= 20, "≥ 20× throughput"
        else:
            continue
        failed = sum(c.errors for c in row.cells.values())
        verdict = "met" if met else "NOT met"
        if failed:
            verdict = f"not measured: {failed} failed requests (see the server logs)"
        print(
            f"  {row.data:<11} {row.scenario:<9} {goal:<31} "
            f"measured {speed:.1f}×, p99 ratio {fmt(p99, '.2f')}: {verdict}"
        )
        printed += 1
    if not printed:
        print("  (none measured in this run: they need 8 clients, real or 100k data, both servers)")


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])

    def csv(kind):
        return lambda text: [kind(x) for x in text.split(",") if x]

    parser.add_argument(
        "--data",
        type=csv(str),
        default=["real", "100000"],
        help="comma-separated: 'real' and/or synthetic sizes in triples (10000,100000,1000000)",
    )
    parser.add_argument("--clients", type=csv(int), default=[1, 8])
    parser.add_argument("--scenarios", type=csv(str), default=list(SCENARIOS))
    parser.add_argument("--duration", type=float, default=10, help="seconds per cell, at most")
    parser.add_argument("--max-requests", type=int, default=20000, help="answers per cell, at most")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of warm-up per cell")
    parser.add_argument("--driver", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--baseline-max-triples",
        type=int,
        default=2_000_000,
        help="skip rdflib-endpoint on larger data (it loads 1M triples in about a minute)",
    )
    parser.add_argument("--startup-timeout", type=float, default=600)
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "rivm-bench")
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    driver = args.driver
    if driver == "auto":
        driver = "wrk" if shutil.which("wrk") else "python"
    work: Path = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    settings = load_settings()
    wrk_version = ""
    if driver == "wrk":
        probe = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        wrk_version = (probe.stdout + probe.stderr).split("Copyright")[0].strip()
    print(
        f"machine: {os.cpu_count()} cores (os.cpu_count()), {platform.platform()}, "
        f"Python {platform.python_version()}"
    )
    print(f"load driver: {driver} {wrk_version}".rstrip())
    print(
        f"ours: rivm-graph serve (gunicorn gthread), workers={settings['WORKERS']} "
        f"threads={settings['THREADS']} query workers={settings['QUERY_WORKERS']} per worker, "
        f"pyoxigraph {metadata.version('pyoxigraph')}"
    )
    lifted = ", ".join(f"{k}={os.environ.get(k, v)}" for k, v in LIFTED_BUDGETS.items())
    print(f"ours, per-client budgets lifted (all load comes from one client): {lifted}")
    print(
        f"baseline: rdflib-endpoint {metadata.version('rdflib-endpoint')}, uvicorn "
        f"{metadata.version('uvicorn')}, rdflib {metadata.version('rdflib')}, one process"
    )
    print(
        f"cells: at most {args.duration:g} s or {args.max_requests} answers, after "
        f"{args.warmup:g} s of warm-up; every request unique (no cache can answer it)\n"
    )
    rows: list[Row] = []
    for spec in args.data:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"data {spec} (load average before: {load}):", flush=True)
        data = prepare_data(spec, work)
        print(f"  {data.triples} triples loaded, {len(data.subjects)} resources to look up")
        measure_data_set(data, args, work, driver, rows)
        print()
    print(f"Results ({os.cpu_count()} cores, load driver {driver}):\n")
    print_table(rows)
    print_targets(rows)
    out = work / "results.json"
    out.write_text(
        json.dumps(
            {
                "cores": os.cpu_count(),
                "driver": driver,
                "rows": [
                    {
                        **asdict(r),
                        "cells": {
                            k: {
                                **asdict(c),
                                "rate": c.rate,
                                "cpu_ms_per_request": c.cpu_ms_per_request,
                            }
                            for k, c in r.cells.items()
                        },
                    }
                    for r in rows
                ],
            },
            indent=1,
        )
    )
    print(f"\n(figures also in {out}; server logs in {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
