"""The embedded store on disk: built once per data version, then opened read-only by every start
and every process; a half-built folder is never served; a change of data makes a new version."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from rivm_graph.stores.base import DataFileError
from rivm_graph.stores.files import graph_files
from rivm_graph.stores.on_disk import COMPLETE, KEEP, PREFIX, open_shared, store_directory
from rivm_graph.stores.oxigraph import OxigraphStore
from tests.conftest import ROOT, running_server

EX = "https://w3id.org/rivm/id/city/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
#: The ontology's owl:unionOf lists: the data's blank nodes.
LISTS = (
    "SELECT ?union ?node WHERE { ?union <http://www.w3.org/2002/07/owl#unionOf> ?list . "
    "?list <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>* ?node }"
)


def _count(store: OxigraphStore) -> int:
    return int(store.query(COUNT).rows[0]["n"])


def _root(tmp_path: Path, label: str = "Alpha") -> Path:
    """A copy of the repository's ontology (it has blank nodes) and one data file."""
    root = tmp_path / "root"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "data").mkdir()
    (root / "data" / "cities.ttl").write_text(f'<{EX}a> <{LABEL}> "{label}"@en .\n')
    return root


def _stores(base: Path) -> list[Path]:
    return sorted(p for p in base.iterdir() if p.name.startswith(PREFIX))


def _files_of(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file of a store folder with its inode and modification time (a rebuild changes them)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_the_store_is_built_once_and_reopened_read_only(tmp_path):
    root, base = _root(tmp_path), tmp_path / "built"
    first = open_shared(graph_files(root), base)
    [folder] = _stores(base)
    assert folder == store_directory(base, first.data_version)
    assert (folder / COMPLETE).read_text().strip() == first.data_version
    before = _files_of(folder)
    again = open_shared(graph_files(root), base)
    assert _files_of(folder) == before, "opened as it was: not rebuilt, not written"
    assert _stores(base) == [folder]
    assert again.data_version == first.data_version
    with pytest.raises(RuntimeError, match="read-write"):  # opened read-only
        again._store.add(ox.Quad(ox.NamedNode(EX + "b"), ox.NamedNode(LABEL), ox.Literal("B")))


def test_it_holds_what_the_in_memory_store_holds_with_the_same_blank_node_names(tmp_path):
    root = _root(tmp_path)
    on_disk = open_shared(graph_files(root), tmp_path / "built")
    in_memory = OxigraphStore.from_root(root)
    assert on_disk.data_version == in_memory.data_version
    assert on_disk.graphs() == in_memory.graphs()
    assert sorted(map(str, on_disk.quads())) == sorted(map(str, in_memory.quads()))
    # The same names (the order of the answers may differ: each store keeps its own indexes).
    lists = sorted(sorted(map(str, row.values())) for row in on_disk.query(LISTS).rows)
    assert lists == sorted(sorted(map(str, row.values())) for row in in_memory.query(LISTS).rows)
    assert any(value.startswith("c14n") for row in lists for value in row), "canonical names"


def test_a_half_built_folder_is_never_served(tmp_path):
    """A folder under the final name without the mark of completion (left by an older version, or
    copied in part), and a hidden folder of a build that was killed: neither is read."""
    root, base = _root(tmp_path), tmp_path / "built"
    files = graph_files(root)
    expected = _count(OxigraphStore(files))
    version = OxigraphStore(files).data_version
    half = store_directory(base, version)
    base.mkdir()
    partial = ox.Store(str(half))
    partial.bulk_load(path=str(files[-1].path), format=ox.RdfFormat.TURTLE)
    del partial
    killed = base / f".{half.name}-killed"
    shutil.copytree(half, killed)
    store = open_shared(files, base)
    assert _count(store) == expected
    assert (half / COMPLETE).is_file()
    assert not killed.exists(), "a killed build's leftovers are removed"


def test_a_change_of_data_makes_a_new_version_and_old_ones_are_removed(tmp_path):
    root, base = _root(tmp_path), tmp_path / "built"
    versions, folders = [], []
    for label in ["Alpha", "Beta", "Gamma", "Delta"][: KEEP + 2]:
        (root / "data" / "cities.ttl").write_text(f'<{EX}a> <{LABEL}> "{label}"@en .\n')
        store = open_shared(graph_files(root), base)
        answer = store.query(f"SELECT ?l WHERE {{ <{EX}a> <{LABEL}> ?l }}")
        assert [str(row["l"]) for row in answer.rows] == [label]
        versions.append(store.data_version)
        folders.append(store_directory(base, store.data_version))
    assert len(set(versions)) == len(versions)
    assert _stores(base) == sorted(folders[-KEEP:]), "the last KEEP versions are kept"


def test_a_broken_data_file_stops_the_build_and_names_its_line(tmp_path):
    root, base = _root(tmp_path), tmp_path / "built"
    (root / "data" / "cities.ttl").write_text(f'<{EX}a> <{LABEL}> "A"@en .\n<{EX}b> <{LABEL}> .\n')
    with pytest.raises(DataFileError) as error:
        open_shared(graph_files(root), base)
    assert error.value.path.name == "cities.ttl" and error.value.line == 2
    assert _stores(base) == [] and not [p for p in base.iterdir() if p.is_dir()]


def _answer(base: str, query: str) -> tuple[str | None, bytes]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers["ETag"], response.read()


def test_starts_at_once_build_one_store(tmp_path):
    """Processes starting at the same moment on one folder: one builds, the others wait for it
    and open what it built."""
    root, base = _root(tmp_path), tmp_path / "built"
    program = (
        "import sys; from pathlib import Path; from rivm_graph.stores.files import graph_files; "
        "from rivm_graph.stores.on_disk import open_shared; "
        "print(open_shared(graph_files(Path(sys.argv[1])), Path(sys.argv[2])).data_version)"
    )
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", program, str(root), str(base)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    versions = {start.communicate(timeout=120)[0].strip() for start in starts}
    assert [start.returncode for start in starts] == [0, 0, 0]
    [version] = versions
    assert _stores(base) == [store_directory(base, version)]
    assert not [p for p in base.iterdir() if p.name.startswith(f".{PREFIX}")]


def _answer(base: str, query: str) -> tuple[str | None, bytes]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers["ETag"], response.read()


def test_servers_on_one_store_answer_the_same_bytes(tmp_path):
    """Two servers of two processes each on one folder (the second opens the store the first
    built, without rebuilding it): a DESCRIBE of blank nodes has one ETag and one body."""
    describe = "DESCRIBE <https://w3id.org/rivm/ontology#inEvent>"
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(
            running_server(env={"PYTHONHASHSEED": "1"}, DUMP_DIR=str(tmp_path), WORKERS="2")
        )
        [folder] = _stores(tmp_path)
        built = _files_of(folder)
        second = stack.enter_context(
            running_server(env={"PYTHONHASHSEED": "2"}, DUMP_DIR=str(tmp_path), WORKERS="2")
        )
        answers = {_answer(base, describe) for base in (first, second) for _ in range(4)}
    assert len(answers) == 1
    [(etag, body)] = answers
    assert etag and not etag.startswith("W/") and b"_:" in body
    assert _stores(tmp_path) == [folder] and _files_of(folder) == built
