"""System programs that some tests need, and what happens when one is missing.

`make test` installs them when it can (scripts/system-packages.sh: apt as root or with
password-less sudo). Where it could not, the tests that need a missing program skip, and pytest's
summary says so in one line (conftest.py). In CI (``CI`` set) a missing program is a failure: CI
runs as root, so a missing program there means the install step is broken.
"""

from __future__ import annotations

import os
import shutil

import pytest

#: program → (the names it may have, the Debian package that provides it)
PROGRAMS: dict[str, tuple[tuple[str, ...], str]] = {
    "chromium": (("chromium", "chromium-browser"), "chromium"),
    "virtuoso-t": (("virtuoso-t",), "virtuoso-opensource"),
    # the query page's code snippets are run as copied (tests/test_snippets.py)
    "curl": (("curl",), "curl"),
    "node": (("node", "nodejs"), "nodejs"),
    "java": (("java",), "default-jre-headless"),
}
#: How a skip for a missing program starts (the summary counts them by it).
SKIP_REASON = "system program missing: "


def find(program: str) -> str | None:
    names, _ = PROGRAMS[program]
    return next((path for name in names if (path := shutil.which(name))), None)


def require(program: str) -> str:
    """The program's path; otherwise skip the test (fail it in CI)."""
    path = find(program)
    if path:
        return path
    package = PROGRAMS[program][1]
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {program} (Debian package {package}): make test installs it")
    pytest.skip(f"{SKIP_REASON}{program} (Debian package {package})")


def missing_program_summary(skip_reasons: list[str]) -> str | None:
    """One line for pytest's summary: how many tests skipped for want of which programs."""
    programs = sorted({r.split(SKIP_REASON, 1)[1] for r in skip_reasons if SKIP_REASON in r})
    if not programs:
        return None
    count = sum(SKIP_REASON in r for r in skip_reasons)
    return (
        f"{count} tests skipped: missing {', '.join(programs)}. `make test` installs them when "
        "run as root or with password-less sudo."
    )
