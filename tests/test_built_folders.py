"""Folders built once per data version (the dumps, the tables): at each start their files are
verified without hashing them all again, yet a file whose bytes changed since is caught and the
folder rebuilt; the dumps' counts are written when they are built."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from rivm_graph.built_folders import CHECKSUMS, VERIFIED, read_checksums
from rivm_graph.publish.dumps import BASENAME, COUNTS, ensure_dumps
from rivm_graph.publish.tables import tables_for

VERSION = "test-version"


def bytes_read() -> int:
    """What this process has read through read(2) so far (Linux)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def lines(path: Path) -> int:
    return sum(1 for line in path.read_bytes().split(b"\n") if line.strip())


def rewrite_keeping_size_and_times(path: Path) -> bytes:
    """Other bytes of the same length, the modification time set back: only the change time
    (which nothing can set back) and the bytes tell. Returns the bytes it had."""
    before = path.stat()
    data = path.read_bytes()
    path.write_bytes(bytes(b ^ 0x20 if 0x41 <= b <= 0x7A else b for b in data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    return data


@pytest.fixture
def built(store, tmp_path):
    dumps = ensure_dumps(store.quads, VERSION, tmp_path)
    return store, tmp_path, dumps


def test_dumps_are_hashed_once_then_vouched_for_by_their_record(built):
    store, base, dumps = built
    record = json.loads((dumps.directory / VERIFIED).read_text())
    assert {name: entry[0] for name, entry in record.items()} == read_checksums(dumps.directory)
    total = sum(f.size for f in dumps.files)
    before = bytes_read()
    again = ensure_dumps(store.quads, VERSION, base)
    assert bytes_read() - before < total / 10, "the files were not read again"
    assert again == dumps


def test_a_dump_rewritten_with_its_size_and_times_kept_is_caught_and_rebuilt(built):
    store, base, dumps = built
    path = dumps.directory / f"{BASENAME}.nt"
    good = rewrite_keeping_size_and_times(path)
    again = ensure_dumps(store.quads, VERSION, base)
    assert again.file(f"{BASENAME}.nt").path.read_bytes() == good
    assert (
        hashlib.sha256(path.read_bytes()).hexdigest() == read_checksums(base / VERSION)[path.name]
    )


def test_the_counts_are_written_with_the_dumps_and_counted_where_missing(built):
    store, base, dumps = built
    nt, nq = dumps.directory / f"{BASENAME}.nt", dumps.directory / f"{BASENAME}.nq"
    assert (dumps.triples, dumps.quads) == (lines(nt), lines(nq))
    assert json.loads((dumps.directory / COUNTS).read_text()) == {
        "triples": lines(nt),
        "quads": lines(nq),
    }
    (dumps.directory / COUNTS).unlink()  # dumps built before the counts were written
    inode = nt.stat().st_ino
    again = ensure_dumps(store.quads, VERSION, base)
    assert (again.triples, again.quads) == (lines(nt), lines(nq))
    assert nt.stat().st_ino == inode, "counted, not rebuilt"
    assert (dumps.directory / COUNTS).is_file()


def test_a_table_rewritten_with_its_size_and_times_kept_is_rebuilt(store, tmp_path):
    settings = {"DUMP_DIR": str(tmp_path)}
    tables = tables_for(store, settings)
    assert (tables.directory / VERIFIED).is_file()
    target = tables.files[0].path
    good = rewrite_keeping_size_and_times(target)
    again = tables_for(store, settings)
    assert again.file(target.name).path.read_bytes() == good
    assert (again.directory / CHECKSUMS).is_file()
