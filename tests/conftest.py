"""Shared fixtures: the repository, the loaded store, the catalogue, and a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rivm_graph.catalogue import load_catalogue
from rivm_graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent


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


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer {url} within {timeout} s")


@pytest.fixture(scope="session")
def live_server():
    """``rivm-graph serve`` for real (gunicorn) on a free loopback port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "RIVM_WORKERS": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rivm_graph.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
