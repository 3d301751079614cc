"""Releases on disk: one folder per version under the releases folder (``RIVM_RELEASES_DIR``).

A release folder holds the dumps of that data version in every format and their
``SHA256SUMS``, its CSV tables with their metadata (``tables/``), and ``release.json``
(version, date issued, data version, counts, every file's size and SHA-256). ``rivm.nq.gz`` is
the canonical copy: every other dump format is rebuilt from it, byte for byte (the dumps are
deterministic), and checked against the recorded SHA-256, so a repository may keep only the
record, the checksums, that one file and the tables (see ``.gitignore``).

Versions are plain version strings (``0.2.0``, ``1.0.0-rc.1``); anything else is no release,
so a path such as ``../x`` never reaches the file system.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from ..publish.dumps import BASENAME, CHECKSUMS, FORMATS, write_dumps
from ..publish.tables.metadata import METADATA
from ..rdf.formats import CSV, CSVW_METADATA, JSON
from ..rdf.namespaces import BASE_IRI

RECORD = "release.json"
CANONICAL = f"{BASENAME}.nq.gz"
VERSION = re.compile(
    r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}(?:-[0-9A-Za-z]{1,20}(?:\.[0-9A-Za-z]{1,20}){0,3})?"
)
_BY_NAME = {f"{BASENAME}.{fmt.extension}": fmt for fmt in FORMATS}
#: The folder of a release holding its CSV tables, csv-metadata.json and datapackage.json.
TABLES = "tables"
_TABLE_TYPES = {
    ".csv": CSV.media_type,
    METADATA: CSVW_METADATA.media_type,
    ".json": JSON.media_type,
}


class ReleaseError(ValueError):
    """A release cannot be made (bad or taken version) or read (damaged record)."""


def release_iri(version: str) -> str:
    """The release's persistent IRI (its page here is /releases/<version>/)."""
    return f"{BASE_IRI}releases/{version}"


def current_release(releases: Iterable[Release], data_version: str) -> Release | None:
    """The latest release of the data this server holds, if it is a release."""
    same = [r for r in releases if r.data_version == data_version]
    return same[-1] if same else None


def valid_version(version: str) -> bool:
    return bool(VERSION.fullmatch(version))


def version_key(version: str) -> tuple:
    """Numeric order of the dotted parts; a pre-release (``-rc.1``) before its release."""
    main, _, pre = version.partition("-")
    return (tuple(int(p) for p in main.split(".")), pre == "", pre)


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    media_type: str  # of the file as served (a .gz is application/gzip)
    label: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Release:
    version: str
    issued: date
    data_version: str  # the store's version of the data it was made from
    package_version: str
    triples: int
    quads: int
    files: tuple[ReleaseFile, ...]
    directory: Path
    #: where each file's verified bytes are (the folder itself, or the rebuilt copy)
    locations: Mapping[str, Path] = field(default_factory=dict)

    def file(self, name: str) -> ReleaseFile | None:
        return next((f for f in self.files if f.name == name), None)

    def path(self, name: str) -> Path | None:
        """The verified file ``name`` of this release, or None (unknown, missing, altered)."""
        return self.locations.get(name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def _record(release: Release) -> dict:
    return {
        "version": release.version,
        "issued": release.issued.isoformat(),
        "dataVersion": release.data_version,
        "packageVersion": release.package_version,
        "triples": release.triples,
        "quads": release.quads,
        "files": [
            {
                "name": f.name,
                "mediaType": f.media_type,
                "format": f.label,
                "bytes": f.size,
                "sha256": f.sha256,
            }
            for f in release.files
        ],
    }


def _read(directory: Path) -> Release | None:
    path = directory / RECORD
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = tuple(
            ReleaseFile(f["name"], f["mediaType"], f["format"], int(f["bytes"]), f["sha256"])
            for f in data["files"]
        )
        release = Release(
            version=data["version"],
            issued=date.fromisoformat(data["issued"]),
            data_version=data["dataVersion"],
            package_version=data["packageVersion"],
            triples=int(data["triples"]),
            quads=int(data["quads"]),
            files=files,
            directory=directory,
        )
    except (ValueError, KeyError, TypeError) as error:
        raise ReleaseError(f"{path} is not a release record: {error}") from error
    if release.version != directory.name:
        raise ReleaseError(f"{path} records version {release.version}, not {directory.name}")
    return release


def _inside(base: Path, directory: Path) -> bool:
    """A folder of ``base`` itself: not a symbolic link leading elsewhere."""
    return directory.is_dir() and directory.resolve().parent == base.resolve()


def list_releases(base: Path) -> list[Release]:
    """Every release under ``base``, oldest first (by date issued, then version)."""
    if not base.is_dir():
        return []
    found = [
        r
        for d in base.iterdir()
        if valid_version(d.name) and _inside(base, d) and (r := _read(d)) is not None
    ]
    return sorted(found, key=lambda r: (r.issued, version_key(r.version)))


def find_release(base: Path, version: str) -> Release | None:
    """The release ``version`` under ``base``; None for anything that is not a plain version."""
    if not valid_version(version):
        return None
    directory = base / version
    return _read(directory) if _inside(base, directory) else None


def make_release(
    quads: Iterable[ox.Quad],
    *,
    version: str,
    base: Path,
    data_version: str,
    package_version: str,
    issued: date | None = None,
    tables: Callable[[Path], None] | None = None,
) -> Release:
    """Write the release ``version`` of ``quads`` under ``base``, all at once or not at all;
    ``tables`` writes the CSV tables (and their metadata) into the folder it is given."""
    if not valid_version(version):
        raise ReleaseError(
            f"{version!r} is not a version: use digits and dots, with an optional pre-release "
            "tag (0.2.0, 1.0.0-rc.1)"
        )
    directory = base / version
    if directory.exists():
        raise ReleaseError(f"release {version} already exists in {base}; releases never change")
    base.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=base))
    try:
        write_dumps(list(quads), building)
        files = [
            ReleaseFile(
                name,
                fmt.served_as,
                fmt.label,
                (building / name).stat().st_size,
                _sha256(building / name),
            )
            for name, fmt in _BY_NAME.items()
        ]
        if tables is not None:
            (building / TABLES).mkdir()
            tables(building / TABLES)
            files += [
                ReleaseFile(
                    f"{TABLES}/{path.name}",
                    _TABLE_TYPES.get(path.name) or _TABLE_TYPES.get(path.suffix, "text/plain"),
                    "table" if path.suffix == ".csv" else "table metadata",
                    path.stat().st_size,
                    _sha256(path),
                )
                for path in sorted((building / TABLES).iterdir())
            ]
        release = Release(
            version=version,
            issued=issued or date.today(),
            data_version=data_version,
            package_version=package_version,
            triples=_lines(building / f"{BASENAME}.nt"),
            quads=_lines(building / f"{BASENAME}.nq"),
            files=tuple(files),
            directory=directory,
        )
        (building / RECORD).write_text(
            json.dumps(_record(release), indent=1) + "\n", encoding="utf-8"
        )
        os.chmod(building, 0o755)
        os.replace(building, directory)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return restore(release, None)


