"""The search index as one SQLite database: written once from what :mod:`.build` read, then read
by every process through a connection of its own (gunicorn forks: a connection must not cross a
fork), from a file opened read-only (``immutable``: it never changes) or from an image in memory.

Tables (one row per resource, per name; numbers count from 0):

``entry``    number, iri, kind, typeset, tier, sort_name, labels and facts (JSON)
``name``     number, entry, text, folded, lang, predicate; names are numbered resource by resource
``names``    FTS5 over ``name.folded`` (external content: the words are stored once)
``typeset``  the distinct sets of asserted types (JSON), which ``entry.typeset`` numbers
``term``     the other IRIs the data names (classes, properties, external terms): labels, types
``class``    every class with itself and its subclasses (JSON)
``lean``     what matching reads for every candidate name, kept whole in memory: arrays of the
             entry of each name, the typeset, tier and alphabetical rank of each entry, and the
             words a typo may stand for. Stored as blobs, they load in milliseconds where one
             Python object per row took seconds at 1M triples (113k resources, 369k names)
``meta``     the format, the data version and the arrays' byte order

Nothing here is unpickled or evaluated: JSON, text, numbers and arrays of machine integers.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from array import array
from pathlib import Path
from typing import Any

from ..rdf.terms import Value
from .build import Content

#: Bumped whenever the tables change: a database of another format is rebuilt, never read.
FORMAT = "1"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entry (
    number INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT, typeset INTEGER NOT NULL,
    tier INTEGER NOT NULL, sort_name TEXT NOT NULL, labels TEXT NOT NULL, facts TEXT NOT NULL
);
CREATE TABLE name (
    number INTEGER PRIMARY KEY, entry INTEGER NOT NULL, text TEXT NOT NULL,
    folded TEXT NOT NULL, lang TEXT, predicate TEXT NOT NULL
);
CREATE VIRTUAL TABLE names USING fts5(
    folded, content='name', content_rowid='number', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE typeset (number INTEGER PRIMARY KEY, types TEXT NOT NULL);
CREATE TABLE term (iri TEXT PRIMARY KEY, labels TEXT NOT NULL, types TEXT NOT NULL);
CREATE TABLE class (iri TEXT PRIMARY KEY, below TEXT NOT NULL);
CREATE TABLE lean (key TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
#: The arrays of ``lean`` and their item types (``array`` codes).
ARRAYS = {"entry_of": "i", "typeset_of": "i", "tier": "b", "alphabetical": "i"}


class IndexFileError(ValueError):
    """A database that is not a search index of this format and data version."""


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _value(value: Value) -> list:
    return [value.text, value.kind, value.language, value.datatype]


def write(content: Content, connection: sqlite3.Connection) -> None:
    """Fill an empty database with ``content`` (committed)."""
    connection.executescript(SCHEMA)
    typesets: dict[tuple[str, ...], int] = {}
    for resource in content.resources:
        typesets.setdefault(resource.types, len(typesets))
    connection.executemany(
        "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                number,
                r.iri,
                r.kind,
                typesets[r.types],
                r.tier,
                r.sort_name,
                _json([[p, *_value(o)] for p, o in r.labels]),
                _json([[p, *_value(o)] for p, o in r.facts]),
            )
            for number, r in enumerate(content.resources)
        ),
    )
    connection.executemany(
        "INSERT INTO name VALUES (?, ?, ?, ?, ?, ?)",
        (
            (number, n.entry, n.text, n.folded, n.lang, n.predicate)
            for number, n in enumerate(content.names)
        ),
    )
    connection.execute("CREATE INDEX name_by_folded ON name (folded)")
    connection.execute("INSERT INTO names (names) VALUES ('rebuild')")
    connection.executemany(
        "INSERT INTO typeset VALUES (?, ?)", ((n, _json(t)) for t, n in typesets.items())
    )
    connection.executemany(
        "INSERT INTO term VALUES (?, ?, ?)",
        (
            (
                iri,
                _json([[p, *_value(o)] for p, o in pairs]),
                _json(content.term_types.get(iri, ())),
            )
            for iri, pairs in content.terms.items()
        ),
    )
    connection.executemany(
        "INSERT INTO class VALUES (?, ?)",
        ((c, _json(sorted(below))) for c, below in content.below.items()),
    )
    alphabetical = sorted(
        range(len(content.resources)),
        key=lambda n: (content.resources[n].sort_name, content.resources[n].iri),
    )
    rank = array(ARRAYS["alphabetical"], [0]) * len(alphabetical)
    for position, number in enumerate(alphabetical):
        rank[number] = position
    arrays = {
        "entry_of": array(ARRAYS["entry_of"], (n.entry for n in content.names)),
        "typeset_of": array(ARRAYS["typeset_of"], (typesets[r.types] for r in content.resources)),
        "tier": array(ARRAYS["tier"], (r.tier for r in content.resources)),
        "alphabetical": rank,
    }
    words = {w for n in content.names for w in n.folded.split()}
    texts = {
        "folded": "\n".join(n.folded for n in content.names),  # (fold leaves no line break)
        "vocabulary": "\n".join(sorted(w for w in words if w.isalpha())),
    }
    connection.executemany(
        "INSERT INTO lean VALUES (?, ?)",
        [
            *((key, a.tobytes()) for key, a in arrays.items()),
            *((key, text.encode()) for key, text in texts.items()),
        ],
    )
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("format", FORMAT), ("data_version", content.data_version), ("byteorder", sys.byteorder)],
    )
    connection.commit()


def write_file(content: Content, path: Path) -> None:
    """The database of ``content`` as a new file at ``path``."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")  # a new file, discarded if not finished
        connection.execute("PRAGMA synchronous = OFF")
        write(content, connection)
    finally:
        connection.close()


