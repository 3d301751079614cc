"""A throw-away Virtuoso 7 server on 127.0.0.1, for the remote-store tests and the benchmark.

Debian's ``virtuoso-opensource`` package provides ``virtuoso-t``; autostart is not used (it may be
blocked in containers). Each server gets its own ini file and database directory under a temporary
folder, free ports on the loopback interface, and is stopped (and its folder removed) afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.processes import free_port, stop, wait_until_up

#: The Debian package's files: its web root (for /sparql) comes with it.
VSP_ROOT = "/var/lib/virtuoso-opensource-7/vsp"
PACKAGE = "virtuoso-opensource"
#: The Debian package's default administrator (a fresh database), allowed to write over the
#: Graph Store Protocol (HTTP Digest).
ADMIN = ("dba", "dba")


@dataclass(frozen=True)
class Virtuoso:
    query_url: str
    graph_store_url: str
    user: str
    password: str
    directory: Path
    pid: int


def binary() -> str | None:
    return shutil.which("virtuoso-t")


def _ini(
    directory: Path,
    sql_port: int,
    http_port: int,
    max_rows: int,
    buffers: int,
    case_mode: int,
    max_sorted_rows: int | None,
) -> str:
    # Debian's file leaves MaxSortedTopRows unset: Virtuoso's own 10,000.
    sorted_rows = "" if max_sorted_rows is None else f"MaxSortedTopRows = {max_sorted_rows}\n"
    return f"""[Database]
DatabaseFile = {directory}/virtuoso.db
ErrorLogFile = {directory}/virtuoso.log
LockFile = {directory}/virtuoso.lck
TransactionFile = {directory}/virtuoso.trx
xa_persistent_file = {directory}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {directory}/virtuoso-temp.db
TransactionFile = {directory}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = {case_mode}
DirsAllowed = ., {directory}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}
ThreadsPerQuery = 2
{sorted_rows}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VSP_ROOT}
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


@contextlib.contextmanager
def running_virtuoso(
    *,
    max_rows: int = 10000,
    buffers: int = 20000,
    case_mode: int = 2,
    max_sorted_rows: int | None = None,
) -> Iterator[Virtuoso]:
    """Start ``virtuoso-t`` in the foreground on free loopback ports; yield its addresses.

    ``max_rows`` is its ResultSetMaxRows (10,000 as in Debian's own configuration); ``buffers``
    its page buffers (8 kB each: 20,000 is 160 MB); ``case_mode`` its CaseMode (2 in Debian's
    configuration and the Docker images; Virtuoso's own default is 1); ``max_sorted_rows`` its
    MaxSortedTopRows (unset in Debian's configuration: 10,000)."""
    executable = binary()
    if executable is None:
        raise FileNotFoundError(f"virtuoso-t not found: apt-get install {PACKAGE}")
    directory = Path(tempfile.mkdtemp(prefix="rivm-virtuoso-"))
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        _ini(directory, sql_port, http_port, max_rows, buffers, case_mode, max_sorted_rows)
    )
    log = directory / "virtuoso.log"
    with open(directory / "stdout.log", "wb") as sink:
        process = subprocess.Popen(
            [executable, "+configfile", str(ini), "+foreground"],
            cwd=directory,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_up(base + "/sparql?query=ASK%7B%7D", process, log)
        yield Virtuoso(
            query_url=base + "/sparql",
            graph_store_url=base + "/sparql-graph-crud-auth",
            user=ADMIN[0],
            password=ADMIN[1],
            directory=directory,
            pid=process.pid,
        )
    finally:
        stop(process, timeout=30)
        if not os.environ.get("RIVM_KEEP_VIRTUOSO"):
            shutil.rmtree(directory, ignore_errors=True)
