"""Without a system program (no root to install it), its tests skip and the summary says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_without_chromium_or_virtuoso_their_tests_skip_with_one_summary_line(tmp_path):
    # A PATH with Python and nothing else: neither program can be found.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(bin_dir)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "tests/test_browser.py::test_home_page_map_shows_the_cities_and_the_timeline[oxigraph]",
            "tests/test_virtuoso.py::test_a_smaller_dataset_replaces_the_old_one_graph_for_graph",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if "tests skipped: missing" in line]
    assert len(lines) == 1, done.stdout[-3000:]
    assert "2 tests skipped: missing chromium (Debian package chromium), virtuoso-t" in lines[0]
    assert "2 skipped" in done.stdout.splitlines()[-1]


NEEDS_BOTH = """
from tests.system_programs import require, require_tool


def test_needs_a_test_tool(tmp_path):
    require_tool(tmp_path / "axe.min.js", "axe-core", "npm ci in tests/npm")


def test_needs_a_system_program():
    require("chromium")
"""


def _run_needing_both(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess:
    """A test needing a tool `make test` fetches with npm, and one needing a system program, run
    where neither is found (the summary hook is the suite's own)."""
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text("from tests.conftest import pytest_terminal_summary\n")
    (suite / "test_needs.py").write_text(NEEDS_BOTH)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"PATH": str(bin_dir), "PYTHONPATH": str(ROOT)}, **({"CI": "1"} if ci else {}))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(suite)],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_missing_npm_tool_is_counted_on_the_same_summary_line(tmp_path):
    """axe-core, vnu.jar and the editor's bundle come from npm: without npm or its registry their
    tests skip, and the one summary line names them beside the missing programs."""
    done = _run_needing_both(tmp_path, ci=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if "tests skipped: missing" in line]
    assert len(lines) == 1, done.stdout[-3000:]
    assert (
        "2 tests skipped: missing axe-core (npm ci in tests/npm), chromium (Debian package "
        "chromium). `make test` installs them when it can" in lines[0]
    )


def test_in_ci_a_missing_npm_tool_or_program_is_a_failure(tmp_path):
    done = _run_needing_both(tmp_path, ci=True)
    assert done.returncode == 1, done.stdout[-3000:]
    assert "CI must have axe-core (npm ci in tests/npm)" in done.stdout
    assert "CI must have chromium (Debian package chromium)" in done.stdout
    assert "2 failed" in done.stdout.splitlines()[-1]