def memory_image(content: Content) -> bytes:
    """The database of ``content`` serialised, for an index kept in memory only."""
    connection = sqlite3.connect(":memory:")
    try:
        write(content, connection)
        return connection.serialize()
    finally:
        connection.close()


class Database:
    """A search index's database, read through one connection per process (behind a lock:
    each read takes well under a millisecond)."""

    def __init__(self, source: Path | bytes):
        self.source = source
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self.pid = 0

    def rows(self, sql: str, parameters: tuple | list = ()) -> list[Any]:
        with self._lock:
            if self._connection is None or self.pid != os.getpid():
                self._connection = self._connect()
                self.pid = os.getpid()
            return self._connection.execute(sql, parameters).fetchall()

    def _connect(self) -> sqlite3.Connection:
        if isinstance(self.source, bytes):
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            connection.deserialize(self.source)
            return connection
        uri = self.source.absolute().as_uri() + "?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    def close(self) -> None:
        """Close this process's connection (before a fork: the children open their own)."""
        with self._lock:
            if self._connection is not None and self.pid == os.getpid():
                self._connection.close()
            self._connection, self.pid = None, 0

    def lean(self, data_version: str | None = None) -> dict[str, Any]:
        """The ``lean`` arrays and vocabulary, after checking the format (and data version)."""
        try:
            meta = dict(self.rows("SELECT key, value FROM meta"))
            stored = dict(self.rows("SELECT key, data FROM lean"))
        except sqlite3.DatabaseError as error:
            raise IndexFileError(f"not a search index ({error})") from error
        if meta.get("format") != FORMAT:
            raise IndexFileError(f"a search index of format {meta.get('format')}, not {FORMAT}")
        if data_version is not None and meta.get("data_version") != data_version:
            raise IndexFileError(f"the search index of data version {meta.get('data_version')}")
        found: dict[str, Any] = {"data_version": meta.get("data_version")}
        missing = {*ARRAYS, "folded", "vocabulary"} - set(stored)
        if missing:
            raise IndexFileError(f"a search index without {', '.join(sorted(missing))}")
        for key, code in ARRAYS.items():
            items = array(code)
            items.frombytes(stored[key])
            if meta.get("byteorder") != sys.byteorder:
                items.byteswap()
            found[key] = items
        for key in ("folded", "vocabulary"):
            text = stored[key].decode()
            found[key] = text.split("\n") if text else []
        return found
