"""Dumps of the whole graph in every RDF format, deterministic: the same data gives the same bytes.

Blank nodes are renamed by RDF Dataset Canonicalization (RDFC-1.0), statements are sorted, gzip
carries no timestamp, and a SHA256SUMS file lists every file. Dumps are built once per data
version into their own folder and reused after that.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..config import dump_base
from ..rdf import formats
from ..rdf.namespaces import PREFIXES
from ..rdf.serialize import canonical_quads
from .folders import CHECKSUMS as CHECKSUMS
from .folders import ensure_folder, read_checksums, write_checksums

BASENAME = "rivm"


@dataclass(frozen=True)
class DumpFormat:
    extension: str
    media_type: str
    label: str
    rdf_format: ox.RdfFormat | None  # None: the gzip of another file
    quads: bool = False
    gzip_of: str | None = None

    @property
    def served_as(self) -> str:
        """The Content-Type of the file itself: a .gz is a gzip file holding ``media_type``."""
        return "application/gzip" if self.gzip_of else self.media_type


def _dump(fmt: formats.Format, *, quads: bool = False, gzipped: bool = False) -> DumpFormat:
    """A dump in a format of the registry (with its named graphs if ``quads``), or its gzip."""
    return DumpFormat(
        fmt.extension + (".gz" if gzipped else ""),
        fmt.media_type,
        fmt.label + (" (gzip)" if gzipped else ""),
        None if gzipped else fmt.oxigraph,
        quads=quads,
        gzip_of=fmt.extension if gzipped else None,
    )


FORMATS: tuple[DumpFormat, ...] = (
    _dump(formats.TURTLE),
    _dump(formats.NTRIPLES),
    _dump(formats.NTRIPLES, gzipped=True),
    _dump(formats.NQUADS, quads=True),
    _dump(formats.NQUADS, quads=True, gzipped=True),
    _dump(formats.TRIG, quads=True),
    _dump(formats.JSONLD),
    _dump(formats.RDFXML),
)


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    format: DumpFormat
    size: int
    sha256: str


@dataclass(frozen=True)
class DumpSet:
    version: str
    directory: Path
    files: tuple[DumpFile, ...]
    triples: int
    quads: int

    def file(self, name: str) -> DumpFile | None:
        return next((f for f in self.files if f.name == name), None)


def _serialize(fmt: DumpFormat, triples: list[ox.Triple], quads: list[ox.Quad]) -> bytes:
    turtle_like = fmt.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    prefixes = PREFIXES if turtle_like else None
    data = quads if fmt.quads else triples
    return ox.serialize(data, format=fmt.rdf_format, prefixes=prefixes) or b""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_dumps(all_quads: list[ox.Quad], directory: Path) -> None:
    """Write every format and the checksum file into ``directory`` (which must exist)."""
    quads = canonical_quads(all_quads)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    written: dict[str, bytes] = {}
    for fmt in FORMATS:
        if fmt.gzip_of:
            data = gzip.compress(written[fmt.gzip_of], compresslevel=9, mtime=0)
        else:
            data = _serialize(fmt, triples, quads)
        written[fmt.extension] = data
        (directory / f"{BASENAME}.{fmt.extension}").write_bytes(data)
    write_checksums(directory, {f"{BASENAME}.{ext}": data for ext, data in written.items()})


def _read(directory: Path, version: str) -> DumpSet | None:
    """The dump set in ``directory`` if it is complete and every checksum matches, else None."""
    expected = read_checksums(directory)
    if expected is None:
        return None
    files = []
    for fmt in FORMATS:
        name = f"{BASENAME}.{fmt.extension}"
        path = directory / name
        if not path.exists() or expected.get(name) != _sha256(path):
            return None
        files.append(DumpFile(name, path, fmt, path.stat().st_size, expected[name]))
    with open(directory / f"{BASENAME}.nt", "rb") as f:
        triples = sum(1 for line in f if line.strip())
    with open(directory / f"{BASENAME}.nq", "rb") as f:
        quads = sum(1 for line in f if line.strip())
    return DumpSet(version, directory, tuple(files), triples, quads)


def dump_directory(base: Path, version: str) -> Path:
    return base / version


def ensure_dumps(quads_source, version: str, base: Path) -> DumpSet:
    """The dumps of this data version: read if complete and intact, else (re)built atomically.

    ``quads_source`` is a callable returning every quad of the dataset; it is only called when a
    build is needed.
    """
    return ensure_folder(
        dump_directory(base, version),
        lambda directory: _read(directory, version),
        lambda building: write_dumps(list(quads_source()), building),
    )


def dumps_for(store, settings: dict) -> DumpSet:
    """The dump set of what ``store`` holds, built if needed under the configured folder."""
    version = f"{__version__}-{store.data_version}"
    return ensure_dumps(store.quads, version, dump_base(settings))
