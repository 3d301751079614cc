"""Side by side on the same data: the project's SPARQL server on its embedded store, the same
server on Virtuoso, a minimal Flask + pyoxigraph server (the limit of this stack) and
rdflib-endpoint 0.6.3 as the baseline.

    python -m bench.run [--data real,100000] [--clients 1,8] [--duration 10] [--max-requests 20000]
                        [--stores oxigraph,minimal,virtuoso,baseline] [--virtuoso-buffers 60000]

For each data set (``real``: the repository; a number: the synthetic graph of about that many
triples, written by bench/synthetic.py), it starts up to four contenders on free loopback ports,
chosen with ``--stores`` (default: all four):

- ``oxigraph``, column "ours": ``rivm-graph serve`` on its embedded Oxigraph store (the production
  gunicorn configuration, settings from ``RIVM_*``);
- ``virtuoso``, column "ours-virtuoso": first a throw-away Virtuoso 7 (``virtuoso-t``, started by
  tests/virtuoso.py with its own database folder, ``--virtuoso-buffers`` page buffers and a result
  cap above the data set's size), loaded with ``rivm-graph --root ROOT load --into URL`` (the time
  the load took is printed); then the same ``rivm-graph serve``, with the same settings and lifted
  budgets, but ``RIVM_STORE=sparql`` and ``RIVM_SPARQL_QUERY_URL`` pointing at that Virtuoso: the
  ontology and query catalogue come from the root folder, every query goes to the engine over HTTP.
  Without ``virtuoso-t`` on the PATH this column is left out, with a note;
- ``minimal``, column "minimal": ``python -m bench.minimal``, a Flask app of a few lines over an
  in-memory pyoxigraph store loaded the same way as ours (each file in its named graph, queries over
  their union), with none of our safety (no deadline, guard, cache, budgets nor logs), under
  gunicorn sync workers with ``--preload``, ``--minimal-workers`` of them (default: one per usable
  core, as the issue measured it). What our server costs beyond it is the price of its safety;
- ``baseline``, column "rdflib-endpoint": ``python -m bench.baseline`` (rdflib-endpoint under
  uvicorn, one process); left out above ``--baseline-max-triples`` (default 2,000,000, so it does
  run on the 1M graph, where it loads in over a minute and its aggregate may not finish in time:
  ``--stores oxigraph,virtuoso`` leaves it out).

Then, for each scenario and number of concurrent clients, it drives one contender after the other
with the same load (the order rotates from cell to cell), each cell bounded by ``--duration``
seconds or ``--max-requests`` answers, whichever comes first, after a short warm-up. Scenarios:

- ``lookup``: ``SELECT ?p ?o WHERE { <iri> ?p ?o }``, the IRI changing on every request;
- ``aggregate``: ``SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class``;
- ``describe``: ``DESCRIBE <iri>``, the IRI changing on every request;
- ``search``: ``/search?format=json&q=<name>``, a resource's name changing on every request;
- ``reconcile``: a batch of 10 reconciliation queries (``/reconcile?queries=``), one in three
  misspelled, as OpenRefine sends them; these two run on our server only.

(Our DESCRIBE also gives the labels of the resources the description links to; the minimal
server's and rdflib-endpoint's give the plain description: ours does more work per request.)

Every request also carries a unique comment, so no answer cache (ours, or rdflib-endpoint's parsed
query cache) ever serves it: each figure is the cost of evaluating the query. The load comes from
``wrk`` with a Lua script when it is installed, else from Python client processes with keep-alive
connections. It prints every figure (successful answers per second, p50 and p99 latency, errors,
the CPU time a contender's processes spent per answer, Virtuoso's included for "ours-virtuoso",
the load driver's own CPU use), the ratios (ours/minimal, ours/rdflib-endpoint, ours on
Virtuoso/ours embedded, ours on Virtuoso/rdflib-endpoint), the memory of every contender's
processes (PSS and RSS, after start-up and after the last cell; Virtuoso's process apart, with its
peak RSS), the machine's core count, the goals of issue 18 with the figures measured against them,
and the scale curve: per data set and contender, start-up, memory, and lookup and aggregate
throughput and p99 (also in ``results.json``). It asserts nothing. Everything runs on one
machine, so Virtuoso shares its cores with our server and the load driver. Our server's per-client
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

from rivm_graph.config import load_settings, server_processes, usable_cores
from rivm_graph.rdf.labels import LABEL_PREDICATES
from rivm_graph.rdf.namespaces import ID_BASE
from rivm_graph.stores.files import data_files, graph_files
from tests.virtuoso import Virtuoso, running_virtuoso
from tests.virtuoso import binary as virtuoso_binary

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
#: Scenarios of our own surfaces (not SPARQL: rdflib-endpoint has none of them), each request a
#: path that the load drivers make unique with a tag in the ``_`` parameter (no answer cache
#: serves it: the figure is the cost of answering):
#: ``search``: ``/search?format=json&q=<a resource's name>``;
#: ``reconcile``: a batch of 10 queries as OpenRefine sends them (``queries=`` JSON), one in
#: three misspelled (a letter left out).
OWN_SCENARIOS: dict[str, str] = {"search": "application/json", "reconcile": "application/json"}
RECONCILE_BATCH = 10

#: The contenders, by the name of their column; ENGINE is Virtuoso's own process (memory).
OURS, OURS_VIRTUOSO, BASELINE, ENGINE = "ours", "ours-virtuoso", "rdflib-endpoint", "virtuoso-t"
MINIMAL = "minimal"
#: ``--stores`` names → contenders, in the order of the table's columns.
STORES = {"oxigraph": OURS, "minimal": MINIMAL, "virtuoso": OURS_VIRTUOSO, "baseline": BASELINE}
TITLES = {
    OURS: "ours, embedded Oxigraph",
    MINIMAL: "minimal Flask+pyoxigraph",
    OURS_VIRTUOSO: "ours on Virtuoso",
    BASELINE: BASELINE,
}
#: The contenders that serve our own surfaces (OWN_SCENARIOS) besides SPARQL.
SERVE_OWN = (OURS, OURS_VIRTUOSO)
#: Ratios printed, first/second: (first, second, title).
RATIOS = [
    (OURS, MINIMAL, "embedded/minimal"),
    (OURS, BASELINE, "embedded/rdflib"),
    (OURS_VIRTUOSO, OURS, "Virtuoso/embedded"),
    (OURS_VIRTUOSO, BASELINE, "Virtuoso/rdflib"),
]


# Servers -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat_fields(pid: int | str) -> list[str] | None:
    """/proc/<pid>/stat from field 3 (state) on, or None when the process is gone."""
    try:
        stat = Path("/proc", str(pid), "stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()


def _cpu_seconds(fields: list[str]) -> float:
    """utime, stime, cutime and cstime: the process's threads and the children it reaped."""
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def session_pids(session: int) -> list[int]:
    """Every process of a session (Linux /proc; none elsewhere)."""
    pids = []
    if Path("/proc/self/stat").exists():
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                fields = _stat_fields(entry.name)
                if fields is not None and int(fields[3]) == session:  # field 6: session id
                    pids.append(int(entry.name))
    return pids


