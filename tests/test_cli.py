"""The command line, run as a user runs it: a real process, its exit code and its output."""

from __future__ import annotations

import csv
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def rivm(*args: str, root: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "rivm_graph.cli"]
    if root is not None:
        command += ["--root", str(root)]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def validate_json() -> dict:
    done = rivm("validate", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_validate_reports_no_violation_on_the_published_data(validate_json):
    violations = [f for f in validate_json["findings"] if f["severity"] == "Violation"]
    assert violations == [], json.dumps(violations[:10], indent=1, ensure_ascii=False)
    assert validate_json["conforms"] is True


def test_validate_lists_unconfirmed_coordinates_as_warnings(validate_json):
    warnings = [f for f in validate_json["findings"] if f["severity"] == "Warning"]
    assert any("/geometry/" in f["focus"] for f in warnings)


def test_validate_exits_0_and_prints_a_summary():
    done = rivm("validate")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 violations" in done.stdout


def _copy_project(tmp_path: Path) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_a_broken_data_file_fails_validation_naming_node_and_file(tmp_path):
    root = _copy_project(tmp_path)
    cities = root / "data" / "cities.ttl"
    text = cities.read_text()
    # Break Clermont-Ferrand: its country goes, so a required property is missing.
    start = text.index("city:clermont-ferrand a")
    end = text.index("\n\n", start)
    block = text[start:end]
    broken = "\n".join(line for line in block.splitlines() if "rivm:country" not in line)
    if broken.rstrip().endswith(";"):
        broken = broken.rstrip()[:-1] + "."
    cities.write_text(text[:start] + broken + text[end:])
    done = rivm("validate", root=root)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "https://w3id.org/rivm/id/city/clermont-ferrand" in done.stdout
    assert "data/cities.ttl" in done.stdout
    assert "Clermont-Ferrand" in done.stdout


def test_stats_counts_triples_classes_sources_and_graphs():
    done = rivm("stats", "--format", "json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["triples"] > 1000
    assert stats["sources"] >= 100
    assert "https://w3id.org/rivm/graph/cities" in stats["graphs"]
    text = rivm("stats").stdout
    assert "entities per class" in text and "rivm:City" in text


def test_query_list_shows_slugs_and_titles():
    done = rivm("query", "list")
    assert done.returncode == 0
    assert "cities-by-country" in done.stdout
    assert "conference-timeline" in done.stdout


def test_query_run_prints_an_aligned_table_with_labels():
    done = rivm("query", "run", "queretaro-declaration-signatories")
    assert done.returncode == 0, done.stderr
    assert "Clermont-Ferrand" in done.stdout
    assert "(13 rows)" in done.stdout or "rows)" in done.stdout


def test_query_run_csv_tsv_and_json(tmp_path):
    text = (
        "PREFIX rivm: <https://w3id.org/rivm/ontology#>\n"
        "SELECT ?city WHERE { ?city a rivm:City } ORDER BY ?city"
    )
    query = tmp_path / "cities.rq"
    query.write_text(text)
    as_csv = rivm("query", "run", "--file", str(query), "--format", "csv")
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["city"] and len(rows) > 30
    as_tsv = rivm("query", "run", "--file", str(query), "--format", "tsv")
    assert as_tsv.stdout.splitlines()[0] == "?city"
    as_json = json.loads(rivm("query", "run", "--file", str(query), "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["city"]
    assert len(as_json["results"]["bindings"]) == len(rows) - 1


def test_a_syntax_error_is_reported_with_line_and_column_and_exit_2(tmp_path):
    query = tmp_path / "bad.rq"
    query.write_text("SELECT ?x\nWHERE { ?x ?y ?z }\nLIMT 3\n")
    done = rivm("query", "run", "--file", str(query))
    assert done.returncode == 2
    assert "syntax error at line 3, column 7" in done.stderr


def test_an_unknown_slug_is_a_clear_error():
    done = rivm("query", "run", "no-such-query")
    assert done.returncode == 2
    assert "no query 'no-such-query'" in done.stderr


@pytest.mark.parametrize(
    "args", [("stats",), ("query", "run", "cities-by-country"), ("prefixes",)], ids=" ".join
)
def test_a_reader_that_stops_early_ends_the_command_quietly(args):
    """`rivm-graph stats | head -3`: the reader has gone before the output is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "rivm_graph.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # as `head` does once it has its lines
    _, errors = process.communicate(timeout=300)
    assert b"Traceback" not in errors and b"BrokenPipeError" not in errors, errors.decode()
    assert process.returncode == 141  # 128 + SIGPIPE, as a shell reports `yes | head`


def test_a_variable_that_names_no_setting_is_reported_not_silently_ignored():
    env = {**os.environ, "RIVM_QUERY_TIMOUT": "3", "RIVM_BASE_IRI": "https://example.org/"}
    done = subprocess.run(
        [sys.executable, "-m", "rivm_graph.cli", "prefixes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "RIVM_QUERY_TIMOUT is not a setting" in done.stderr
    assert "RIVM_BASE_IRI is not a setting" in done.stderr


class _UnreadableEngine(http.server.BaseHTTPRequestHandler):
    """A SPARQL engine holding a loaded dataset whose ASK answers are neither a boolean nor
    Virtuoso's ASK table: what no front-end may serve from."""

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if "load-record" in form["query"][0]:
            rows = [
                {"p": _iri("http://www.w3.org/2002/07/owl#versionInfo"), "o": _text("v1")},
                {"p": _iri("http://rdfs.org/ns/void#triples"), "o": _text("1")},
                {"o": _iri("https://w3id.org/rivm/graph/cities"), "n": _text("1")},
            ]
            answer = {"head": {"vars": ["p", "o", "n"]}, "results": {"bindings": rows}}
        else:
            answer = {"head": {"vars": ["answer"]}, "results": {"bindings": []}}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _iri(value: str) -> dict:
    return {"type": "uri", "value": value}


def _text(value: str) -> dict:
    return {"type": "literal", "value": value}


def test_serve_refuses_an_engine_whose_ask_answers_it_cannot_read():
    engine = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _UnreadableEngine)
    threading.Thread(target=engine.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{engine.server_address[1]}/sparql"
        done = subprocess.run(
            [sys.executable, "-m", "rivm_graph.cli", "serve", "--port", "0"],
            env={**os.environ, "RIVM_STORE": "sparql", "RIVM_SPARQL_QUERY_URL": url},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        engine.shutdown()
        engine.server_close()
    assert done.returncode == 2
    assert "does not answer ASK as SPARQL says" in done.stderr
    assert "set CaseMode = 2 in the [Parameters] section of virtuoso.ini" in done.stderr
