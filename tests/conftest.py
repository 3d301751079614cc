"""Shared fixtures: the repository, the loaded store, the catalogue, and real servers."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from rivm_graph.endpoint.catalogue import load_catalogue
from rivm_graph.stores.oxigraph import OxigraphStore
from tests.processes import SERVER_LOGS, free_port, stop, wait_until_up
from tests.system_programs import find, missing_program_summary, require

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = find("chromium")
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


#: base URL → pid of the gunicorn master, for tests that look at the server's processes.
SERVER_PIDS: dict[str, int] = {}


@contextlib.contextmanager
def running_server(env: dict[str, str] | None = None, **settings: str):
    """``rivm-graph serve`` for real (gunicorn) on a free loopback port; yields its base URL.

    ``settings`` become RIVM_* environment variables of the server process; ``env`` is added to
    its environment as is (PYTHONHASHSEED, say).
    """
    port = free_port()
    # Every test talks from 127.0.0.1: budgets high enough for crawls and fuzzing, unless a
    # test sets its own.
    environment = {
        **os.environ,
        **(env or {}),
        "RIVM_WORKERS": "1",
        "RIVM_RATE_LIMIT": "1000000 per minute",
        "RIVM_QUERY_BUDGET": "1000000 per minute",
    }
    environment.update({f"RIVM_{key}": str(value) for key, value in settings.items()})
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
        process = subprocess.Popen(command, env=environment, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = process.pid
    SERVER_LOGS[base] = log
    try:
        wait_until_up(base + "/healthz", process, log)
        yield base
    finally:
        stop(process, timeout=10)
        if not keep:
            log.unlink(missing_ok=True)


def rivm_graph(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the ``rivm-graph`` command line as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "rivm_graph.cli", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )


def load_graph_into(server) -> None:
    """``rivm-graph load --into`` a throw-away Virtuoso, as an operator would."""
    loaded = rivm_graph(
        "load",
        "--into",
        server.query_url,
        env={"RIVM_SPARQL_USER": server.user, "RIVM_SPARQL_PASSWORD": server.password},
    )
    assert loaded.returncode == 0, loaded.stderr


@pytest.fixture(scope="session")
def virtuoso():
    """A throw-away Virtuoso holding the graph, loaded by ``rivm-graph load`` (CI: required)."""
    from tests.virtuoso import running_virtuoso

    require("virtuoso-t")
    with running_virtuoso() as server:
        load_graph_into(server)
        yield server


#: The SPARQL, pages and open-data tests run against both stores: the embedded Oxigraph, and
#: Virtuoso behind RIVM_STORE=sparql (``make test-virtuoso`` runs only the latter).
STORES = ["oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]


@pytest.fixture(scope="session")
def embedded_server():
    """The server on the embedded store alone: for tests of markup the store does not change."""
    with running_server() as base:
        yield base


@pytest.fixture(scope="session", params=STORES)
def live_server(request):
    if request.param == "oxigraph":
        yield request.getfixturevalue("embedded_server")
        return
    remote = request.getfixturevalue("virtuoso")
    with running_server(STORE="sparql", SPARQL_QUERY_URL=remote.query_url) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (CI: required).

    One per module, and never in a module that uses ``app``, ``client`` or ``store_client``:
    Playwright's driver runs until its pipe closes, and a process forked while it runs (the
    in-process app's query workers) holds that pipe open, so the driver never exits and the
    session hangs at teardown.
    """
    executable = require("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@contextlib.contextmanager
def browser_page(browser, **context_options):
    """A page in a fresh context (``context_options``: Playwright's, e.g. ``viewport``, ``locale``)
    that fails its test if anything is fetched from outside 127.0.0.1."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    outside: list[str] = []

    def watch(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost"):
            outside.append(request.url)

    page.on("request", watch)
    try:
        yield page
    finally:
        context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


@pytest.fixture
def page(browser, live_server):
    """A desktop page in English (see browser_page)."""
    with browser_page(browser, locale="en-GB") as page:
        yield page


def pytest_terminal_summary(terminalreporter) -> None:
    """One line naming the system programs whose absence made tests skip (none: no line)."""
    reasons = [
        str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for report in terminalreporter.stats.get("skipped", [])
    ]
    line = missing_program_summary(reasons)
    if line:
        terminalreporter.write_sep("=", line, yellow=True, bold=True)


#: Every in-process request comes from 127.0.0.1: budgets as high as running_server's.
IN_PROCESS = {
    "TESTING": True,
    "RATE_LIMIT": "1000000 per minute",
    "QUERY_BUDGET": "1000000 per minute",
}


@pytest.fixture(scope="session")
def app():
    """The application built in-process on the embedded store (flaskr's fixture): for page,
    description and endpoint logic; real servers are for the process model."""
    from rivm_graph.web import create_app

    return create_app(IN_PROCESS)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def virtuoso_app(virtuoso):
    """The application built in-process over the throw-away Virtuoso (RIVM_STORE=sparql)."""
    from rivm_graph.web import create_app

    return create_app({**IN_PROCESS, "STORE": "sparql", "SPARQL_QUERY_URL": virtuoso.query_url})


@pytest.fixture(scope="session", params=STORES)
def store_app(request):
    """The in-process application on each store in turn (what live_server is for real servers)."""
    return request.getfixturevalue("app" if request.param == "oxigraph" else "virtuoso_app")


@pytest.fixture
def store_client(store_app):
    return store_app.test_client()