def session_cpu(session: int) -> float:
    """CPU seconds used so far by every process of a session (Linux /proc; NaN elsewhere),
    including children they have reaped (a replaced query worker, say)."""
    if not Path("/proc/self/stat").exists():
        return float("nan")
    total = 0.0
    for pid in session_pids(session):
        fields = _stat_fields(pid)
        if fields is not None:
            total += _cpu_seconds(fields)
    return total


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by one process, all its threads (NaN without /proc)."""
    fields = _stat_fields(pid)
    return _cpu_seconds(fields) if fields is not None else float("nan")


@dataclass
class Memory:
    """Memory of a group of processes, in kB (Linux /proc; zeros elsewhere). PSS shares each page
    among the processes that map it (forked workers share the graph); RSS counts it in each."""

    processes: int = 0
    rss_kb: int = 0
    pss_kb: int = 0
    peak_rss_kb: int = 0  # the sum of each process's highest RSS so far (VmHWM)

    def add(self, pid: int) -> None:
        values = {}
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(("VmRSS:", "VmHWM:")):
                    values[line[:5]] = int(line.split()[1])
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    values["Pss"] = int(line.split()[1])
                    break
        except (OSError, ValueError):
            return
        self.processes += 1
        self.rss_kb += values.get("VmRSS", 0)
        self.peak_rss_kb += values.get("VmHWM", 0)
        self.pss_kb += values.get("Pss", 0)

    def summary(self) -> str:
        mb = 1024
        peak = f", peak RSS {self.peak_rss_kb / mb:.0f} MB" if self.processes == 1 else ""
        return (
            f"PSS {self.pss_kb / mb:>6.0f} MB  RSS {self.rss_kb / mb:>6.0f} MB"
            f"  ({self.processes} process{'es' if self.processes != 1 else ''}{peak})"
        )


def memory_of(pids: list[int]) -> Memory:
    memory = Memory()
    for pid in pids:
        memory.add(pid)
    return memory


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

    def __init__(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str],
        log: Path,
        engine: Virtuoso | None = None,
    ):
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.engine = engine  # the SPARQL engine it queries: its work counts as the server's
        self.port = int(argv[argv.index("--port") + 1])
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.ready_after: float | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def cpu(self) -> float:
        """CPU seconds used so far by the server's processes and by its engine, if any."""
        return session_cpu(self.pid) + (self.engine_cpu() or 0.0)

    def engine_cpu(self) -> float | None:
        """CPU seconds used so far by its engine (None: it has none)."""
        return process_cpu(self.engine.pid) if self.engine is not None else None

    def memory(self) -> dict[str, Memory]:
        """The server's processes, and its engine's apart."""
        parts = {self.name: memory_of(session_pids(self.pid))}
        if self.engine is not None:
            parts[ENGINE] = memory_of([self.engine.pid])
        return parts

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
    """Wait until no server (nor its engine) uses more than ``busy`` of a core (queries left
    running by clients that have gone), at most ``timeout`` seconds; say so when it took a while."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        before = [s.cpu() for s in servers]
        time.sleep(0.25)
        used = [(s.cpu() - b) / 0.25 for s, b in zip(servers, before, strict=True)]
        if not any(u > busy for u in used):  # also true when /proc is not there (NaN)
            break
    waited = time.perf_counter() - started
    if waited > 2:
        print(f"    (waited {waited:.0f} s for the servers to finish earlier queries)", flush=True)


def rivm_graph() -> list[str]:
    """The command line of the ``rivm-graph`` of this Python."""
    script = Path(sys.executable).with_name("rivm-graph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rivm_graph.cli"]


def embedded() -> str:
    """The embedded store measured: on disk (the default), or ``RIVM_STORE=oxigraph-memory`` if
    the environment says so (to compare the two)."""
    return "oxigraph-memory" if os.environ.get("RIVM_STORE") == "oxigraph-memory" else "oxigraph"


def our_server(root: Path, port: int, log: Path, engine: Virtuoso | None = None) -> Server:
    """``rivm-graph serve`` on the embedded store, or on ``engine`` (RIVM_STORE=sparql), with the
    same settings and lifted budgets either way."""
    env = {**LIFTED_BUDGETS, **os.environ, "RIVM_DATA_ROOT": str(root), "RIVM_STORE": embedded()}
    if engine is not None:
        env.update(RIVM_STORE="sparql", RIVM_SPARQL_QUERY_URL=engine.query_url)
    argv = [*rivm_graph(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return Server(OURS_VIRTUOSO if engine else OURS, argv, env, log, engine)


def bench_server(name: str, module: str, root: Path, port: int, log: Path, *extra: str) -> Server:
    """``python -m bench.<module> --root ROOT --port PORT`` (the baseline, the minimal server)."""
    argv = [sys.executable, "-m", module, "--root", str(root), "--port", str(port), *extra]
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPOSITORY), os.environ.get("PYTHONPATH")])),
    )
    return Server(name, argv, env, log)


def virtuoso_version() -> str:
    binary = virtuoso_binary()
    if binary is None:
        return "virtuoso-t not installed"
    probe = subprocess.run([binary, "+version"], capture_output=True, text=True, check=False)
    lines = (probe.stdout + probe.stderr).splitlines()
    version = next((line for line in lines if line.startswith("Version")), "version unknown")
    return f"Virtuoso Open Source {version.removeprefix('Version ')}"


def load_into(engine: Virtuoso, root: Path, log: Path) -> tuple[float, str]:
    """``rivm-graph --root ROOT load --into URL``, as an operator runs it: (seconds, its summary).
    The time includes parsing the files locally and checking the counts in the engine."""
    argv = [*rivm_graph(), "--root", str(root), "load", "--into", engine.query_url]
    env = {**os.environ, "RIVM_SPARQL_USER": engine.user, "RIVM_SPARQL_PASSWORD": engine.password}
    started = time.perf_counter()
    with log.open("wb") as out:
        done = subprocess.run(
            argv, cwd=REPOSITORY, env=env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    seconds = time.perf_counter() - started
    lines = log.read_text(errors="replace").strip().splitlines() or ["(no output)"]
    if done.returncode != 0:
        raise RuntimeError(f"rivm-graph load failed ({done.returncode}): {lines[-1]}; see {log}")
    return seconds, lines[-1]


# Data --------------------------------------------------------------------------------------------


@dataclass
class DataSet:
    name: str
    root: Path
    triples: int = 0
    subjects: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # labels of those resources (search)


def read_data(name: str, root: Path, seed: int) -> DataSet:
    """Count what the servers load, and list the resources (subjects of data/) to look up."""
    data = DataSet(name, root)
    in_data = {p.resolve() for p in data_files(root)}
    subjects: set[str] = set()
    names: set[str] = set()
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
                if quad.predicate.value in LABEL_PREDICATES and isinstance(quad.object, ox.Literal):
                    names.add(quad.object.value)
    data.subjects = sorted(subjects)
    random.Random(seed).shuffle(data.subjects)
    data.names = sorted(names)
    random.Random(seed).shuffle(data.names)
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


def misspelled(name: str) -> str:
    """The name with a letter of its middle left out (as a person types in a hurry)."""
    middle = len(name) // 2
    return name[:middle] + name[middle + 1 :] if len(name) > 4 else name


def request_paths(scenario: str, data: DataSet) -> list[str]:
    """The paths of the requests of a scenario; the drivers append the tag that makes each
    unique (SPARQL: a comment; ours: the value of ``_``, the last parameter)."""
    if scenario == "search":
        return [f"/search?format=json&q={quote(name, safe='')}&_=" for name in data.names]
    if scenario == "reconcile":
        paths = []
        for start in range(0, len(data.names), RECONCILE_BATCH):
            batch = data.names[start : start + RECONCILE_BATCH]
            queries = {
                f"q{i}": {"query": misspelled(n) if i % 3 == 2 else n, "limit": 3}
                for i, n in enumerate(batch)
            }
            paths.append(f"/reconcile?queries={quote(json.dumps(queries), safe='')}&_=")
        return paths
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
    server_cpu: float = float("nan")  # CPU seconds used by all the server's processes, engine too
    engine_cpu: float | None = None  # of which the engine's (Virtuoso), if the server has one

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu * 1000 / self.requests if self.requests else float("nan")

    @property
    def engine_ms_per_request(self) -> float | None:
        if self.engine_cpu is None:
            return None
        return self.engine_cpu * 1000 / self.requests if self.requests else float("nan")

    def summary(self) -> str:
        engine = self.engine_ms_per_request
        of_which = f" (Virtuoso {fmt(engine, '.2f')})" if engine is not None else ""
        return (
            f"{self.rate:>9.1f} req/s  p50 {fmt(self.p50_ms, '>8.2f')} ms  "
            f"p99 {fmt(self.p99_ms, '>8.2f')} ms  n={self.requests:<6} err={self.errors:<4} "
            f"{self.seconds:5.1f} s  server CPU {fmt(self.cpu_ms_per_request, '>6.2f')} ms/req"
            f"{of_which}  client CPU {self.client_cpu:4.0%}"
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


@dataclass
class DataReport:
    """What a data set cost besides the cells: start-up, the load into Virtuoso, memory."""

    data: str
    triples: int
    ready_s: dict[str, float] = field(default_factory=dict)  # contender → seconds to first answer
    virtuoso_load_s: float | None = None  # rivm-graph load --into, wall-clock seconds
    virtuoso_buffers: int | None = None
    memory: dict[str, dict[str, Memory]] = field(default_factory=dict)  # moment → part → Memory
    notes: list[str] = field(default_factory=list)


def record_memory(report: DataReport, moment: str, servers: list[Server], engine=None) -> None:
    parts: dict[str, Memory] = {}
    for server in servers:
        parts.update(server.memory())
    if engine is not None and ENGINE not in parts:
        parts[ENGINE] = memory_of([engine.pid])
    report.memory[moment] = parts
    print(f"  memory {moment}:")
    for name, memory in parts.items():
        print(f"    {name:<16} {memory.summary()}", flush=True)


def start_virtuoso(
    stack: contextlib.ExitStack, data: DataSet, args, work: Path, report: DataReport
) -> Virtuoso:
    """A fresh Virtuoso for this data set (stopped when ``stack`` closes), loaded with
    ``rivm-graph load``. Its result cap is above the data set's size: the remote store refuses to
    build dumps from graphs the cap would cut; so is the number of rows it may sort, or the
    front-end refuses an engine that cannot page a listing to its end. A failed load stops it
    at once."""
    with contextlib.ExitStack() as own:
        above = max(10_000, 2 * data.triples)
        engine = own.enter_context(
            running_virtuoso(max_rows=above, max_sorted_rows=above, buffers=args.virtuoso_buffers)
        )
        report.virtuoso_buffers = args.virtuoso_buffers
        seconds, summary = load_into(engine, data.root, work / f"load-virtuoso-{data.name}.log")
        stack.enter_context(own.pop_all())
    report.virtuoso_load_s = seconds
    print(f"  virtuoso-t: rivm-graph load took {seconds:.1f} s: {summary}", flush=True)
    return engine


def measure_data_set(data: DataSet, args, work: Path, driver: str, rows: list[Row]) -> DataReport:
    report = DataReport(data.name, data.triples)
    contenders = list(args.contenders)

    def leave_out(name: str, why: str) -> None:
        contenders.remove(name)
        report.notes.append(f"{name} left out: {why}")
        print(f"  {name} left out: {why}", flush=True)

    if BASELINE in contenders and data.triples > args.baseline_max_triples:
        leave_out(BASELINE, f"{data.triples} triples > --baseline-max-triples")
    servers: list[Server] = []
    with contextlib.ExitStack() as stack:
        stack.callback(lambda: [server.stop() for server in servers])  # before Virtuoso stops
        engine = None
        if OURS_VIRTUOSO in contenders:
            # Started and loaded first, alone on the machine, so the load time is its own.
            try:
                engine = start_virtuoso(stack, data, args, work, report)
            except (OSError, RuntimeError) as error:
                leave_out(OURS_VIRTUOSO, str(error))
        # One after the other, each ready before the next starts, so that each one's start-up
        # time is its own (the scale curve reports it); ours on Virtuoso after ours, so it finds
        # the dumps of this data version built (the same files serve both).
        if OURS in contenders:
            servers.append(our_server(data.root, free_port(), work / f"ours-{data.name}.log"))
        if MINIMAL in contenders:
            log = work / f"minimal-{data.name}.log"
            workers = ["--workers", str(args.minimal_workers)]
            servers.append(
                bench_server(MINIMAL, "bench.minimal", data.root, free_port(), log, *workers)
            )
        if BASELINE in contenders:
            log = work / f"rdflib-{data.name}.log"
            servers.append(bench_server(BASELINE, "bench.baseline", data.root, free_port(), log))
        if engine is not None:
            log = work / f"ours-virtuoso-{data.name}.log"
            servers.append(our_server(data.root, free_port(), log, engine))
        for server in servers:
            server.start()
            server.wait_ready(args.startup_timeout)
            report.ready_s[server.name] = server.ready_after or 0.0
            print(f"  {server.name}: ready {server.ready_after:.1f} s after start", flush=True)
        if not servers:
            print("  nothing left to measure on this data set", flush=True)
            return report
        columns = list(STORES.values())
        servers.sort(key=lambda s: columns.index(s.name))
        record_memory(report, "after start-up", servers, engine)
        if len(servers) > 1:
            ports = {s.name: s.port for s in servers}
            print(f"  same answers: {answers_agree(ports, data)}", flush=True)
        cell_index = 0
        for scenario in args.scenarios:
            paths = request_paths(scenario, data)
            paths_file = work / f"paths-{data.name}-{scenario}.txt"
            paths_file.write_text("\n".join(paths) + "\n")
            accept = OWN_SCENARIOS.get(scenario) or SCENARIOS[scenario][1]
            if not paths or paths == ["/sparql?query="]:
                print(f"  {scenario}: nothing to ask on this data set", flush=True)
                continue
            for clients in args.clients:
                shift = cell_index % len(servers)
                order = servers[shift:] + servers[:shift]  # each goes first in turn
                cell_index += 1
                cells: dict[str, Cell] = {}
                for server in order:
                    if scenario in OWN_SCENARIOS and server.name not in SERVE_OWN:
                        continue  # the others have no search nor reconciliation
                    load = Load(server.port, paths, paths_file, accept, clients)
                    nonce = f"{data.name}.{scenario}.{clients}.{server.name}"
                    # No server stops a query whose client has gone: let all finish what
                    # earlier cells (and the warm-up) left running before measuring.
                    wait_idle(servers)
                    if args.warmup > 0:
                        load.run(driver, args.warmup, args.max_requests, nonce + ".warm-up")
                        wait_idle(servers)
                    cpu_before, engine_before = server.cpu(), server.engine_cpu()
                    cell = load.run(driver, args.duration, args.max_requests, nonce)
                    cell.server_cpu = server.cpu() - cpu_before
                    if engine_before is not None:
                        cell.engine_cpu = (server.engine_cpu() or 0.0) - engine_before
                    cells[server.name] = cell
                    print(
                        f"  {scenario:<9} {clients:>2} clients  {server.name:<15} {cell.summary()}",
                        flush=True,
                    )
                rows.append(Row(data.name, data.triples, scenario, clients, cells))
        record_memory(report, "after the last cell", servers, engine)
    return report


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
    """One line per cell: each contender's figures in its column group. "cpu" is the CPU time all
    of a contender's processes used per answer (ms; for "ours on Virtuoso", our server's and
    Virtuoso's together), a figure that other load on the machine disturbs less."""
    names = [n for n in STORES.values() if any(n in r.cells for r in rows)]
    lead = f"{'data':<11}{'triples':>8} {'scenario':<10}{'cl':>2} "
    figures = f"{'req/s':>9}{'p50 ms':>8}{'p99 ms':>9}{'err':>5}{'cpu':>7}"
    width = len(figures)
    print((" " * len(lead) + "".join(f"| {TITLES[n]:<{width}} " for n in names)).rstrip())
    head = (lead + "".join(f"|{figures}  " for _ in names)).rstrip()
    print(head)
    print("-" * len(head))
    for row in rows:

        def part(cell: Cell | None) -> str:
            if cell is None:
                return f"{'—':>9}{'—':>8}{'—':>9}{'—':>5}{'—':>7}"
            return (
                f"{cell.rate:>9.1f}{fmt(cell.p50_ms, '>8.2f')}{fmt(cell.p99_ms, '>9.2f')}"
                f"{cell.errors:>5}{fmt(cell.cpu_ms_per_request, '>7.2f')}"
            )

        print(
            f"{row.data:<11}{row.triples:>8} {row.scenario:<10}{row.clients:>2} "
            + "".join(f"|{part(row.cells.get(n))}  " for n in names).rstrip()
        )


