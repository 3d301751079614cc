"""Files built once per data version into a folder of their own, beside a checksum file: read
back only when complete and intact, else rebuilt and swapped in atomically (the dumps, the
tables, the search index)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

CHECKSUMS = "SHA256SUMS"
#: Written beside the files of a folder by the last verification of their checksums: each
#: file's SHA-256 with its size, inode, modification and change times.
VERIFIED = ".verified.json"

T = TypeVar("T")


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (the dumps' and releases' checksums)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(directory: Path, written: dict[str, bytes]) -> None:
    """``SHA256SUMS`` in ``directory``: one line per file, as ``sha256sum`` writes and checks."""
    write_digests(
        directory, {name: hashlib.sha256(data).hexdigest() for name, data in written.items()}
    )


def write_digests(directory: Path, digests: Mapping[str, str]) -> None:
    """``SHA256SUMS`` from the files' digests (files too large to hold in memory)."""
    lines = [f"{digest}  {name}\n" for name, digest in sorted(digests.items())]
    (directory / CHECKSUMS).write_text("".join(lines))


def read_checksums(directory: Path) -> dict[str, str] | None:
    """File name → SHA-256 as ``SHA256SUMS`` lists them; None without the file."""
    sums = directory / CHECKSUMS
    if not sums.exists():
        return None
    expected: dict[str, str] = {}
    for line in filter(None, sums.read_text().split("\n")):
        digest, name = line.split("  ", 1)
        expected[name] = digest
    return expected


def verified(directory: Path, expected: Mapping[str, str]) -> dict[str, os.stat_result] | None:
    """Each file ``expected`` lists (name → SHA-256) with its status, if every one is a file
    holding those bytes; else None.

    What is verified when: a file is hashed the first time it is read (after its build) and
    again whenever its size, inode, modification or change time (ns) differ from those the last
    verification recorded in VERIFIED; otherwise that record vouches for it. Writing to a file
    changes its change time, which cannot be set back, and replacing it changes its inode, so a
    file truncated, rewritten or swapped since is hashed again (and a copied folder is hashed
    once more). Not caught any more: bytes that rot on the disk without any write. Hashing every
    file at every start took 1.7 s for the dumps of 1M triples.
    """
    record = _record(directory)
    seen: dict[str, list[Any]] = {}
    found: dict[str, os.stat_result] = {}
    for name, digest in expected.items():
        path = directory / name
        try:
            status = path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        now = [digest, status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns]
        if record.get(name) != now and sha256_of(path) != digest:
            return None
        seen[name], found[name] = now, status
    if seen != record:
        write_atomically(directory / VERIFIED, json.dumps(seen, indent=1) + "\n")
    return found


def _record(directory: Path) -> dict[str, list[Any]]:
    try:
        record = json.loads((directory / VERIFIED).read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write_atomically(path: Path, text: str) -> bool:
    """``text`` into ``path`` through a hidden file renamed over it (a reader sees the old file
    or the new one, whole); False if the folder cannot be written (it is then left as it was)."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


@contextlib.contextmanager
def building_lock(lock_file: Path) -> Iterator[None]:
    """Held while a process builds: another start waits, then finds what it built."""
    with open(lock_file, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def remove_leftovers(base: Path, prefix: str, keep: Path, complete: str, kept: int) -> None:
    """Under the building lock: hidden folders of builds that never finished (``.prefix…``, a
    process killed while building), and the built folders (``prefix…`` with the file
    ``complete``) beyond the ``kept`` last ones, ``keep`` and the newest before it."""
    for folder in base.glob(f".{prefix}*"):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
    built = [
        folder
        for folder in base.glob(f"{prefix}*")
        if folder.is_dir()
        and not folder.is_symlink()
        and folder != keep
        and (folder / complete).is_file()
    ]
    built.sort(key=lambda folder: (folder / complete).stat().st_mtime, reverse=True)
    for folder in built[kept - 1 :]:
        shutil.rmtree(folder, ignore_errors=True)


#: The folders this process has built (dumps, tables, the search index), in order.
_built_here: list[Path] = []


def note_built(directory: Path) -> None:
    """Record that this process built ``directory`` (see :func:`built_here`)."""
    _built_here.append(directory)


def built_here() -> list[Path]:
    """The folders this process has built. A build leaves memory behind (the allocator keeps
    what 1M quads took): ``rivm-graph serve`` starts afresh after one, so that gunicorn's
    master does not share it into every server process (measured at 1M triples: 2,731 MB PSS
    after a first start and load, 386 MB after a restart)."""
    return list(_built_here)


def ensure_folder(
    directory: Path, read: Callable[[Path], T | None], write: Callable[[Path], None]
) -> T:
    """What ``read`` finds in ``directory``; if it finds nothing whole, ``write`` fills a fresh
    folder beside it, which then replaces it in one rename (a half-written folder is never
    read, by this process or another)."""
    found = read(directory)
    if found is not None:
        return found
    directory.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        write(building)
        if directory.exists():
            shutil.rmtree(directory)  # incomplete or altered: never served
        os.replace(building, directory)
        note_built(directory)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    built = read(directory)
    if built is None:
        raise RuntimeError(f"the files written to {directory} do not verify")
    return built
