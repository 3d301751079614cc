"""The production server (gunicorn) serves the app for real on loopback."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from tests.conftest import SERVER_PIDS, running_server
from tests.test_sparql_protocol import fetch


def test_health_check_answers_with_the_graphs(live_server):
    with urllib.request.urlopen(live_server + "/healthz", timeout=5) as response:
        assert response.status == 200
        body = json.load(response)
    assert body["status"] == "ok"
    assert body["graphs"] >= 10


def test_home_page_is_html(live_server):
    with urllib.request.urlopen(live_server + "/", timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "International Network of Michelin Cities" in response.read().decode()


def test_a_corrupt_data_file_stops_the_server_naming_file_and_line(tmp_path, root):
    import shutil
    import subprocess
    import sys

    shutil.copytree(root / "ontology", tmp_path / "ontology")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "cities.ttl").write_text(
        "<https://w3id.org/rivm/id/city/a> a <https://w3id.org/rivm/ontology#City> .\n"
        "<https://w3id.org/rivm/id/city/b> <http://www.w3.org/2000/01/rdf-schema#label> .\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "rivm_graph.cli", "--root", str(tmp_path), "serve", "--port", "9"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "cities.ttl, line 2" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_serve_that_built_starts_again_and_a_restart_does_not(tmp_path, monkeypatch):
    """A first start builds the dumps, tables and search index in gunicorn's master, and what the
    build took would be shared into every server process: the command then starts itself again
    (the same process), which finds them built. A start that built nothing goes straight on."""
    log = tmp_path / "server.log"
    monkeypatch.setenv("RIVM_TEST_SERVER_LOG", str(log))
    dumps = tmp_path / "dumps"
    with running_server(DUMP_DIR=str(dumps)) as base:
        assert fetch(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200
        pid = SERVER_PIDS[base]
    first = log.read_text()
    assert first.count("starting again, to serve without the memory the build took") == 1, first
    assert first.count(f"[{pid}] [INFO] Starting gunicorn") == 1, first  # only after the restart
    log.write_text("")
    with running_server(DUMP_DIR=str(dumps)) as base:
        assert fetch(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200
    assert "starting again" not in log.read_text()
