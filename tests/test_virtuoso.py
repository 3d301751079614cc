"""The service on Virtuoso (RIVM_STORE=sparql): loaded by ``rivm-graph load``, answering as the
embedded store does. The SPARQL, pages and open-data suites also run against it (conftest's
``live_server``); this module checks what is particular to a remote engine."""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

from bench.synthetic import write_root
from rivm_graph.search.index import SearchIndex
from rivm_graph.stores.base import QueryTimeout
from rivm_graph.stores.files import graph_files
from rivm_graph.stores.oxigraph import OxigraphStore
from rivm_graph.stores.remote import SparqlStore
from tests.conftest import ROOT, load_graph_into, rivm_graph, running_server
from tests.system_programs import require
from tests.test_sparql_protocol import fetch
from tests.test_sparql_safety import RUNAWAY_PRODUCT
from tests.virtuoso import running_virtuoso

pytestmark = pytest.mark.virtuoso


@pytest.fixture(scope="module", autouse=True)
def virtuoso_installed() -> None:
    require("virtuoso-t")


ANSWERS = "application/sparql-results+json, application/n-triples;q=0.9"

#: Catalogue queries that Virtuoso 7.2.5 (Debian 12's package) answers wrongly, and how. Both
#: put a class-hierarchy path (``rdfs:subClassOf*``) beside OPTIONAL or NOT EXISTS; Virtuoso's
#: answer then depends on its query plan, which changes with the database's statistics (a
#: long-lived database that had been reloaded answered themes-by-event right, a fresh one gives no
#: row), so they are marked as expected failures without being required to fail.
VIRTUOSO_DIFFERENCES: dict[str, str] = {
    "conflicting-figures": (
        "Virtuoso 7.2.5 leaves ?eventClass unbound in OPTIONAL { ?subject a ?eventClass . "
        "?eventClass rdfs:subClassOf* rivm:Event } (also written a/rdfs:subClassOf* or as a "
        "subquery), so an event's figures are grouped by year rather than across the event: "
        "41 rows instead of 49; the EXISTS form of the test fails to compile there (SQ074)"
    ),
    "themes-by-event": (
        "Virtuoso 7.2.5 returns no row for ?event a ?type ; dct:subject ?theme . ?type "
        "rdfs:subClassOf* rivm:Event with two OPTIONAL label patterns after it (63 rows expected);"
        " without the OPTIONALs, or counted, it finds all 63"
    ),
}


#: One public address for both servers, as behind one name: the descriptions contain it, and
#: their blank nodes' canonical names (hence their order) depend on everything they contain.
PUBLIC_URL = "http://rivm.example"


@pytest.fixture(scope="module")
def embedded():
    with running_server(PUBLIC_URL=PUBLIC_URL) as base:
        yield base


@pytest.fixture(scope="module")
def remote(virtuoso):
    with running_server(
        STORE="sparql", SPARQL_QUERY_URL=virtuoso.query_url, PUBLIC_URL=PUBLIC_URL
    ) as base:
        yield base


