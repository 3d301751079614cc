"""Releases: made by the command line, kept in a folder, listed and served (their dumps read
back by rdflib), compared (the changelog as a page, as RDF and as a CHANGELOG.md section), the
ontology's owl:versionIRI resolving, and nothing outside the releases folder ever read."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pandas
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from rivm_graph.publish.tables.files import write_tables
from rivm_graph.releases.archive import make_release
from rivm_graph.releases.changelog import add_to_changelog_file, changelog_markdown
from tests.conftest import rivm_graph

ROOT = Path(__file__).resolve().parent.parent
CS = Namespace("http://purl.org/vocab/changeset/schema#")
ID = "https://w3id.org/rivm/id/"
CUNEO = ID + "city/cuneo"
NEW_TOWN = ID + "city/test-town"
GONE = ID + "source/7jours-2018"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
SECRET = "this text lies outside the releases folder"

#: Paths opened while the audit hook listens (see ``opened``).
OPENED: list[str] = []
LISTENING: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if LISTENING and event == "open" and isinstance(args[0], str | bytes | Path):
        OPENED.append(str(args[0]))


sys.addaudithook(_audit)


class opened:
    """Every file the process opens inside the block (Python's audit hook, ``open`` events)."""

    def __enter__(self) -> list[str]:
        OPENED.clear()
        LISTENING.append(True)
        return OPENED

    def __exit__(self, *exc) -> None:
        LISTENING.clear()


def _edited(store) -> list[ox.Quad]:
    """The data with one resource added, one removed and one changed (a label for a comment)."""
    quads = list(store.quads())
    graph = quads[0].graph_name
    label = next(
        q
        for q in quads
        if q.subject == ox.NamedNode(CUNEO)
        and q.predicate == ox.NamedNode(LABEL)
        and isinstance(q.object, ox.Literal)
        and q.object.language == "en"
    )
    kept = [q for q in quads if q.subject != ox.NamedNode(GONE) and q != label]
    added = [
        ox.Quad(
            ox.NamedNode(CUNEO), ox.NamedNode(COMMENT), ox.Literal("Edited", language="en"), graph
        ),
        ox.Quad(
            ox.NamedNode(NEW_TOWN),
            ox.NamedNode(LABEL),
            ox.Literal("Test Town", language="en"),
            graph,
        ),
        ox.Quad(
            ox.NamedNode(NEW_TOWN),
            ox.NamedNode(str(RDF.type)),
            ox.NamedNode("https://w3id.org/rivm/ontology#City"),
            graph,
        ),
    ]
    return kept + added


@pytest.fixture(scope="module")
def folders(tmp_path_factory, store):
    """A releases folder with 0.1.0 (the repository's data) and 0.2.0 (edited), a copy of 0.1.0
    that lost its Turtle file, and beside it a folder the server must never read."""
    top = tmp_path_factory.mktemp("releases-test")
    base, outside = top / "releases", top / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    first = make_release(
        store.quads(),
        version="0.1.0",
        base=base,
        data_version=store.data_version,
        package_version="0.1.0",
        issued=date(2026, 12, 7),
        tables=lambda folder: write_tables(store, folder, "0.1.0"),
    )
    make_release(
        _edited(store),
        version="0.2.0",
        base=base,
        data_version="edited",
        package_version="0.1.0",
        issued=date(2027, 1, 15),
    )
    # a release folder that keeps only what git keeps (record, checksums, canonical N-Quads)
    shutil.copytree(first.directory, base / "0.1.1")
    record = json.loads((base / "0.1.1" / "release.json").read_text())
    (base / "0.1.1" / "release.json").write_text(json.dumps({**record, "version": "0.1.1"}))
    for name in ("rivm.ttl", "rivm.nt", "rivm.jsonld", "rivm.rdf", "rivm.trig", "rivm.nq"):
        (base / "0.1.1" / name).unlink()
    (base / "0.1.1" / "rivm.nt.gz").write_bytes(b"altered")  # rebuilt, never served as is
    # a release that lost its canonical N-Quads (and its N-Triples): what is intact is served
    shutil.copytree(first.directory, base / "0.1.2")
    damaged = {**record, "version": "0.1.2", "issued": "2027-02-01"}
    (base / "0.1.2" / "release.json").write_text(json.dumps(damaged))
    for name in ("rivm.nq.gz", "rivm.nt"):
        (base / "0.1.2" / name).unlink()
    # a link to a folder outside, holding what looks like a release
    shutil.copy(first.directory / "release.json", outside / "release.json")
    (outside / "rivm.nt").write_text(SECRET)
    (base / "9.9.9").symlink_to(outside, target_is_directory=True)
    return base, outside, top / "cache"


@pytest.fixture(scope="module")
def served(folders):
    from rivm_graph.web import create_app

    base, outside, cache = folders
    with opened() as paths:
        app = create_app({"TESTING": True, "RELEASES_DIR": str(base), "DUMP_DIR": str(cache)})
    assert not [p for p in paths if p.startswith(str(outside))]
    return app.test_client()


def test_releases_are_listed_newest_first(served):
    listing = served.get("/releases/", headers={"Accept": "application/json"}).get_json()
    versions = [r["version"] for r in listing["releases"]]
    # by date issued (0.1.2 last); never 9.9.9, a link leading outside
    assert versions == ["0.1.2", "0.2.0", "0.1.1", "0.1.0"]
    html = served.get("/releases/").get_data(as_text=True)
    assert html.index("0.2.0") < html.index("0.1.0")


def test_a_damaged_release_serves_what_is_intact_and_says_what_is_not(served):
    assert served.get("/releases/0.1.2/rivm.ttl").status_code == 200
    missing = served.get("/releases/0.1.2/rivm.nt")
    assert missing.status_code == 503 and "missing or altered" in missing.get_data(as_text=True)
    changes = served.get("/releases/0.1.2/changes")
    assert changes.status_code == 503 and "N-Quads" in changes.get_data(as_text=True)
    page = served.get("/releases/0.1.2/")
    assert page.status_code == 200 and "rivm.ttl" in page.get_data(as_text=True)


def test_a_release_dump_reads_back_with_rdflib(served, folders):
    base, _, _ = folders
    record = json.loads((base / "0.2.0" / "release.json").read_text())
    turtle = served.get("/releases/0.2.0/rivm.ttl")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = Graph().parse(data=turtle.data, format="turtle")
    assert len(graph) == record["triples"]
    assert (URIRef(NEW_TOWN), RDFS.label, Literal("Test Town", lang="en")) in graph
    assert (URIRef(GONE), None, None) not in graph
    quads = served.get("/releases/0.2.0/rivm.nq.gz")
    assert quads.content_type == "application/gzip"
    dataset = Dataset().parse(data=gzip.decompress(quads.data), format="nquads")
    assert len({(s, p, o) for s, p, o, _ in dataset.quads()}) == record["triples"]
    sums = served.get("/releases/0.2.0/SHA256SUMS").get_data(as_text=True)
    assert f"{hashlib.sha256(quads.data).hexdigest()}  rivm.nq.gz" in sums


def test_a_release_keeps_its_tables_for_pandas(served, folders, store):
    base, _, _ = folders
    record = {
        f["name"]: f for f in json.loads((base / "0.1.0" / "release.json").read_text())["files"]
    }
    response = served.get("/releases/0.1.0/tables/figures.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert hashlib.sha256(response.data).hexdigest() == record["tables/figures.csv"]["sha256"]
    figures = pandas.read_csv(io.BytesIO(response.data))
    counted = store.query(
        "SELECT (COUNT(?f) AS ?n) WHERE { ?f a <https://w3id.org/rivm/ontology#ReportedFigure> }"
    )
    assert len(figures) == int(counted.rows[0]["n"])
    assert {"value", "source_url"} <= set(figures.columns)
    assert served.get("/releases/0.1.0/tables/datapackage.json").status_code == 200
    assert served.get("/releases/0.1.0/tables/nothing.csv").status_code == 404


def test_formats_a_folder_does_not_keep_are_rebuilt_byte_for_byte(served, folders):
    base, _, _ = folders
    record = {
        f["name"]: f["sha256"]
        for f in json.loads((base / "0.1.1" / "release.json").read_text())["files"]
    }
    for name in ("rivm.ttl", "rivm.nt.gz", "rivm.jsonld"):
        response = served.get(f"/releases/0.1.1/{name}")
        assert response.status_code == 200, name
        assert hashlib.sha256(response.data).hexdigest() == record[name], name
    assert (base / "0.1.1" / "rivm.nt.gz").read_bytes() == b"altered"  # the folder is not written


def test_changelog_between_two_releases(served, store):
    removed_statements = len(store.query(f"SELECT * WHERE {{ <{GONE}> ?p ?o }}").rows)
    html = served.get("/releases/0.2.0/changes").get_data(as_text=True)
    assert "since 0.1.1" in html  # the release before, a copy of 0.1.0
    counts = "1 resources added, 1 removed, 1 changed; 3 statements added, "
    assert f"{counts}{removed_statements + 1} removed" in html
    graph = Graph().parse(data=served.get("/releases/0.2.0/changes.ttl").data, format="turtle")
    changes = {
        graph.value(c, CS.subjectOfChange): c for c in graph.subjects(RDF.type, CS.ChangeSet)
    }
    assert set(changes) == {URIRef(NEW_TOWN), URIRef(GONE), URIRef(CUNEO)}

    def statements(change, kind):
        return {
            (graph.value(s, RDF.predicate), graph.value(s, RDF.object))
            for s in graph.objects(changes[change], kind)
        }

    assert statements(URIRef(CUNEO), CS.addition) == {(RDFS.comment, Literal("Edited", lang="en"))}
    ((predicate, _),) = statements(URIRef(CUNEO), CS.removal)
    assert predicate == RDFS.label
    assert len(statements(URIRef(GONE), CS.removal)) == removed_statements
    assert statements(URIRef(NEW_TOWN), CS.addition) == {
        (RDFS.label, Literal("Test Town", lang="en")),
        (RDF.type, URIRef("https://w3id.org/rivm/ontology#City")),
    }
    first = served.get("/releases/0.1.0/changes").get_data(as_text=True)
    assert "The first release" in first


def test_changelog_section_for_changelog_md(served, tmp_path):
    from rivm_graph.web.releases import changes_of
    from rivm_graph.web.state import app_state

    with served.application.app_context():
        release = next(r for r in app_state().releases if r.version == "0.2.0")
        log = changes_of(release)
    path = tmp_path / "CHANGELOG.md"
    path.write_text("# Changelog\n\n## Data release 0.1.0 (2026-12-07)\n\nFirst.\n")
    add_to_changelog_file(path, changelog_markdown(log))
    text = path.read_text()
    assert text.startswith("# Changelog\n\n## Data release 0.2.0 (2027-01-15)\n")
    assert text.index("0.2.0") < text.index("## Data release 0.1.0")
    added = text.split("- Added:")[1].split("- Removed:")[0]
    assert f"`{NEW_TOWN}` (+2 / -0)" in added
    assert f"`{CUNEO}` (+1 / -1)" in text.split("- Changed:")[1]


@pytest.mark.parametrize(
    "path",
    [
        "/releases/9.9.9/",
        "/releases/9.9.9/rivm.nt",
        "/releases/9.9.9/release.json",
        "/releases/%2E%2E/outside/secret.txt",
        "/releases/..%2Foutside/secret.txt",
        "/releases/0.2.0%2F..%2F..%2Foutside/rivm.nt",
        "/releases/0.2.0/..%2F..%2Foutside%2Fsecret.txt",
        "/releases/0.2.0/%2E%2E%2F%2E%2E%2Foutside%2Fsecret.txt",
        "/releases/..%5C..%5Coutside/rivm.nt",
        "/releases/0.2.0%00/rivm.nt",
        "/releases/~/rivm.nt",
        "/releases/0.2.0/cite.bib%2F..%2F..",
        "/ontology/..%2F..%2Foutside%2Fsecret",
        "/ontology/9.9.9",
    ],
)
def test_odd_versions_are_404_and_nothing_outside_is_read(served, folders, path):
    _, outside, _ = folders
    with opened() as paths:
        response = served.get(path)
    assert response.status_code == 404
    assert SECRET not in response.get_data(as_text=True)
    assert not [p for p in paths if p.startswith(str(outside))]


def test_an_unknown_version_is_a_404_naming_the_releases(served):
    response = served.get("/releases/0.3.0/")
    assert response.status_code == 404
    assert "0.3.0" in response.get_data(as_text=True)
    assert "Releases: 0.1.0, 0.1.1, 0.2.0, 0.1.2" in response.get_data(as_text=True)
    missing = served.get("/releases/0.2.0/rivm.xlsx")
    assert missing.status_code == 404 and "rivm.nq.gz" in missing.get_data(as_text=True)


def test_the_ontology_version_iri_resolves(served, folders):
    ontology = Graph().parse(ROOT / "ontology" / "rivm.ttl")
    version_iri = ontology.value(URIRef("https://w3id.org/rivm/ontology"), OWL.versionIRI)
    assert str(version_iri) == "https://w3id.org/rivm/ontology/0.1.0"
    local = "/" + str(version_iri).removeprefix("https://w3id.org/rivm/")
    response = served.get(local, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef("https://w3id.org/rivm/ontology"), OWL.versionIRI, version_iri) in graph
    assert (URIRef("https://w3id.org/rivm/ontology#City"), RDF.type, OWL.Class) in graph
    assert not list(graph.triples((URIRef(CUNEO), None, None)))  # the ontology only
    page = served.get(local, headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["Location"].endswith("/releases/0.1.0/")
    assert served.get(local + ".nt").content_type == "application/n-triples"


def test_release_page_offers_its_files_citation_and_changes(served):
    html = served.get("/releases/0.2.0/").get_data(as_text=True)
    for text in (
        "rivm.nq.gz",
        "SHA256SUMS",
        "/releases/0.2.0/cite.bib",
        "/releases/0.2.0/changes",
        'name="citation_title"',
        "2027",
    ):
        assert text in html


def test_release_command_keeps_each_version_and_writes_the_changelog(tmp_path):
    """The command line as a maintainer runs it, on a copy of the data with a default folder."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    made = rivm_graph("--root", str(root), "release", "1.0.0")
    assert made.returncode == 0, made.stderr
    assert (root / "releases" / "1.0.0" / "release.json").exists()
    assert "first release" in (root / "CHANGELOG.md").read_text()
    again = rivm_graph("--root", str(root), "release", "1.0.0")
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = rivm_graph("--root", str(root), "release", "../1.0.1")  # hostile input, never read
    assert bad.returncode == 1 and "not a version" in bad.stderr
    assert not (tmp_path / "1.0.1").exists()
    with open(root / "data" / "cities.ttl", "a") as f:
        f.write(f'\n<{CUNEO}> <{COMMENT}> "Added"@en .\n')
    second = rivm_graph("--root", str(root), "release", "1.1.0")
    assert second.returncode == 0, second.stderr
    assert "0 resources added, 0 removed, 1 changed" in second.stdout
    text = (root / "CHANGELOG.md").read_text()
    assert text.index("## Data release 1.1.0") < text.index("## Data release 1.0.0")
    assert f"`{CUNEO}` (+1 / -0)" in text


OLDER = "# Changelog\n\n## Data release 0.1.0\n\nold\n"


@pytest.mark.parametrize("before", ["", "# Changelog\n", OLDER])
def test_a_changelog_section_goes_under_one_title(tmp_path, before):
    """A CHANGELOG.md holding only its title (one newline) got a second title."""
    path = tmp_path / "CHANGELOG.md"
    if before:
        path.write_text(before)
    add_to_changelog_file(path, "## Data release 0.2.0\n\nnew\n")
    text = path.read_text()
    assert text.count("# Changelog") == 1
    assert text.startswith("# Changelog\n\n## Data release 0.2.0")
    if before == OLDER:
        assert text.index("0.2.0") < text.index("0.1.0") and "old" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize(
    ("path", "accept", "status", "lists"),
    [
        ("/releases/?format=ttl", "*/*", 406, "application/json"),
        ("/releases/", "image/png", 406, "text/html"),
        ("/releases/0.2.0/?format=xlsx", "*/*", 406, "application/json"),
        ("/releases/0.2.0/changes.xlsx", "*/*", 404, ".ttl"),
        ("/releases/0.2.0/changes", "image/png", 406, "text/turtle"),
        ("/ontology/0.1.0?format=xlsx", "*/*", 406, "text/turtle"),
        ("/ontology.xlsx", "*/*", 404, ".jsonld"),
    ],
)
def test_unknown_formats_name_the_formats_there_are(served, path, accept, status, lists):
    response = served.get(path, headers={"Accept": accept})
    assert response.status_code == status
    assert lists in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/releases/",
        "/releases/?format=json",
        "/releases/0.2.0/",
        "/releases/0.2.0/?format=json",
        "/releases/0.2.0/changes",
        "/releases/0.2.0/changes.ttl",
        "/releases/0.2.0/rivm.nq.gz",
        "/releases/0.1.0/tables/figures.csv",
        "/releases/0.2.0/cite.bib",
        "/ontology/0.1.0.ttl",
    ],
)
def test_release_answers_revalidate_with_their_etag(served, path):
    first = served.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    again = served.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    # a page in another language is another answer
    if first.mimetype == "text/html":
        other = served.get(path, headers={"Accept-Language": "fr"})
        assert other.headers["ETag"] != etag


def test_the_releases_are_served_alike_on_each_store(store_client):
    """The repository's release 0.1.0 through the app on each store (Oxigraph, Virtuoso): the
    listing, its page and changes, its ontology version and a table, all from the release's
    folder, whatever store serves the current data."""
    record = json.loads((ROOT / "releases" / "0.1.0" / "release.json").read_text())
    listing = store_client.get("/releases/", headers={"Accept": "application/json"}).get_json()
    assert [r["version"] for r in listing["releases"]] == ["0.1.0"]
    assert listing["releases"][0]["triples"] == record["triples"]
    page = store_client.get("/releases/0.1.0/").get_data(as_text=True)
    assert "rivm.nq.gz" in page and "/releases/0.1.0/changes" in page
    changes = Graph().parse(
        data=store_client.get("/releases/0.1.0/changes.ttl").data, format="turtle"
    )
    changed = set(changes.subjects(RDF.type, CS.ChangeSet))
    assert URIRef(CUNEO) in {changes.value(c, CS.subjectOfChange) for c in changed}
    ontology = store_client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"})
    assert ontology.status_code == 200
    sums = {f["name"]: f["sha256"] for f in record["files"]}
    figures = store_client.get("/releases/0.1.0/tables/figures.csv")
    assert hashlib.sha256(figures.data).hexdigest() == sums["tables/figures.csv"]
