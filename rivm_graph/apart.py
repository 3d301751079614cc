"""Run a build in a child process, so that the memory it takes goes back to the system.

Building the on-disk store of 1M triples held 460-730 MB that the allocator kept after the build
(measured): done in gunicorn's master, that memory would stay in the process every server process
is forked from. In a child it is returned when the child exits.

The child is a fresh interpreter (multiprocessing's "spawn"), not a fork: RocksDB's background
threads, started in a process by any store it opened, do not exist in a forked copy, and a store
written there waited for them forever (measured: a build forked from a test process that had
opened a store hung in its first flush). Starting the interpreter costs about a second, once per
data version.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from multiprocessing.connection import Connection


class BuildFailed(RuntimeError):
    """The child building apart died, or failed with an error that could not be sent back."""


def _run(function: Callable[[], None], report: Connection) -> None:  # in the child
    try:
        function()
    except BaseException as error:  # sent back and raised in the parent
        try:
            report.send(error)
        except (pickle.PicklingError, TypeError, AttributeError):
            report.send(BuildFailed(f"{type(error).__name__}: {error}"))
    else:
        report.send(None)


def run_apart(function: Callable[[], None]) -> None:
    """Call ``function`` (picklable: a module's function, or a partial of one) in a child
    process; its exception, if any, is raised here."""
    context = multiprocessing.get_context("spawn")
    mine, theirs = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(function, theirs))
    child.start()
    theirs.close()
    try:
        outcome = mine.recv()
    except EOFError:
        outcome = BuildFailed(f"the process building apart stopped (exit code {child.exitcode})")
    finally:
        mine.close()
        child.join()
    if outcome is not None:
        raise outcome
