"""Settings shared by the command line and the web application.

Precedence: the defaults below, then ``RIVM_*`` environment variables, then explicit overrides
(tests). The web application applies the same order with Flask's ``from_prefixed_env``.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PREFIX = "RIVM_"

#: Every setting, with its default. The README's configuration table documents each key.
DEFAULTS: dict[str, Any] = {
    # Folder holding ontology/, data/, shapes/ and queries/ (the repository by default).
    "DATA_ROOT": str(Path(__file__).resolve().parent.parent),
    # Which store serves the graph: "oxigraph" (embedded, built on disk once per data version
    # under DUMP_DIR and opened read-only by every process), "oxigraph-memory" (embedded, loaded
    # into each server's memory at every start) or "sparql" (a remote engine loaded by
    # `rivm-graph load`, at SPARQL_QUERY_URL, with optional HTTP Basic credentials).
    "STORE": "oxigraph",
    "SPARQL_QUERY_URL": "",
    "SPARQL_USER": "",
    "SPARQL_PASSWORD": "",
    # Address the production server binds to.
    "HOST": "127.0.0.1",
    "PORT": 8080,
    # gunicorn worker processes (they share the loaded graph); 0: two per processor core, at
    # most 16.
    "WORKERS": 0,
    # Threads per gunicorn worker (requests in flight per process).
    "THREADS": 4,
    # Seconds a client has to send a whole request (from connecting, or from the first byte of
    # the next request on a kept-alive connection); 408 and the connection closed beyond.
    "REQUEST_READ_TIMEOUT": 10,
    # Open client connections per server process; beyond, a new one is answered 503 at once.
    "MAX_CONNECTIONS": 1000,
    # Seconds a stopping server process gives the requests in progress before cutting them.
    "GRACEFUL_TIMEOUT": 5,
    # Public URL of this server (for the service description); empty: taken from each request.
    "PUBLIC_URL": "",
    # SPARQL: the processor seconds a query may use, the wall-clock seconds a client waits at
    # most for its answer (a result or 503), worker processes per server process, the long
    # queries (past 0.1 s of processor time) a server process runs at once, result cap.
    "QUERY_TIMEOUT": 10,
    "QUERY_DEADLINE": 10,
    "QUERY_WORKERS": 2,
    "SLOW_QUERIES": 2,
    "MAX_ROWS": 10000,
    # Largest query text or request body accepted, in bytes (larger: 413).
    "MAX_QUERY_BYTES": 262144,
    # The largest query given to an engine (larger: 400, before any parser sees it): tokens,
    # nesting of { ( [ and triple patterns. Oxigraph's parser recurses, and its planning time grows
    # with the cube of the patterns (see query_text.QuerySize and the README).
    "MAX_QUERY_TOKENS": 3000,
    "MAX_QUERY_DEPTH": 64,
    "MAX_QUERY_PATTERNS": 64,
    # SERVICE endpoints a query may call (none: federation is disabled). JSON list or
    # comma-separated IRIs.
    "SERVICE_ALLOWLIST": [],
    # Answers kept in each process's cache (identical query, format and graphs).
    "CACHE_ENTRIES": 512,
    # Who publishes the dataset, as the VoID, DCAT-AP and schema.org descriptions name it (no
    # organisation is given by the sources; the default is the project's contributors).
    "PUBLISHER_NAME": "rivm-graph contributors",
    # The publisher's kind, a code of the ADMS publisher types (http://purl.org/adms/publishertype/).
    "PUBLISHER_TYPE": "PrivateIndividual(s)",
    # Where to reach the publisher (the descriptions' contact point); empty: this site's home page.
    "CONTACT_URL": "",
    # Where readers send corrections, linked from the page "What we don't know" (an issue
    # tracker or a mailto: address); empty: CONTACT_URL, else the page says none is given.
    "CORRECTIONS_URL": "",
    # Per-client budgets in the `limits` syntax ("600 per minute"): requests to the SPARQL
    # endpoint and the query page that evaluate a query (cached answers cost nothing), and query
    # seconds per minute.
    "RATE_LIMIT": "600 per minute",
    "QUERY_BUDGET": "120 per minute",
    # Structured access log (JSON lines on stderr); query text and client address only if enabled.
    "ACCESS_LOG": True,
    "LOG_QUERY_TEXT": False,
    "LOG_CLIENT_ADDRESS": False,
    # Where dumps, tables, the search index and the embedded store are built, one folder per
    # data version (empty: the system's temporary folder).
    "DUMP_DIR": "",
    # Where releases are kept, one folder per version (empty: releases/ in DATA_ROOT). Made by
    # `rivm-graph release`, read at start-up; never written by the server.
    "RELEASES_DIR": "",
}


def _decode(raw: str) -> Any:
    """Read an environment value as JSON when it is JSON (numbers, booleans), else as text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def allowlist(value: Any) -> frozenset[str]:
    """RIVM_SERVICE_ALLOWLIST as a set of IRIs, from a list or a comma-separated string."""
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",")]
    return frozenset(v for v in value or () if v)


