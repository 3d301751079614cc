"""Run a build in a child process, so that the memory it takes goes back to the system.

Building the on-disk store of 1M triples held 460-730 MB that the allocator kept after the build
(measured): done in gunicorn's master, that memory would stay in the process every server process
is forked from. In a child it is returned when the child exits.

The child is a fresh interpreter started with this package's ``python -c``, not a fork: RocksDB's
background threads, started in a process by any store it opened, do not exist in a forked copy,
and a store written there waited for them forever (measured: a build forked from a test process
that had opened a store hung in its first flush). Nor is it multiprocessing's "spawn", which runs
the parent's main script again in the child (a script without a ``__main__`` guard fails). The
function, its arguments and its outcome cross by pickle over the child's stdin and stdout (between
two processes of this package only). Starting the interpreter costs about a second, once per data
version.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The folder holding this package, for the child's imports (a checkout run without install).
_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
_CHILD = "from rivm_graph.apart import serve_child; serve_child()"


class BuildFailed(RuntimeError):
    """The child building apart died, or failed with an error that could not be sent back."""


def run_apart(function: Callable[..., None], *args: Any) -> None:
    """Call ``function`` (a module-level function) with ``args`` (picklable) in a child process;
    its exception, if any, is raised here."""
    request = pickle.dumps((function.__module__, function.__qualname__, args))
    path = os.pathsep.join(filter(None, [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=request,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
    )
    try:
        outcome = pickle.loads(done.stdout)
    except Exception:
        reason = done.stderr.decode(errors="replace").strip()[-2000:]
        outcome = BuildFailed(f"the process building apart stopped ({done.returncode}): {reason}")
    if outcome is not None:
        raise outcome


def serve_child() -> None:
    """The child's side: read the call from stdin, make it, write its outcome to stdout."""
    module, name, args = pickle.loads(sys.stdin.buffer.read())
    outcome: BaseException | None = None
    try:
        getattr(importlib.import_module(module), name)(*args)
    except BaseException as error:  # sent back and raised in the parent
        outcome = error
    try:
        data = pickle.dumps(outcome)
    except Exception:
        data = pickle.dumps(BuildFailed(f"{type(outcome).__name__}: {outcome}"))
    sys.stdout.buffer.write(data)