def post(base: str, query: str, accept: str = ANSWERS, **params) -> tuple[int, dict, bytes]:
    body = urllib.parse.urlencode({"query": query, **params}, doseq=True).encode()
    request = urllib.request.Request(
        base + "/sparql",
        data=body,
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def engine(virtuoso, query: str) -> list[dict]:
    """Ask Virtuoso itself (no service in front)."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        virtuoso.query_url, data=body, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["results"]["bindings"]


def _cell(value: dict) -> dict | str:
    """A result cell, with what SPARQL leaves to each engine set aside: blank node names, and
    the order of the parts of a GROUP_CONCAT (section 18.5.1.7 fixes none)."""
    if value["type"] == "bnode":
        return "bnode"
    if value["type"] == "literal" and "datatype" not in value and "xml:lang" not in value:
        return {**value, "value": ", ".join(sorted(value["value"].split(", ")))}
    return value


def comparable(status: int, body: bytes):
    """An answer as a multiset: rows (blank nodes anonymised), a boolean, or sorted N-Triples.

    An empty GROUP_CONCAT is the empty string on Virtuoso and no value on Oxigraph: a plain empty
    string counts as no value."""
    try:
        document = json.loads(body)
    except ValueError:
        lines = re.sub(rb"_:\S+", b"_:b", body).decode().splitlines()
        return status, sorted(line for line in lines if line.strip())
    if "boolean" in document:
        return status, document["boolean"]
    if "results" not in document:
        return status, document
    empty = {"type": "literal", "value": ""}
    rows = [
        json.dumps({k: _cell(v) for k, v in b.items() if v != empty}, sort_keys=True)
        for b in document["results"]["bindings"]
    ]
    return status, sorted(rows)


def _catalogue_params():
    from rivm_graph.endpoint.catalogue import load_catalogue

    params = []
    for entry in load_catalogue(ROOT):
        reason = VIRTUOSO_DIFFERENCES.get(entry.slug)
        marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        params.append(pytest.param(entry, id=entry.slug, marks=marks))
    return params


@pytest.mark.parametrize("entry", _catalogue_params())
def test_catalogue_query_answers_the_same_on_virtuoso(entry, embedded, remote):
    expected = comparable(*_status_body(post(embedded, entry.text)))
    got = comparable(*_status_body(post(remote, entry.text)))
    assert expected[0] == 200
    assert got == expected


def _status_body(answer):
    status, _, body = answer
    return status, body


def test_every_page_reads_the_same_on_both_stores(store, embedded, remote):
    """Every resource page, as HTML and as Turtle, and the site's own pages, byte for byte
    (once the server's own address is set aside)."""
    subjects = {
        str(r["s"])
        for r in store.query(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
            'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/rivm/id/")) }'
        ).rows
    }
    paths = ["/", "/catalog", "/.well-known/void", "/ontology", "/id/", "/query"]
    paths += ["/what-we-do-not-know"]
    paths += sorted(s.replace("https://w3id.org/rivm/id/", "/doc/") for s in subjects)
    assert len(paths) > 800

    def page(base: str, path: str, accept: str) -> str:
        status, _, body = fetch(base + path, headers={"Accept": accept})
        text = body.decode().replace(base, "BASE")
        return f"{status}\n" + re.sub(r"(timeline|map|locator)-[0-9a-f]{8}", r"\1-id", text)

    def differs(job: tuple[str, str]) -> str | None:
        path, accept = job
        same = page(embedded, path, accept) == page(remote, path, accept)
        return None if same else f"{path} ({accept})"

    jobs = [(p, a) for p in paths for a in ("text/html", "text/turtle")]
    with ThreadPoolExecutor(max_workers=6) as pool:
        different = [d for d in pool.map(differs, jobs) if d]
    assert not different, different[:20]


def test_dumps_are_identical_on_both_stores(embedded, remote):
    _, _, here = fetch(embedded + "/dumps/SHA256SUMS")
    _, _, there = fetch(remote + "/dumps/SHA256SUMS")
    assert here.decode().splitlines() and sorted(here.splitlines()) == sorted(there.splitlines())


def test_etags_agree_across_front_ends_sharing_one_virtuoso(virtuoso):
    """Two front-end processes on one Virtuoso, behind one public address: same data version,
    same ETags, same answers."""
    public = "https://rivm.example.org/"
    settings = {"STORE": "sparql", "SPARQL_QUERY_URL": virtuoso.query_url, "PUBLIC_URL": public}
    with running_server(**settings) as remote, running_server(**settings) as other:
        for path in ("/doc/city/cuneo", "/.well-known/void", "/dumps/rivm.ttl"):
            _, first, body_a = fetch(remote + path)
            _, second, body_b = fetch(other + path)
            assert first["ETag"] == second["ETag"], path
            assert body_a == body_b, path
        query = "SELECT ?s WHERE { ?s a <https://w3id.org/rivm/ontology#City> } ORDER BY ?s"
        a, b = post(remote, query), post(other, query)
        assert a[1]["ETag"] == b[1]["ETag"] and a[2] == b[2]
        _, _, ready_a = fetch(remote + "/readyz")
        _, _, ready_b = fetch(other + "/readyz")
        assert json.loads(ready_a)["version"] == json.loads(ready_b)["version"]


def test_the_engines_own_graphs_stay_hidden(remote, virtuoso):
    # Virtuoso keeps its own system graphs (virtrdf#, ...): the engine shows them ...
    system = "http://www.openlinksw.com/schemas/virtrdf#"
    assert engine(virtuoso, f"SELECT * WHERE {{ GRAPH <{system}> {{ ?s ?p ?o }} }} LIMIT 1")
    # ... the service never does, whichever way a query asks.
    names = comparable(
        *_status_body(post(remote, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    )
    assert names[0] == 200
    graphs = {json.loads(row)["g"]["value"] for row in names[1]}
    assert graphs == {f.graph for f in graph_files(ROOT)}
    for query, params in (
        (f"SELECT * WHERE {{ GRAPH <{system}> {{ ?s ?p ?o }} }}", {}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g = <" + system + ">) }", {}),
    ):
        status, _, body = post(remote, query, accept="application/sparql-results+json", **params)
        assert status == 200 and json.loads(body)["results"]["bindings"] == [], query
    # Named by the request, it is not a graph of the dataset: an empty graph, named in the
    # answer. (Given a FROM, Virtuoso adds it to the graphs it is sent: the store takes it out.)
    for query, params in (
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", {"default-graph-uri": system}),
        ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5", {"named-graph-uri": system}),
        (f"SELECT * FROM <{system}> WHERE {{ ?s ?p ?o }} LIMIT 5", {}),
        (f"SELECT * FROM NAMED <{system}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 5", {}),
        (f"SELECT * FROM <{system}> FROM NAMED <{system}> WHERE {{ ?s ?p ?o }} LIMIT 5", {}),
    ):
        status, headers, body = post(
            remote, query, accept="application/sparql-results+json", **params
        )
        assert status == 200, (query, body)
        assert json.loads(body)["results"]["bindings"] == [], query
        assert headers["X-Unknown-Graphs"] == f"<{system}>", query


def test_a_runaway_query_gets_the_deadline_answer(virtuoso):
    with running_server(
        STORE="sparql", SPARQL_QUERY_URL=virtuoso.query_url, QUERY_TIMEOUT=2
    ) as base:
        started = time.monotonic()
        status, _, body = post(base, RUNAWAY_PRODUCT)
        took = time.monotonic() - started
        assert status == 503, body[:300]
        assert b"limit" in body or b"too long" in body
        assert took < 2 + 5 + 3, "stopped near the deadline"
        # and the engine is free again: a cheap query answers at once
        status, _, _ = post(base, "ASK { ?s ?p ?o }")
        assert status == 200


def test_answers_cut_by_virtuoso_are_flagged_not_passed_off_as_complete(remote, store):
    """Virtuoso silently cuts at ResultSetMaxRows (10,000 here): the service says so."""
    query = "SELECT ?s ?o WHERE { ?s a ?c . ?o a ?c }"
    total = len(store.query(query).rows)
    assert total > 10_000
    status, headers, body = post(remote, query, accept="application/sparql-results+json")
    assert status == 200
    assert headers.get("X-Result-Truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) <= 10_000


def test_syntax_errors_read_the_same_as_on_the_embedded_store(embedded, remote):
    for bad in ("SELEC * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p }"):
        a, b = post(embedded, bad), post(remote, bad)
        assert a[0] == b[0] == 400
        assert a[2] == b[2]


#: Valid SPARQL 1.1 that the embedded store answers and Virtuoso 7.2.5 does not evaluate.
NOT_EVALUATED_ON_VIRTUOSO = {
    "BNODE()": "SELECT ?b WHERE { BIND(BNODE() AS ?b) }",
    "negated inverse property": "SELECT ?o WHERE { <id/city/cuneo> !^<p> ?o } LIMIT 1",
    "path with neither end given": "SELECT (COUNT(*) AS ?n) WHERE { ?c <p>+ ?d }",
    "division by zero": "SELECT ?x WHERE { BIND(1/0 AS ?x) }",
}


@pytest.mark.parametrize(
    "query", NOT_EVALUATED_ON_VIRTUOSO.values(), ids=list(NOT_EVALUATED_ON_VIRTUOSO)
)
def test_a_valid_query_the_engine_does_not_evaluate_is_told_so(embedded, remote, query):
    """Virtuoso refused two of these as syntax errors (the service said "SPARQL syntax error"
    of valid SPARQL) and failed on two with a 500 (the service answered 503, which invites a
    retry, with the engine's address and the rewritten text it was sent)."""
    assert post(embedded, query)[0] == 200
    status, _, body = post(remote, query)
    message = json.loads(body)["error"]["message"]
    assert status == 400, message
    assert message.startswith(
        "The query is valid SPARQL 1.1, but the query engine behind this endpoint does not "
        "evaluate it (Virtuoso "
    ), message
    assert "SPARQL query" not in message and "define " not in message and "127.0.0.1" not in message


def test_load_is_idempotent_and_verifies_the_counts(virtuoso, store):
    env = {"RIVM_SPARQL_USER": virtuoso.user, "RIVM_SPARQL_PASSWORD": virtuoso.password}
    again = rivm_graph("load", "--into", virtuoso.query_url, env=env)
    assert again.returncode == 0, again.stderr
    assert "already holds" in again.stdout and "counts verified" in again.stdout
    forced = rivm_graph("load", "--into", virtuoso.query_url, "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "counts verified" in forced.stdout
    # What the engine itself holds, graph by graph, against the files read here.
    rows = engine(
        virtuoso, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    held = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    for graph in {f.graph for f in graph_files(ROOT)}:
        expected = len(
            list(
                store.query(
                    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
                ).graph
            )
        )
        assert held[graph] == expected, graph


def test_a_smaller_dataset_replaces_the_old_one_graph_for_graph(tmp_path):
    """Loading another version replaces changed graphs and deletes graphs no longer there."""
    from tests.virtuoso import running_virtuoso

    root = tmp_path / "root"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".git", ".venv", "*.pyc"))
    with running_virtuoso() as server:
        env = {"RIVM_SPARQL_USER": server.user, "RIVM_SPARQL_PASSWORD": server.password}
        first = rivm_graph("--root", str(root), "load", "--into", server.query_url, env=env)
        assert first.returncode == 0, first.stderr
        settings = {"STORE": "sparql", "SPARQL_QUERY_URL": server.query_url}
        stale = running_server(**settings)
        before = stale.__enter__()
        assert fetch(before + "/readyz")[0] == 200, fetch(before + "/readyz")[2]
        (root / "data" / "themes.ttl").unlink()
        second = rivm_graph("--root", str(root), "load", "--into", server.query_url, env=env)
        assert second.returncode == 0, second.stderr
        assert "removed  <https://w3id.org/rivm/graph/themes>" in second.stdout
        rows = engine(
            server,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/rivm/graph/themes> "
            "{ ?s ?p ?o } }",
        )
        assert int(rows[0]["n"]["value"]) == 0
        smaller = OxigraphStore.from_root(root)
        # A front-end started before the load says it is out of date (a load balancer's check
        # takes it out) ...
        status, _, body = fetch(before + "/readyz")
        stale.__exit__(None, None, None)
        assert status == 503 and b"restart it" in body
        # ... and one started after it serves the new version.
        with running_server(**settings) as base:
            status, _, ready = fetch(base + "/readyz")
            assert status == 200
            assert json.loads(ready)["version"].endswith(smaller.data_version)


def test_an_engine_without_the_dataset_stops_the_server_with_a_clear_message():
    from tests.virtuoso import running_virtuoso

    with running_virtuoso() as empty:
        env = {"RIVM_STORE": "sparql", "RIVM_SPARQL_QUERY_URL": empty.query_url}
        result = rivm_graph("serve", "--port", "0", env=env)
    assert result.returncode == 2
    assert "rivm-graph load --into" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_password_is_refused_with_a_clear_message(virtuoso):
    env = {"RIVM_SPARQL_USER": virtuoso.user, "RIVM_SPARQL_PASSWORD": "not-the-password"}
    result = rivm_graph("load", "--into", virtuoso.query_url, "--force", env=env)
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr


def test_the_row_cap_holds_for_every_form_on_virtuoso(virtuoso):
    """RIVM_MAX_ROWS below the engine's own cap: rows are capped at the engine (``maxrows``),
    triples while the answer is read; both are flagged."""
    with running_server(STORE="sparql", SPARQL_QUERY_URL=virtuoso.query_url, MAX_ROWS=25) as base:
        status, headers, body = post(
            base, "SELECT * WHERE { ?s ?p ?o }", accept="application/sparql-results+json"
        )
        assert status == 200 and headers.get("X-Result-Truncated") == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 25
        status, headers, body = post(
            base, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", accept="application/n-triples"
        )
        assert status == 200 and headers.get("X-Result-Truncated") == "true"
        assert len([line for line in body.splitlines() if line.strip()]) == 25
        status, headers, body = post(
            base,
            "SELECT * WHERE { ?s a <https://w3id.org/rivm/ontology#Country> }",
            accept="application/sparql-results+json",
        )
        assert status == 200 and "X-Result-Truncated" not in headers
        assert 0 < len(json.loads(body)["results"]["bindings"]) <= 25


def test_large_graphs_are_exported_in_parts(virtuoso, store, monkeypatch):
    """Virtuoso builds no answer of more than about a million triples (FRVEC), so the dumps read
    a large graph in parts (by the MD5 of the subject). Made small here, the parts still add up
    to exactly the graph."""
    from rivm_graph.stores import remote as remote_store

    monkeypatch.setattr(remote_store, "EXPORT_PART", 300)
    remote = remote_store.SparqlStore(virtuoso.query_url)
    assert max(remote.record.graphs.values()) > 300, "some graph is read in parts"
    assert len(remote_store._parts(1000)) == 17 and len(remote_store._parts(300 * 17)) == 257

    def plain(quads) -> set:
        return {
            (q.subject, q.predicate, q.object, q.graph_name)
            for q in quads
            if not (isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode))
        }

    exported = list(remote.quads())
    assert len(exported) == len(list(store.quads()))
    assert plain(exported) == plain(store.quads())


def test_an_engine_with_another_case_mode_is_served_all_the_same():
    """Virtuoso's own default CaseMode is 1 (Debian's file and the Docker images set 2). With it,
    the engine answers ASK with a table (``__ASK_RETVAL``: one row for true, none for false):
    before, ``load`` verified its counts, yet every resource page was 404 and ASK gave no
    boolean. The service reads that table as the boolean it means."""
    from tests.virtuoso import running_virtuoso

    with running_virtuoso(case_mode=1) as server:
        assert (server.directory / "virtuoso.ini").read_text().count("CaseMode = 1") == 1
        table = engine(server, "ASK {}")
        assert [list(row) for row in table] == [["__ASK_RETVAL"]], "a table, not a boolean"
        load_graph_into(server)
        with running_server(STORE="sparql", SPARQL_QUERY_URL=server.query_url) as base:
            assert fetch(base + "/readyz")[0] == 200
            for path in ("/doc/city/cuneo", "/doc/city/cuneo.ttl", "/id/city/"):
                assert fetch(base + path)[0] == 200, path
            for query, expected in (("ASK { ?s ?p ?o }", True), ("ASK { FILTER(false) }", False)):
                for accept in ("application/sparql-results+json", "application/sparql-results+xml"):
                    status, _, body = post(base, query, accept=accept)
                    assert status == 200, body
                    assert (b"true" if expected else b"false") in body, (query, accept)
                    assert b"ASK_RETVAL" not in body


def test_an_engine_cutting_answers_below_the_services_cap_is_refused():
    """Virtuoso's ResultSetMaxRows below RIVM_MAX_ROWS would cut answers short of the
    service's documented limit: the server does not start, and says which setting to change."""
    from tests.virtuoso import running_virtuoso

    with running_virtuoso(max_rows=100) as server:
        loaded = rivm_graph(
            "load",
            "--into",
            server.query_url,
            env={"RIVM_SPARQL_USER": server.user, "RIVM_SPARQL_PASSWORD": server.password},
        )
        assert loaded.returncode == 0, loaded.stderr
        remote = {"RIVM_STORE": "sparql", "RIVM_SPARQL_QUERY_URL": server.query_url}
        refused = rivm_graph("serve", "--port", "0", env={**remote, "RIVM_MAX_ROWS": "101"})
        assert refused.returncode == 2
        assert "cuts every answer at 100 rows, fewer than this service's RIVM_MAX_ROWS (101)" in (
            refused.stderr
        )
        assert "raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini" in refused.stderr
        with running_server(
            STORE="sparql", SPARQL_QUERY_URL=server.query_url, MAX_ROWS=100
        ) as base:
            status, headers, body = post(base, "SELECT ?s WHERE { ?s ?p ?o }")
            assert status == 200 and headers["X-Result-Truncated"] == "true"
            assert len(json.loads(body)["results"]["bindings"]) == 100


def test_an_engine_that_cannot_page_a_listing_to_its_end_is_refused():
    """Virtuoso sorts at most MaxSortedTopRows rows for ORDER BY with LIMIT and OFFSET (10,000
    unless set; Debian's file does not). Below a listing's size, its deeper pages were each an
    unexpected error (503), linked from the pages before: measured with 150 here, page 2 of the
    184 figures. The server does not start, and says which setting to change."""
    with running_virtuoso(max_sorted_rows=150) as server:
        assert (server.directory / "virtuoso.ini").read_text().count("MaxSortedTopRows = 150")
        load_graph_into(server)
        remote = {"RIVM_STORE": "sparql", "RIVM_SPARQL_QUERY_URL": server.query_url}
        refused = rivm_graph("serve", "--port", "0", env=remote)
    assert refused.returncode == 2, refused.stderr
    assert "cannot be paged to its end on this engine" in refused.stderr
    assert "set MaxSortedTopRows in the [Parameters] section of virtuoso.ini" in refused.stderr


def test_the_start_up_reads_are_not_cut_by_a_clients_query_timeout(tmp_path):
    """At 1M triples on Virtuoso the search index's reads took longer than RIVM_QUERY_TIMEOUT
    (10 s), and the front-end failed to start: Virtuoso ends such an answer with an S1TAT error
    after a 500. The same happens at 100k triples with a 50 ms timeout. The service's own reads
    of the whole graph have WHOLE_GRAPH_DEADLINE; a client's query cut that way is a timeout."""
    require("virtuoso-t")
    root = tmp_path / "root"
    write_root(100_000, root)
    with running_virtuoso(max_rows=1_000_000) as engine:
        env = {"RIVM_SPARQL_USER": engine.user, "RIVM_SPARQL_PASSWORD": engine.password}
        loaded = rivm_graph("--root", str(root), "load", "--into", engine.query_url, env=env)
        assert loaded.returncode == 0, loaded.stderr
        store = SparqlStore(engine.query_url, timeout=0.05)
        index = SearchIndex.build(store)
        assert len(index.entries) > 1000
        with pytest.raises(QueryTimeout, match="partial"):
            store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