def print_ratios(rows: list[Row]) -> None:
    """Throughput first/second (×) and p99 first/second, for each pair of contenders measured."""
    names = {n for r in rows for n in r.cells}
    pairs = [(a, b, title) for a, b, title in RATIOS if a in names and b in names]
    if not pairs:
        return
    lead = f"{'data':<11}{'triples':>8} {'scenario':<10}{'cl':>2} "
    figures = f"{'req/s ×':>9}{'p99 ratio':>11}"
    print("\nRatios (req/s first/second: above 1 the first is faster; p99: below 1 it is quicker):")
    print((" " * len(lead) + "".join(f"| {t:<{len(figures)}} " for _, _, t in pairs)).rstrip())
    head = (lead + "".join(f"|{figures}  " for _ in pairs)).rstrip()
    print(head)
    print("-" * len(head))
    for row in rows:
        figures = [ratio(row.cells.get(a), row.cells.get(b)) for a, b, _ in pairs]
        if all(speed is None for speed, _ in figures):
            continue  # a scenario of ours alone (search, reconciliation)
        parts = [f"|{fmt(speed, '>8.2f')}×{fmt(p99, '>11.2f')}  " for speed, p99 in figures]
        lead = f"{row.data:<11}{row.triples:>8} {row.scenario:<10}{row.clients:>2} "
        print((lead + "".join(parts)).rstrip())


