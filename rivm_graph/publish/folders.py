"""Files built once per data version into a folder of their own, beside a checksum file: read
back only when complete and intact, else rebuilt and swapped in atomically (the dumps, the
tables)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

CHECKSUMS = "SHA256SUMS"

T = TypeVar("T")


def write_checksums(directory: Path, written: dict[str, bytes]) -> None:
    """``SHA256SUMS`` in ``directory``: one line per file, as ``sha256sum`` writes and checks."""
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(written.items())
    ]
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
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    built = read(directory)
    if built is None:
        raise RuntimeError(f"the files written to {directory} do not verify")
    return built
