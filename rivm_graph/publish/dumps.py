"""Dumps of the whole graph in every RDF format, deterministic: the same data gives the same bytes.

Blank nodes are renamed by RDF Dataset Canonicalization (RDFC-1.0), statements are sorted, gzip
carries no timestamp, and a SHA256SUMS file lists every file. Dumps are built once per data
version into their own folder and reused after that.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..built_folders import CHECKSUMS as CHECKSUMS
from ..built_folders import (
    ensure_folder,
    read_checksums,
    verified,
    write_atomically,
    write_checksums,
)
from ..built_folders import sha256_of as sha256_of
from ..config import dump_base
from ..rdf import formats
from ..rdf.namespaces import PREFIXES
from ..rdf.serialize import canonical_quads

BASENAME = "rivm"
#: The numbers of triples and quads of a dump set (JSON), written when it is built: counting the
#: lines of the N-Triples and N-Quads files took 0.7 s of every start at 1M triples.
COUNTS = ".counts.json"


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


def write_dumps(all_quads: list[ox.Quad], directory: Path) -> tuple[int, int]:
    """Write every format and the checksum file into ``directory`` (which must exist); the
    numbers of triples and quads written (the lines of the N-Triples and N-Quads files)."""
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
    return _lines(written["nt"]), _lines(written["nq"])


def _lines(data: bytes) -> int:
    return sum(1 for line in data.split(b"\n") if line.strip())


def _lines_of(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def _write_counts(directory: Path, triples: int, quads: int) -> bool:
    return write_atomically(directory / COUNTS, json.dumps({"triples": triples, "quads": quads}))


def _counts(directory: Path) -> tuple[int, int]:
    """The numbers written with the dumps; counted from the files where that record is missing
    or unreadable (dumps built before it was written), and then recorded."""
    try:
        counts = json.loads((directory / COUNTS).read_text())
        triples, quads = counts["triples"], counts["quads"]
        if type(triples) is int and type(quads) is int and 0 <= triples <= quads:
            return triples, quads
    except (OSError, ValueError, TypeError, KeyError):
        pass
    triples, quads = (_lines_of(directory / f"{BASENAME}.{ext}") for ext in ("nt", "nq"))
    _write_counts(directory, triples, quads)
    return triples, quads


def _read(directory: Path, version: str) -> DumpSet | None:
    """The dump set in ``directory`` if it is complete and intact, else None: every file listed
    in SHA256SUMS with its checksum, verified as :func:`.folders.verified` says (hashed after
    its build and whenever it changed since its last verification)."""
    expected = read_checksums(directory)
    if expected is None:
        return None
    names = {fmt: f"{BASENAME}.{fmt.extension}" for fmt in FORMATS}
    if any(name not in expected for name in names.values()):
        return None
    found = verified(directory, {name: expected[name] for name in names.values()})
    if found is None:
        return None
    files = tuple(
        DumpFile(name, directory / name, fmt, found[name].st_size, expected[name])
        for fmt, name in names.items()
    )
    triples, quads = _counts(directory)
    return DumpSet(version, directory, files, triples, quads)


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
        lambda building: _build(quads_source, building),
    )


def _build(quads_source, directory: Path) -> None:
    triples, quads = write_dumps(list(quads_source()), directory)
    _write_counts(directory, triples, quads)


def dumps_for(store, settings: dict) -> DumpSet:
    """The dump set of what ``store`` holds, built if needed under the configured folder."""
    version = f"{__version__}-{store.data_version}"
    return ensure_dumps(store.quads, version, dump_base(settings))