#: The most server processes chosen for a large machine (each has its own answer cache, and over
#: time its own copy of some of the graph's pages); RIVM_WORKERS may set more.
MAX_AUTO_PROCESSES = 16


def server_processes(settings: dict[str, Any]) -> int:
    """RIVM_WORKERS, or two per processor core up to MAX_AUTO_PROCESSES: each process runs Python
    under its own GIL, and with one per core its threads queued for it (measured near saturation
    on 2 cores: lookups' p99 19.7 ms with 2 processes of 8 threads, 13.8 ms with 4 of 4)."""
    explicit = int(settings.get("WORKERS") or 0)
    return explicit or min(2 * usable_cores(), MAX_AUTO_PROCESSES)


def usable_cores() -> int:
    """The processor cores this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class SettingError(RuntimeError):
    """A setting the service cannot run with (the message says which and why)."""


class FolderError(SettingError):
    """A folder the service would build into and serve from is not safe to use."""


def dump_base(settings: dict[str, Any]) -> Path:
    """Where dumps, tables, the search index and the embedded store are built (RIVM_DUMP_DIR).

    The default is a folder of this user's own in the system's temporary folder, which every
    local user may write to: another user who made it first could have the server serve their
    files (dumps, tables, a store of other data). So the default folder is made readable and
    writable by this user only, and used only if this user owns it and nobody else may write to
    it, as ssh treats its own folder.
    """
    configured = settings.get("DUMP_DIR")
    if configured:
        return Path(configured)
    return own_folder(Path(tempfile.gettempdir()) / f"rivm-graph-dumps-{os.getuid()}")


def ownership_problem(status: os.stat_result) -> str | None:
    """Why a folder or file the service builds into and serves from is not its own alone
    (another user's, or others may write to it), or None."""
    if status.st_uid != os.getuid():
        return f"belongs to another user (uid {status.st_uid})"
    if status.st_mode & 0o022:
        return f"may be written by other users (mode {stat.S_IMODE(status.st_mode):o})"
    return None


def own_folder(folder: Path) -> Path:
    """``folder``, made if missing (mode 0700); FolderError if it is a link, is not a folder, is
    another user's, or others may write to it."""
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        status = folder.lstat()
    except OSError as error:
        raise FolderError(f"cannot make {folder} ({error.strerror}); set RIVM_DUMP_DIR") from None
    problem = None
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISDIR(status.st_mode):
        problem = "is not a folder"
    else:
        problem = ownership_problem(status)
    if problem:
        raise FolderError(
            f"{folder} {problem}: it is not used, since what is there would be served. Remove "
            "it, or set RIVM_DUMP_DIR to a folder of your own"
        )
    return folder


def releases_base(settings: dict[str, Any]) -> Path:
    configured = settings.get("RELEASES_DIR")
    return Path(configured) if configured else Path(settings["DATA_ROOT"]) / "releases"


def release_cache(settings: dict[str, Any]) -> Path:
    """Where the formats a releases folder does not keep are rebuilt (beside the dumps)."""
    return dump_base(settings) / "releases"


#: Variables with the prefix that are not settings: the test suite's own.
RESERVED_PREFIX = PREFIX + "TEST_"


def unknown_settings(environ: Mapping[str, str] | None = None) -> list[str]:
    """``RIVM_*`` variables that name no setting (a typo, or one a later version removed): they
    change nothing, so the command line says so instead of ignoring them silently."""
    variables = os.environ if environ is None else environ
    return sorted(
        key
        for key in variables
        if key.startswith(PREFIX)
        and not key.startswith(RESERVED_PREFIX)
        and key[len(PREFIX) :] not in DEFAULTS
    )


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    settings = dict(DEFAULTS)
    for key, raw in os.environ.items():
        if key.startswith(PREFIX):
            settings[key[len(PREFIX) :]] = _decode(raw)
    settings.update(overrides or {})
    return settings