def print_data_reports(reports: list[DataReport]) -> None:
    """Start-up, load and memory per data set."""
    print("\nStart-up, load and memory:")
    for report in reports:
        ready = ", ".join(f"{name} {s:.1f} s" for name, s in report.ready_s.items())
        print(f"  {report.data} ({report.triples} triples): ready after start: {ready or '—'}")
        if report.virtuoso_load_s is not None:
            print(
                f"    rivm-graph load into Virtuoso: {report.virtuoso_load_s:.1f} s "
                f"({report.virtuoso_buffers} buffers of 8 kB)"
            )
        for note in report.notes:
            print(f"    {note}")
        for moment, parts in report.memory.items():
            print(f"    memory {moment}:")
            for name, memory in parts.items():
                print(f"      {name:<16} {memory.summary()}")


#: Issue 18's goals for lookups at 8 clients: (against, throughput at least ×, p99 at most ×).
LOOKUP_GOALS = [(MINIMAL, 0.9, 1.5), (BASELINE, 10.0, None)]
#: Issue 14's aim for search at 8 clients: p99 under this many ms.
SEARCH_P99_AIM_MS = 10.0


def cell_errors(*cells: Cell | None) -> int:
    return sum(c.errors for c in cells if c is not None)


def goal_verdict(met: bool, *cells: Cell | None) -> str:
    failed = cell_errors(*cells)
    if failed:
        return f"not measured: {failed} failed requests (see the server logs)"
    return "met" if met else "NOT met"


