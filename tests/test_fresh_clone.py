"""A clone with nothing beside it tests itself: no test reads outside the repository.

The clone is of the committed HEAD (what CI and a new contributor get), in an empty temporary
folder, so there is no ``../shared`` or anything else next to it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Ways a test could reach above the repository: the parent of the repository root, or a
#: relative path climbing out of it.
#: The mark of a line whose "../" is hostile input a test sends (and checks is never read).
HOSTILE = "# hostile input, never read"
OUTSIDE = re.compile(r"ROOT\.parent\b|parents\[2\]|\.parent\.parent\.parent|[\"']\.\./")


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.fail("the tests run from a git checkout (CI clones the repository)")
    target = tmp_path_factory.mktemp("empty") / "rivm-graph"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, timeout=120)
    assert not (target.parent / "shared").exists()
    return target


def pytest_in(clone: Path, *args: str) -> subprocess.CompletedProcess:
    # `python -m pytest` puts the clone first on sys.path: its package and tests are the ones run.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *args],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_fresh_clone_collects_every_test_without_an_error_or_a_skip(clone):
    result = pytest_in(clone, "--collect-only", "-q")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # (an error or a skip at collection would be counted on this line: "…, 1 error", "1 skipped")
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ tests collected in [\d.]+s", summary), summary


def test_a_fresh_clone_checks_the_data_against_its_own_fact_base_and_vendored_material(clone):
    """The tests that read the fact base and third-party files run there and skip nothing."""
    result = pytest_in(
        clone,
        "-q",
        "tests/test_data.py",
        "tests/test_turtle_files.py",
        "tests/test_fresh_clone.py::test_no_test_builds_a_path_outside_the_repository",
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "skipped" not in result.stdout, result.stdout[-3000:]


def test_no_test_builds_a_path_outside_the_repository():
    offending = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != "test_fresh_clone.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OUTSIDE.search(line) and HOSTILE not in line
    ]
    assert not offending, offending
