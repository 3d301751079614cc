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