def print_goals(rows: list[Row], reports: list[DataReport], clients: int = 8) -> None:
    """Issue 18's goals (and issue 14's aim for search), at ``clients`` concurrent clients, as
    information: nothing fails. Lookups against the minimal server (≥ 0.9× its throughput, p99 ≤
    1.5× its own) and rdflib-endpoint (≥ 10×); aggregate and DESCRIBE ratios beside them; our
    search and reconciliation latencies; the memory of ours against the minimal server's. The
    ratio of server CPU per answer is printed too: other work on a shared machine disturbs it less
    than throughput and p99 (it does not count the time a server waits for a core)."""
    print(f"\nIssue 18 goals ({clients} concurrent clients; information, not a test):")
    printed = 0
    for row in rows:
        if row.clients != clients:
            continue
        ours = row.cells.get(OURS)
        where = f"  {row.data:<11} {row.scenario:<9}"
        if row.scenario in OWN_SCENARIOS:
            if ours is None:
                continue
            aim = ""
            if row.scenario == "search":
                met = ours.p99_ms < SEARCH_P99_AIM_MS
                aim = f" (issue 14 aim p99 < {SEARCH_P99_AIM_MS:g} ms): {goal_verdict(met, ours)}"
            print(
                f"{where} ours {ours.rate:.0f} req/s, p50 {fmt(ours.p50_ms, '.1f')} ms, "
                f"p99 {fmt(ours.p99_ms, '.1f')} ms{aim}"
            )
            printed += 1
            continue
        for against, speed_goal, p99_goal in LOOKUP_GOALS:
            theirs = row.cells.get(against)
            speed, p99 = ratio(ours, theirs)
            if speed is None:
                continue
            assert ours is not None and theirs is not None  # ratio() gave a figure
            cpu = ours.cpu_ms_per_request / theirs.cpu_ms_per_request
            measured = (
                f"ours/{against} {speed:.2f}× throughput, p99 {fmt(p99, '.2f')}×, "
                f"CPU per answer {fmt(cpu, '.2f')}×"
            )
            if row.scenario != "lookup":
                failed = cell_errors(ours, theirs)
                print(
                    f"{where} {measured} (no goal{f'; {failed} failed requests' if failed else ''})"
                )
            else:
                met = speed >= speed_goal and (p99_goal is None or (p99 or math.inf) <= p99_goal)
                goal = f"goal ≥ {speed_goal:g}×" + (f", p99 ≤ {p99_goal:g}×" if p99_goal else "")
                print(f"{where} {measured} ({goal}): {goal_verdict(met, ours, theirs)}")
            printed += 1
    for report in reports:
        moment = next(iter(reversed(report.memory)), None)
        parts = report.memory.get(moment or "", {})
        if OURS in parts and MINIMAL in parts and parts[MINIMAL].pss_kb:
            ours_mb, minimal_mb = parts[OURS].pss_kb / 1024, parts[MINIMAL].pss_kb / 1024
            print(
                f"  {report.data:<11} memory    ours PSS {ours_mb:.0f} MB "
                f"({parts[OURS].processes} processes) = {ours_mb / minimal_mb:.2f}× the minimal "
                f"server's {minimal_mb:.0f} MB, {moment}\n{'':<23}(the minimal server: one store "
                "shared by its preloaded workers; goal at 1M: ≤ 1.5× one loaded store)"
            )
            printed += 1
    if not printed:
        print(f"  (none measured in this run: they need {clients} clients and ours beside another)")


