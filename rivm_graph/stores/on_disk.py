"""The embedded store on disk: built once per data version, opened read-only by every process.

Held in memory, the store was copied into every process that touched its pages: at 1M triples a
server's processes (gunicorn's, and each one's query workers) reached 1.7 GB PSS. On disk, every
process reads the same files through the kernel's page cache, which is shared, and keeps only a
small cache of its own.

The store of a data version lives in ``oxigraph-<package version>-<pyoxigraph version>-<data
version>`` under the folder given (the dumps' folder). It is built in a hidden folder beside it,
marked complete with a last file, closed, and only then renamed into place: a folder under the
final name is always whole, and a start never sees a half-built one. One process builds at a time
(a lock file); another start waits for it and then opens what it built. The store of the previous
data version is kept (a server still running on it during a restart keeps reading its files),
older ones are removed after a build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from importlib.metadata import version as package_version
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..apart import run_apart
from ..built_folders import building_lock, remove_leftovers
from .base import StoreError
from .files import GraphFile, files_version
from .oxigraph import OxigraphStore, load_files

PREFIX = "oxigraph-"
#: Written last into a built store, with its data version: a folder without it is not used.
COMPLETE = "COMPLETE"
LOCK = ".oxigraph.lock"
#: Stores kept under the folder: this data version's and the one before.
KEEP = 2


def store_directory(base: Path, version: str) -> Path:
    """Where the store of this data version lives (the format may change with either package)."""
    return base / f"{PREFIX}{__version__}-{package_version('pyoxigraph')}-{version}"


def _complete(directory: Path, version: str) -> bool:
    marker = directory / COMPLETE
    return marker.is_file() and marker.read_text().strip() == version


def _open(directory: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(directory))
    except OSError as error:
        raise StoreError(
            f"the store built in {directory} cannot be opened ({error}); "
            "delete that folder and start again to rebuild it"
        ) from error


def _build(files: Sequence[GraphFile], version: str, directory: Path) -> None:
    """Load the files into a fresh hidden folder (canonical blank-node names), mark it complete,
    close it and rename it into place. Run apart: the bulk loader's memory is not kept."""
    building = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        disk = load_files(files, into=ox.Store(str(building)))
        disk.flush()
        del disk  # closes it: nothing is written after the rename
        (building / COMPLETE).write_text(version + "\n")
        if directory.exists():  # not whole (no mark, or another version's): never served
            shutil.rmtree(directory)
        os.rename(building, directory)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)


def open_shared(files: Sequence[GraphFile], base: Path) -> OxigraphStore:
    """The store of these files, opened read-only from ``base``; built there first if this data
    version has no complete store yet."""
    files = list(files)
    version = files_version(files)
    directory = store_directory(base, version)
    if not _complete(directory, version):
        base.mkdir(parents=True, exist_ok=True)
        with building_lock(base / LOCK):
            if not _complete(directory, version):  # nobody built it while this one waited
                remove_leftovers(base, PREFIX, keep=directory, complete=COMPLETE, kept=KEEP)
                run_apart(_build, files, version, directory)
    return OxigraphStore(files, store=_open(directory), version=version)
