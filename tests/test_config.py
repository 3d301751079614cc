"""Every setting is documented, and settings reach the server from RIVM_* variables."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from rivm_graph.config import (
    DEFAULTS,
    FolderError,
    allowlist,
    dump_base,
    load_settings,
    server_processes,
    usable_cores,
)
from tests.conftest import running_server
from tests.processes import free_port
from tests.test_sparql_protocol import get
from tests.test_sparql_safety import Listener


def test_every_setting_is_in_the_readme_table(root):
    readme = (root / "README.md").read_text()
    missing = [key for key in DEFAULTS if f"| `RIVM_{key}` |" not in readme]
    assert not missing


def test_environment_overrides_defaults_and_explicit_values_win(monkeypatch):
    monkeypatch.setenv("RIVM_QUERY_TIMEOUT", "3")
    monkeypatch.setenv("RIVM_SERVICE_ALLOWLIST", "http://a.example/sparql, http://b.example/")
    settings = load_settings({"MAX_ROWS": 7})
    assert settings["QUERY_TIMEOUT"] == 3
    assert settings["MAX_ROWS"] == 7
    assert allowlist(settings["SERVICE_ALLOWLIST"]) == {
        "http://a.example/sparql",
        "http://b.example/",
    }
    assert allowlist(json.loads('["http://c.example/"]')) == {"http://c.example/"}


def test_an_allow_listed_service_is_called_and_others_are_not():
    listener, other = Listener(), Listener()
    try:
        with running_server(SERVICE_ALLOWLIST=listener.url) as base:
            status, _, body = get(
                base, query=f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
            )
            # The listener hangs up without answering: the federated call fails, clearly.
            assert status == 502 and b"SERVICE" in body
            status, _, _ = get(
                base, query=f"SELECT * WHERE {{ SERVICE <{other.url}> {{ ?s ?p ?o }} }}"
            )
            assert status == 400
        assert listener.hits >= 1
        assert other.hits == 0
    finally:
        listener.close()
        other.close()


def test_the_core_does_not_import_flask(root):
    """Convention 3: the store, validation, catalogue and descriptions serve CLI and tests too."""
    import ast

    package = root / "rivm_graph"
    core = [p for p in sorted(package.rglob("*.py")) if (package / "web") not in p.parents]
    assert len(core) > 20
    for path in core:
        tree = ast.parse(path.read_text())
        names = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        names |= {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 0
        }
        assert not names & {"flask", "werkzeug", "markupsafe", "jinja2"}, path.relative_to(core)


def test_the_server_runs_two_processes_per_core_unless_told(monkeypatch):
    from tests.conftest import SERVER_PIDS
    from tests.test_faults import children, name

    monkeypatch.delenv("RIVM_WORKERS", raising=False)
    expected = min(2 * usable_cores(), 16)
    assert server_processes(load_settings()) == expected
    assert server_processes(load_settings({"WORKERS": 3})) == 3
    with monkeypatch.context() as patched:
        patched.setattr(os, "sched_getaffinity", lambda pid: set(range(64)))
        assert server_processes(load_settings()) == 16, "a large machine: 16, not 128"
    with running_server(WORKERS=0) as base:
        assert get(base, query="ASK {}")[0] == 200
        # (the first process may answer before the others have started)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            len(children(SERVER_PIDS[base])) == expected
            and all(len(children(s)) == 2 for p in children(SERVER_PIDS[base]) for s in children(p))
        ):
            time.sleep(0.2)
        processes = children(SERVER_PIDS[base])
        assert len(processes) == expected
        # each with its spawner and its query workers (RIVM_QUERY_WORKERS, 2 by default)
        for process in processes:
            (spawner,) = children(process)
            assert sorted(name(pid) for pid in children(spawner)) == ["rivm-query"] * 2


def test_every_setting_is_read_by_the_code(root):
    """A documented setting that nothing reads is a trap (RIVM_BASE_IRI was one: set, it sent
    120 of 131 links of a city page off-site)."""
    config = root / "rivm_graph" / "config.py"
    code = re.sub(r"DEFAULTS: dict\[.*?\n}\n", "", config.read_text(), flags=re.DOTALL)
    code += "".join(p.read_text() for p in (root / "rivm_graph").rglob("*.py") if p != config)
    unread = [key for key in DEFAULTS if f'"{key}"' not in code]
    assert not unread


def test_links_to_the_datasets_resources_stay_on_this_server(monkeypatch):
    monkeypatch.setenv("RIVM_BASE_IRI", "https://example.org/elsewhere/")
    from rivm_graph.web import create_app

    app = create_app({"TESTING": True})
    html = app.test_client().get("/doc/city/clermont-ferrand").get_data(as_text=True)
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert sum(h.startswith("/id/") for h in hrefs) > 50
    assert not [h for h in hrefs if h.startswith("https://w3id.org/rivm/")]


def test_app_state_is_reached_only_through_the_typed_accessors(root):
    """web/state.py owns app.extensions and the request's record in flask.g; nothing else reads
    them by string key (there were 41 such reads, with two defaults for one key)."""
    raw = re.compile(r"\.extensions\[|\.extensions\.get\(|\bg\.rivm_|\bg\.get\(\"rivm")
    offending = [
        str(path.relative_to(root))
        for path in (root / "rivm_graph").rglob("*.py")
        if path.name != "state.py" and raw.search(path.read_text())
    ]
    assert not offending


def _default_dump_folder(monkeypatch, tmp_path) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path / f"rivm-graph-dumps-{os.getuid()}"


def test_the_default_dump_folder_is_this_users_own(monkeypatch, tmp_path):
    """Dumps, tables and the store are served from it: in the shared temporary folder it is
    made readable and writable by this user only."""
    folder = _default_dump_folder(monkeypatch, tmp_path)
    assert dump_base({}) == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.stat().st_uid == os.getuid()
    assert dump_base({}) == folder  # found again, as it is


@pytest.mark.parametrize("planted", ["open to all", "a link", "a file"])
def test_a_default_dump_folder_planted_by_someone_else_is_refused(monkeypatch, tmp_path, planted):
    """Another local user who made the folder first would have the server serve their files."""
    folder = _default_dump_folder(monkeypatch, tmp_path)
    if planted == "open to all":
        folder.mkdir()
        folder.chmod(0o777)
    elif planted == "a link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        folder.symlink_to(tmp_path / "elsewhere")
    else:
        folder.write_text("")
    with pytest.raises(FolderError, match="RIVM_DUMP_DIR"):
        dump_base({})


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a folder to another user")
def test_a_default_dump_folder_of_another_user_is_refused(monkeypatch, tmp_path):
    folder = _default_dump_folder(monkeypatch, tmp_path)
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    with pytest.raises(FolderError, match="another user"):
        dump_base({})


def test_serve_stops_with_a_clear_message_on_an_unsafe_dump_folder(tmp_path):
    folder = tmp_path / f"rivm-graph-dumps-{os.getuid()}"
    folder.mkdir()
    folder.chmod(0o777)
    environment = {k: v for k, v in os.environ.items() if k != "RIVM_DUMP_DIR"}
    done = subprocess.run(
        [sys.executable, "-m", "rivm_graph.cli", "serve", "--port", str(free_port())],
        env={**environment, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "may be written by other users" in done.stderr
    assert "RIVM_DUMP_DIR" in done.stderr
    assert "Traceback" not in done.stderr