def release_quads(release: Release) -> list[ox.Quad]:
    """The release's dataset, read from its canonical N-Quads file (verified)."""
    path = release.path(CANONICAL) or _verified(release, release.directory, [CANONICAL]).get(
        CANONICAL
    )
    if path is None:
        raise ReleaseError(f"release {release.version}: {CANONICAL} is missing or altered")
    with gzip.open(path, "rb") as f:
        return list(ox.parse(f.read(), format=ox.RdfFormat.N_QUADS))


def _verified(
    release: Release, folder: Path, names: Iterable[str] | None = None
) -> dict[str, Path]:
    """The files of ``release`` (or those of ``names``) whose bytes in ``folder`` are intact."""
    wanted = set(names) if names is not None else None
    found = {}
    for f in release.files:
        if wanted is not None and f.name not in wanted:
            continue
        path = folder / f.name
        if path.is_file() and path.stat().st_size == f.size and _sha256(path) == f.sha256:
            found[f.name] = path
    return found


def restore(release: Release, cache: Path | None) -> Release:
    """The release with every file it can serve verified; files missing from its folder are
    rebuilt from the canonical N-Quads into ``cache`` (once: the copies are kept there)."""
    locations = _verified(release, release.directory)
    missing = [f.name for f in release.files if f.name not in locations and f.name in _BY_NAME]
    if not missing or cache is None or CANONICAL not in locations:
        return replace(release, locations=locations)
    folder = cache / release.version
    rebuilt = _verified(release, folder, missing)
    if len(rebuilt) < len(missing):
        cache.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{release.version}-", dir=cache))
        try:
            with gzip.open(locations[CANONICAL], "rb") as f:
                quads = list(ox.parse(f.read(), format=ox.RdfFormat.N_QUADS))
            write_dumps(quads, building)
            (building / CHECKSUMS).unlink()
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(building, folder)
        finally:
            if building.exists():
                shutil.rmtree(building, ignore_errors=True)
        rebuilt = _verified(release, folder, missing)
    return replace(release, locations={**rebuilt, **locations})


def restored_releases(base: Path, cache: Path) -> list[Release]:
    return [restore(r, cache) for r in list_releases(base)]


def checksums_path(release: Release) -> Path | None:
    path = release.directory / CHECKSUMS
    return path if path.is_file() else None
