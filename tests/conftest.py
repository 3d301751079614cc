"""Shared fixtures: the repository, the loaded store, the catalogue, and real servers."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from rivm_graph.catalogue import load_catalogue
from rivm_graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Headless Chromium on a machine without a network: nothing it starts may reach outside.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def store() -> OxigraphStore:
    return OxigraphStore.from_root(ROOT)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue(ROOT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url} within {timeout} s")


#: base URL → pid of the gunicorn master, for tests that look at the server's processes.
SERVER_PIDS: dict[str, int] = {}


@contextlib.contextmanager
def running_server(**settings: str):
    """``rivm-graph serve`` for real (gunicorn) on a free loopback port; yields its base URL.

    ``settings`` become RIVM_* environment variables of the server process.
    """
    port = free_port()
    # Every test talks from 127.0.0.1: budgets high enough for crawls and fuzzing, unless a
    # test sets its own.
    env = {
        **os.environ,
        "RIVM_WORKERS": "1",
        "RIVM_RATE_LIMIT": "1000000 per minute",
        "RIVM_QUERY_BUDGET": "1000000 per minute",
    }
    env.update({f"RIVM_{key}": str(value) for key, value in settings.items()})
    # The server's log goes to a file (a pipe nobody reads would fill up and stall the server);
    # set RIVM_TEST_SERVER_LOG to keep it somewhere to read.
    keep = os.environ.get("RIVM_TEST_SERVER_LOG")
    log = Path(keep or tempfile.mkstemp(prefix="rivm-test-server-", suffix=".log")[1])
    command = [
        sys.executable,
        "-m",
        "rivm_graph.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with open(log, "ab") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = process.pid
    try:
        wait_until_up(base + "/healthz", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if not keep:
            log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def live_server():
    with running_server() as base:
        yield base