@dataclass
class ScalePoint:
    """One contender on one data set, for the scale curve: what it took to start, the memory of
    all its processes (Virtuoso's included for ours on Virtuoso) after the last cell, and its
    lookup and aggregate figures at one number of clients."""

    data: str
    triples: int
    contender: str
    clients: int
    ready_s: float | None = None  # start to first answer (ours on Virtuoso: after the load)
    load_s: float | None = None  # rivm-graph load into Virtuoso (ours on Virtuoso only)
    pss_mb: float | None = None
    lookup_rate: float | None = None
    lookup_p99_ms: float | None = None
    aggregate_rate: float | None = None
    aggregate_p99_ms: float | None = None
    errors: int = 0  # failed requests in those two cells


def scale_curve(rows: list[Row], reports: list[DataReport], clients: int) -> list[ScalePoint]:
    points = []
    for report in reports:
        moment = next(iter(reversed(report.memory)), None)
        memory = report.memory.get(moment or "", {})
        for contender in STORES.values():
            cells = {
                r.scenario: r.cells[contender]
                for r in rows
                if r.data == report.data and r.clients == clients and contender in r.cells
            }
            if contender not in report.ready_s and not cells:
                continue
            point = ScalePoint(report.data, report.triples, contender, clients)
            point.ready_s = report.ready_s.get(contender)
            if contender == OURS_VIRTUOSO:
                point.load_s = report.virtuoso_load_s
            parts = [memory[contender]] if contender in memory else []
            if contender == OURS_VIRTUOSO and ENGINE in memory:
                parts.append(memory[ENGINE])
            if parts:
                point.pss_mb = sum(m.pss_kb for m in parts) / 1024
            if "lookup" in cells:
                lookup = cells["lookup"]
                point.lookup_rate, point.lookup_p99_ms = lookup.rate, lookup.p99_ms
            if "aggregate" in cells:
                aggregate = cells["aggregate"]
                point.aggregate_rate, point.aggregate_p99_ms = aggregate.rate, aggregate.p99_ms
            point.errors = cell_errors(cells.get("lookup"), cells.get("aggregate"))
            points.append(point)
    return points


