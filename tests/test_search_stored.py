"""The search index on disk (rivm_graph.search.stored): built once per data version, reopened by
every start without reading the store again, answering as the index built in memory does; a
damaged or half-built index is rebuilt, never served; a linked or unsafe one is refused."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from rivm_graph.built_folders import CHECKSUMS, sha256_of, write_digests
from rivm_graph.config import FolderError
from rivm_graph.search import Reconciler, SearchIndex
from rivm_graph.search.stored import FILE, KEEP, PREFIX, index_directory, stored_index
from rivm_graph.stores.base import GraphStore
from tests.conftest import IN_PROCESS

ID = "https://w3id.org/rivm/id/"
RIVM = "https://w3id.org/rivm/ontology#"
#: Whole names, prefixes, typos, several words, codes, types and languages (see test_search).
ASKED = [
    ("queretaro", {}),
    ("Clermont-Ferrand", {"lang": "fr"}),
    ("vall", {"prefix": True}),
    ("Valadolid", {}),
    ("Karlsurhe", {"lang": "de"}),
    ("regensburg germany", {}),
    ("michelin", {"limit": 100}),
    ("michelin", {"types": ["rivm:Event"], "offset": 1}),
    ("Q42168", {}),
    ("FR", {"lang": "es"}),
    ("S-inmc-about: Network presentation: launched 2014, cities", {"limit": 50}),
]


class CountingStore(GraphStore):
    """The loaded store, answering SELECT queries only and counting them."""

    query_serialized = quads = graphs = describe = _statements_about = None  # type: ignore[assignment]

    def __init__(self, store: GraphStore):
        self.store, self.asked = store, 0

    @property
    def data_version(self) -> str:
        return self.store.data_version

    def query(self, text, **options):
        self.asked += 1
        return self.store.query(text, **options)


def answers(index: SearchIndex, store: GraphStore) -> list:
    found: list = [index.search(text, **options).to_dict() for text, options in ASKED]
    service = Reconciler(store, index)
    found.append(
        service.reconcile(
            {
                "q0": {"query": "Clermont Ferrand", "type": RIVM + "City"},
                "q1": {"query": "Valadolid", "properties": [{"pid": "country", "v": "ES"}]},
                "q2": {"query": "Cuneo", "properties": [{"pid": "country", "v": "Italie"}]},
            }
        )
    )
    found += [service.suggest_types("ci"), service.suggest_properties("co")]
    found += [service.manifest("http://example.org"), service.preview(ID + "city/cuneo", "fr")]
    return found


@pytest.fixture(scope="module")
def in_memory(store) -> list:
    return answers(SearchIndex.build(store), store)


def _file_status(base: Path, version: str) -> tuple[int, int, int]:
    status = (index_directory(base, version) / FILE).stat()
    return status.st_ino, status.st_mtime_ns, status.st_size


def test_built_once_then_reopened_without_reading_the_store(store, tmp_path, in_memory):
    first = CountingStore(store)
    built = stored_index(first, tmp_path)
    assert first.asked > 0
    directory = index_directory(tmp_path, store.data_version)
    assert sorted(p.name for p in directory.iterdir() if not p.name.startswith(".")) == [
        CHECKSUMS,
        FILE,
    ]
    before = _file_status(tmp_path, store.data_version)
    again = CountingStore(store)
    reopened = stored_index(again, tmp_path)
    assert again.asked == 0, "the second start reads the index from disk, not the store"
    assert _file_status(tmp_path, store.data_version) == before, "not rebuilt, not written"
    assert answers(built, store) == in_memory
    assert answers(reopened, store) == in_memory
    assert [e.iri for e in reopened.entries] == sorted({e.iri for e in reopened.entries})
    assert len(reopened.names) == len(list(reopened.names))


def test_a_second_create_app_reads_the_index_its_first_built(tmp_path):
    from rivm_graph.web import create_app

    settings = {**IN_PROCESS, "DUMP_DIR": str(tmp_path)}
    first = create_app(settings)
    [directory] = [p for p in tmp_path.iterdir() if p.name.startswith(PREFIX)]
    status = (directory / FILE).stat()
    second = create_app(settings)
    again = (directory / FILE).stat()
    assert (again.st_ino, again.st_mtime_ns) == (status.st_ino, status.st_mtime_ns)
    for app in (first, second):
        answer = app.test_client().get("/search?q=Valadolid&format=json").get_json()
        assert answer["hits"][0]["iri"] == ID + "city/valladolid"


def _damage_bytes(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _remove_checksums(path: Path) -> None:
    (path.parent / CHECKSUMS).unlink()


def _another_version_with_its_checksum(path: Path) -> None:
    """A whole index with a checksum that matches, but of other data (a folder copied or
    renamed by hand): its tables say so."""
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = 'other' WHERE key = 'data_version'")
    connection.close()
    write_digests(path.parent, {FILE: sha256_of(path)})


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"not a database\n" * 100)
    write_digests(path.parent, {FILE: sha256_of(path)})


@pytest.mark.parametrize(
    "damage", [_damage_bytes, _remove_checksums, _another_version_with_its_checksum, _not_sqlite]
)
def test_a_damaged_or_half_built_index_is_rebuilt_never_served(store, tmp_path, in_memory, damage):
    stored_index(store, tmp_path)
    path = index_directory(tmp_path, store.data_version) / FILE
    damage(path)
    killed = tmp_path / f".{path.parent.name}-killed"  # a build killed half-way
    killed.mkdir()
    (killed / FILE).write_bytes(b"")
    counting = CountingStore(store)
    rebuilt = stored_index(counting, tmp_path)
    assert counting.asked > 0, "rebuilt from the store"
    assert answers(rebuilt, store) == in_memory
    assert not killed.exists(), "a killed build's leftovers are removed"


def _linked_file(path: Path) -> None:
    elsewhere = path.parent.parent / "elsewhere.sqlite"
    shutil.copy(path, elsewhere)
    path.unlink()
    path.symlink_to(elsewhere)


def _linked_folder(path: Path) -> None:
    folder = path.parent
    elsewhere = folder.parent / "elsewhere"
    shutil.copytree(folder, elsewhere)
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere)


def _folder_others_may_write(path: Path) -> None:
    path.parent.chmod(0o777)


def _file_others_may_write(path: Path) -> None:
    path.chmod(0o666)


@pytest.mark.parametrize(
    "unsafe", [_linked_file, _linked_folder, _folder_others_may_write, _file_others_may_write]
)
def test_an_index_that_is_a_link_or_that_others_may_write_is_refused(store, tmp_path, unsafe):
    stored_index(store, tmp_path)
    path = index_directory(tmp_path, store.data_version) / FILE
    unsafe(path)
    with pytest.raises(FolderError, match=r"search index .* (symbolic link|written by other)"):
        stored_index(store, tmp_path)


def test_a_change_of_data_builds_a_new_index_and_old_ones_are_removed(store, tmp_path):
    class Version(CountingStore):
        def __init__(self, store: GraphStore, version: str):
            super().__init__(store)
            self.version = version

        @property
        def data_version(self) -> str:
            return self.version

    folders = []
    for version in ["a1", "b2", "c3", "d4"][: KEEP + 2]:
        index = stored_index(Version(store, version), tmp_path)
        assert index.data_version == version
        folders.append(index_directory(tmp_path, version))
        os.utime(folders[-1] / CHECKSUMS, (len(folders), len(folders)))  # built in this order
    kept = sorted(p for p in tmp_path.iterdir() if p.name.startswith(PREFIX))
    assert kept == sorted(folders[-KEEP:]), "this version's and the one before"


def test_a_forked_process_reads_the_file_through_its_own_connection(store, tmp_path):
    index = stored_index(store, tmp_path)
    assert index.search("queretaro").hits[0].iri == ID + "city/queretaro"
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            hit = index.search("Cuneo").hits[0].iri
            os.write(writer, f"{hit} {index._pid == os.getpid()}".encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as answer:
        reported = answer.read()
    os.waitpid(child, 0)
    assert reported == f"{ID}city/cuneo True"
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only"):
        index._database.rows("DELETE FROM name")
