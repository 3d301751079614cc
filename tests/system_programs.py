"""System programs that some tests need, and what happens when one is missing.

`make test` installs them when it can (scripts/system-packages.sh: apt as root or with
password-less sudo). Where it could not, the tests that need a missing program skip, and pytest's
summary says so in one line (conftest.py). The same goes for the test tools `make test` fetches
with npm (axe-core, vnu.jar, the query editor's bundle): without npm or its registry they are
missing, their tests skip, and the same line names them. In CI (``CI`` set) a missing program or
tool is a failure: CI runs as root, so a missing one there means the install step is broken.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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
#: How a skip for a missing test tool (fetched with npm by `make test`) starts.
TOOL_REASON = "test tool missing: "


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


def require_tool(path: Path, tool: str, how: str) -> Path:
    """A file `make test` fetches or builds with npm (``how`` says how); otherwise skip the test
    (fail it in CI)."""
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {tool} ({how}): make test installs it")
    pytest.skip(f"{TOOL_REASON}{tool} ({how})")


def _missing(reason: str) -> str | None:
    for prefix in (SKIP_REASON, TOOL_REASON):
        if prefix in reason:
            return reason.split(prefix, 1)[1]
    return None


def missing_program_summary(skip_reasons: list[str]) -> str | None:
    """One line for pytest's summary: how many tests skipped for want of which programs and
    test tools."""
    missing = [name for reason in skip_reasons if (name := _missing(reason))]
    if not missing:
        return None
    return (
        f"{len(missing)} tests skipped: missing {', '.join(sorted(set(missing)))}. `make test` "
        "installs them when it can: system packages as root or with password-less sudo, "
        "npm packages with npm and its registry."
    )