def print_scale_curve(points: list[ScalePoint]) -> None:
    if not points:
        return
    print(
        f"\nScale curve ({points[0].clients} concurrent clients; ready: seconds from start to the "
        "first answer, the load\nincluded, but for ours on Virtuoso the load into the engine "
        "apart; PSS: all of a contender's processes\nafter the last cell, Virtuoso's included):"
    )
    head = (
        f"{'data':<11}{'triples':>9}  {'contender':<16}{'ready s':>8}{'load s':>8}{'PSS MB':>8}"
        f"{'lookup/s':>10}{'p99 ms':>9}{'aggr/s':>9}{'p99 ms':>10}{'err':>5}"
    )
    print(head)
    print("-" * len(head))
    for p in points:
        print(
            f"{p.data:<11}{p.triples:>9}  {p.contender:<16}{fmt(p.ready_s, '>8.1f')}"
            f"{fmt(p.load_s, '>8.1f')}{fmt(p.pss_mb, '>8.0f')}{fmt(p.lookup_rate, '>10.0f')}"
            f"{fmt(p.lookup_p99_ms, '>9.1f')}{fmt(p.aggregate_rate, '>9.1f')}"
            f"{fmt(p.aggregate_p99_ms, '>10.1f')}{p.errors:>5}"
        )


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0].replace("\n", " ")
    )

    def csv(kind):
        return lambda text: [kind(x) for x in text.split(",") if x]

    parser.add_argument(
        "--data",
        type=csv(str),
        default=["real", "100000"],
        help="comma-separated: 'real' and/or synthetic sizes in triples (10000,100000,1000000)",
    )
    parser.add_argument("--clients", type=csv(int), default=[1, 8])
    parser.add_argument("--scenarios", type=csv(str), default=[*SCENARIOS, *OWN_SCENARIOS])
    parser.add_argument("--duration", type=float, default=10, help="seconds per cell, at most")
    parser.add_argument("--max-requests", type=int, default=20000, help="answers per cell, at most")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of warm-up per cell")
    parser.add_argument("--driver", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--stores",
        type=csv(str),
        default=list(STORES),
        help="comma-separated contenders: oxigraph (ours, embedded store), minimal (a minimal "
        "Flask app over pyoxigraph, bench/minimal.py), virtuoso (ours on a throw-away Virtuoso, "
        "left out with a note if virtuoso-t is not installed), baseline (rdflib-endpoint); "
        "default: all",
    )
    parser.add_argument(
        "--minimal-workers",
        type=int,
        default=usable_cores(),
        help="gunicorn sync workers of the minimal server (default: one per usable core)",
    )
    parser.add_argument(
        "--virtuoso-buffers",
        type=int,
        default=60000,
        help="Virtuoso's NumberOfBuffers, 8 kB each (60000: up to 480 MB; used as needed)",
    )
    parser.add_argument(
        "--baseline-max-triples",
        type=int,
        default=2_000_000,
        help="skip rdflib-endpoint on larger data (it loads 1M triples in about a minute)",
    )
    parser.add_argument("--startup-timeout", type=float, default=600)
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "rivm-bench")
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS) - set(OWN_SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    unknown = set(args.stores) - set(STORES)
    if unknown or not args.stores:
        parser.error(f"--stores takes some of {','.join(STORES)}")
    args.contenders = [contender for store, contender in STORES.items() if store in args.stores]
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
    if OURS_VIRTUOSO in args.contenders and virtuoso_binary() is None:
        args.contenders.remove(OURS_VIRTUOSO)
        print(
            "ours-virtuoso left out: virtuoso-t is not installed "
            "(apt-get install virtuoso-opensource)"
        )
    if not args.contenders:
        print("nothing to measure: no contender left (see --stores)")
        return 1
    print(f"contenders: {', '.join(args.contenders)}")
    ours = [c for c in args.contenders if c in (OURS, OURS_VIRTUOSO)]
    if ours:
        print(
            f"{' and '.join(ours)}: rivm-graph serve (gunicorn gthread), "
            f"workers={server_processes(settings)} threads={settings['THREADS']}, "
            f"pyoxigraph {metadata.version('pyoxigraph')}"
        )
        lifted = ", ".join(f"{k}={os.environ.get(k, v)}" for k, v in LIFTED_BUDGETS.items())
        print(f"  per-client budgets lifted (all load comes from one client): {lifted}")
    if OURS in args.contenders:
        print(
            f"ours: RIVM_STORE={embedded()} (embedded: on disk, opened read-only by every "
            "process; oxigraph-memory: in each server's memory), "
            f"query workers={settings['QUERY_WORKERS']} per worker"
        )
    if OURS_VIRTUOSO in args.contenders:
        print(
            f"ours-virtuoso: RIVM_STORE=sparql on {virtuoso_version()}, on this machine, a "
            f"fresh database per data set, {args.virtuoso_buffers} buffers of 8 kB, "
            "ThreadsPerQuery 2 (tests/virtuoso.py); no query workers (the engine runs the "
            "queries, each one HTTP request from our server)"
        )
    if MINIMAL in args.contenders:
        print(
            f"minimal: bench/minimal.py, Flask {metadata.version('flask')} over pyoxigraph "
            f"{metadata.version('pyoxigraph')}, gunicorn {metadata.version('gunicorn')} "
            f"--preload, {args.minimal_workers} sync workers (one per usable core: each answers "
            "one request at a time); no deadline, guard, cache, budgets nor logs"
        )
    if BASELINE in args.contenders:
        print(
            f"baseline: rdflib-endpoint {metadata.version('rdflib-endpoint')}, uvicorn "
            f"{metadata.version('uvicorn')}, rdflib {metadata.version('rdflib')}, one process"
        )
    print(
        f"cells: at most {args.duration:g} s or {args.max_requests} answers, after "
        f"{args.warmup:g} s of warm-up; every request unique (no cache can answer it)\n"
    )
    rows: list[Row] = []
    reports: list[DataReport] = []
    for spec in args.data:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"data {spec} (load average before: {load}):", flush=True)
        data = prepare_data(spec, work)
        print(f"  {data.triples} triples loaded, {len(data.subjects)} resources to look up")
        reports.append(measure_data_set(data, args, work, driver, rows))
        print()
    print(f"Results ({os.cpu_count()} cores, load driver {driver}):\n")
    print_table(rows)
    print_ratios(rows)
    print_data_reports(reports)
    print_goals(rows, reports)
    points = scale_curve(rows, reports, 8 if 8 in args.clients else max(args.clients))
    print_scale_curve(points)
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
                                "engine_ms_per_request": c.engine_ms_per_request,
                            }
                            for k, c in r.cells.items()
                        },
                    }
                    for r in rows
                ],
                "data_sets": [asdict(r) for r in reports],
                "scale_curve": [asdict(p) for p in points],
            },
            indent=1,
        )
    )
    print(f"\n(figures also in {out}; server logs in {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
