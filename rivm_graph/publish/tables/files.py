"""The tables written once per data version into their own folder, and read back intact."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ... import __version__
from ...built_folders import ensure_folder, read_checksums, verified, write_checksums
from ...config import dump_base
from ...stores.base import GraphStore
from .build import build_table, to_csv
from .metadata import CSV_MEDIA_TYPE, DATAPACKAGE, METADATA, csv_metadata, datapackage
from .specs import TABLES


def _json(document: dict) -> bytes:
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_tables(store: GraphStore, directory: Path, version: str) -> None:
    """Every table, ``csv-metadata.json``, ``datapackage.json`` and SHA256SUMS into
    ``directory`` (which must exist)."""
    tables = [build_table(store, spec) for spec in TABLES]
    written = {f"{t.spec.name}.csv": to_csv(t) for t in tables}
    written[METADATA] = _json(csv_metadata(tables, version))
    written[DATAPACKAGE] = _json(datapackage(tables, written, version))
    for name, data in written.items():
        (directory / name).write_bytes(data)
    write_checksums(directory, written)


@dataclass(frozen=True)
class TableFile:
    name: str
    path: Path
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class TableSet:
    version: str
    directory: Path
    files: tuple[TableFile, ...]

    def file(self, name: str) -> TableFile | None:
        return next((f for f in self.files if f.name == name), None)

    def table(self, name: str) -> TableFile | None:
        return self.file(f"{name}.csv")

    @property
    def names(self) -> list[str]:
        return [t.name for t in TABLES]


def _media_type(name: str) -> str:
    return CSV_MEDIA_TYPE if name.endswith(".csv") else "application/json"


def _read(directory: Path, version: str) -> TableSet | None:
    """The tables in ``directory`` if complete and intact (their checksums verified as
    :func:`..folders.verified` says), else None."""
    listed = read_checksums(directory)
    if listed is None or set(listed) != {f"{t.name}.csv" for t in TABLES} | {METADATA, DATAPACKAGE}:
        return None
    found = verified(directory, listed)
    if found is None:
        return None
    files = tuple(
        TableFile(name, directory / name, _media_type(name), found[name].st_size, digest)
        for name, digest in listed.items()
    )
    return TableSet(version, directory, files)


def tables_for(store: GraphStore, settings: dict) -> TableSet:
    """The tables of what ``store`` holds, built if needed under the configured dump folder."""
    version = f"{__version__}-{store.data_version}"
    directory = dump_base(settings) / f"tables-{version}"
    return ensure_folder(
        directory,
        lambda found: _read(found, version),
        lambda building: write_tables(store, building, version),
    )
