"""The search index on disk: built once per data version, opened read-only by every start.

Built at every start, the index of 1M triples took 18 s (four SELECTs read whole, 113k
resources and 369k names folded and indexed). It is now built once, as the on-disk store is:
the database of a data version lives in ``search-<package version>-<format>-<data version>/``
under the folder given (the dumps' folder), as ``index.sqlite`` beside its ``SHA256SUMS``. It is
written into a hidden folder beside it, its checksum written last, and only then renamed into
place: a folder under the final name is always whole. One process builds at a time (a lock
file); another start waits for it and then opens what it built. The index of the previous data
version is kept (a server still running on it during a restart keeps reading it), older ones
are removed after a build.

At each start the file's checksum is verified as the dumps' are (hashed after its build and
whenever its size, inode or times changed since: :func:`..built_folders.verified`), and its
tables are checked to be of this format and data version; a folder that fails is rebuilt,
never served. The folder and the file must be this user's and writable by nobody else, and
neither may be a symbolic link: such a folder is refused (FolderError), as an unsafe dump
folder is, since what is there would be served.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
import threading
from pathlib import Path

from .. import __version__
from ..built_folders import (
    CHECKSUMS,
    building_lock,
    note_built,
    read_checksums,
    remove_leftovers,
    sha256_of,
    verified,
    write_digests,
)
from ..config import FolderError, ownership_problem
from ..stores.base import GraphStore
from .build import read_content
from .database import FORMAT, IndexFileError, write_file
from .index import SearchIndex

PREFIX = "search-"
FILE = "index.sqlite"
LOCK = ".search.lock"
#: Indexes kept under the folder: this data version's and the one before.
KEEP = 2


def index_directory(base: Path, version: str) -> Path:
    """Where the index of this data version lives (its format may change with the package)."""
    return base / f"{PREFIX}{__version__}-{FORMAT}-{version}"


def stored_index(store: GraphStore, base: Path) -> SearchIndex:
    """The index of what ``store`` holds, opened from ``base``; built there first if this data
    version has no whole index yet."""
    version = store.data_version
    directory = index_directory(base, version)
    found = _open(directory, version)
    if found is None:
        base.mkdir(parents=True, exist_ok=True)
        with building_lock(base / LOCK):
            found = _open(directory, version)  # built while this one waited?
            if found is None:
                remove_leftovers(base, PREFIX, keep=directory, complete=CHECKSUMS, kept=KEEP)
                _build(store, directory)
                note_built(directory)
                found = _open(directory, version)
    if found is None:
        raise RuntimeError(f"the search index written to {directory} does not verify")
    return found


def _open(directory: Path, version: str) -> SearchIndex | None:
    """The index in ``directory`` if it is whole, of this format and data version; None if it
    is missing or not whole (to be rebuilt); FolderError if it is not safe to read."""
    if not os.path.lexists(directory):
        return None
    _refuse_unsafe(directory, folder=True)
    path = directory / FILE
    if not os.path.lexists(path):
        return None
    _refuse_unsafe(path, folder=False)
    expected = read_checksums(directory)
    if expected is None or set(expected) != {FILE} or verified(directory, expected) is None:
        return None
    try:
        return SearchIndex(path, data_version=version)
    except (IndexFileError, sqlite3.DatabaseError):
        return None


def _refuse_unsafe(path: Path, *, folder: bool) -> None:
    status = path.lstat()
    problem = None
    if stat.S_ISLNK(status.st_mode):
        problem = "is a symbolic link"
    elif folder and not stat.S_ISDIR(status.st_mode):
        problem = "is not a folder"
    elif not folder and not stat.S_ISREG(status.st_mode):
        problem = "is not a file"
    else:
        problem = ownership_problem(status)
    if problem:
        raise FolderError(
            f"the search index {path} {problem}: it is not used, since what is there would be "
            "served. Remove it (it is rebuilt), or set RIVM_DUMP_DIR to a folder of your own"
        )


def _build(store: GraphStore, directory: Path) -> None:
    """Write the index into a fresh hidden folder, its checksum last, and rename it into place
    (replacing a folder under that name that is not whole)."""
    building = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        write_file(read_content(store), building / FILE)
        write_digests(building, {FILE: sha256_of(building / FILE)})
        if os.path.lexists(directory):
            shutil.rmtree(directory)
        os.rename(building, directory)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)


_cache: dict[tuple[int, str], SearchIndex] = {}
_cache_lock = threading.Lock()


def index_for(store: GraphStore, base: Path | None = None) -> SearchIndex:
    """The index of a store's data, kept per data version: on disk under ``base`` (built there
    once, see above), or built in memory on first use if no folder is given."""
    key = (id(store), store.data_version)
    with _cache_lock:
        index = _cache.get(key)
        if index is None:
            for old in [k for k in _cache if k[0] == key[0]]:
                del _cache[old]
            index = SearchIndex.build(store) if base is None else stored_index(store, base)
            _cache[key] = index
    return index
